// The lab Arena: one anonymous private mapping of N pages (transparent huge
// pages off, populated before use) on which the lab ops run. Ops act on page
// ranges inside the arena only; anything outside is a RangeError and never
// reaches a system call. Each op returns the exact address range it affected.
#ifndef UMMUNOTIFY_NATIVE_ARENA_H
#define UMMUNOTIFY_NATIVE_ARENA_H

#include <napi.h>

#include <cstdint>

#include "arena_pages.h"

namespace ummunotify {

class Arena : public Napi::ObjectWrap<Arena> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit Arena(const Napi::CallbackInfo &info);
  ~Arena() override;

 private:
  Napi::Value Run(const Napi::CallbackInfo &info);
  Napi::Value Close(const Napi::CallbackInfo &info);
  Napi::Value PageStates(const Napi::CallbackInfo &info);
  Napi::Value GetBase(const Napi::CallbackInfo &info);
  Napi::Value GetPages(const Napi::CallbackInfo &info);
  Napi::Value GetPageSize(const Napi::CallbackInfo &info);

  Napi::Object Touch(Napi::Env env, size_t page, size_t pages);
  Napi::Object ReadPages(Napi::Env env, size_t page, size_t pages);
  Napi::Object Munmap(Napi::Env env, size_t page, size_t pages);
  Napi::Object Mmap(Napi::Env env, size_t page, size_t pages);
  Napi::Object Madvise(Napi::Env env, size_t page, size_t pages, const std::string &advice);
  Napi::Object Mprotect(Napi::Env env, size_t page, size_t pages, const std::string &prot);
  Napi::Object Mremap(Napi::Env env, size_t page, size_t pages, size_t newPages, const Napi::Value &newPage);
  Napi::Object Fork(Napi::Env env, size_t page, size_t pages);

  Napi::Object Result(Napi::Env env, const char *op, size_t start, size_t end);
  char *Address(size_t page) const { return arena_ + page * pageSize_; }
  // Rebuilds the page table from the kernel's view after a failed call.
  void Resync();
  [[noreturn]] void ThrowAfterResync(Napi::Env env, int err, const std::string &what, const std::string &why = "");
  void Release();

  size_t pageSize_;
  size_t count_;
  char *reservation_ = nullptr;  // guard page, arena, guard page
  char *arena_ = nullptr;
  ArenaPages pages_;
};

}  // namespace ummunotify

#endif
