// The Device binding: one open /dev/ummunotify file of this process.
#ifndef UMMUNOTIFY_NATIVE_DEVICE_H
#define UMMUNOTIFY_NATIVE_DEVICE_H

#include <napi.h>

#include <cstdint>
#include <memory>
#include <string>

#include <linux/ummunotify.h>

#include "event_watcher.h"
#include "generation_words.h"
#include "readable_watcher.h"

namespace ummunotify {

class Device : public Napi::ObjectWrap<Device> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit Device(const Napi::CallbackInfo &info);
  ~Device() override;

 private:
  Napi::Value ExchangeFeatures(const Napi::CallbackInfo &info);
  Napi::Value NegotiateFeatures(const Napi::CallbackInfo &info);
  Napi::Value Register(const Napi::CallbackInfo &info);
  Napi::Value RegisterSlot(const Napi::CallbackInfo &info);
  Napi::Value Generation(const Napi::CallbackInfo &info);
  Napi::Value Unregister(const Napi::CallbackInfo &info);
  Napi::Value Read(const Napi::CallbackInfo &info);
  Napi::Value Counter(const Napi::CallbackInfo &info);
  Napi::Value Query(const Napi::CallbackInfo &info);
  Napi::Value Watch(const Napi::CallbackInfo &info);
  Napi::Value Unwatch(const Napi::CallbackInfo &info);
  Napi::Value WatchReadable(const Napi::CallbackInfo &info);
  Napi::Value UnwatchReadable(const Napi::CallbackInfo &info);
  Napi::Value Close(const Napi::CallbackInfo &info);
  Napi::Value GetFd(const Napi::CallbackInfo &info);
  Napi::Value GetPath(const Napi::CallbackInfo &info);
  Napi::Value GetClosed(const Napi::CallbackInfo &info);
  Napi::Value GetGenerationSlotsMapped(const Napi::CallbackInfo &info);

  int OpenFd(Napi::Env env, const std::string &what);
  // The explanation of an errno common to every call (EBADF, ENODEV, ...), or "".
  std::string CommonExplanation(int err) const;
  // Why REGISTER or REGISTER_SLOT of `r` failed with `err`.
  std::string RegisterExplanation(int err, const ummunotify_register_ioctl &r) const;
  void Release();

  std::string path_;
  int fd_ = -1;
  // What NEGOTIATE_FEATURES granted; only to explain an EINVAL from REGISTER.
  bool negotiated_ = false;
  uint32_t features_ = 0;
  const volatile uint64_t *counter_ = nullptr;
  GenerationWords generations_;
  std::unique_ptr<EventWatcher> watcher_;
  std::unique_ptr<ReadableWatcher> readableWatcher_;
};

}  // namespace ummunotify

#endif
