#include "arena.h"

#include "arena_maps.h"
#include "page_residency.h"
#include "errors.h"
#include "u64.h"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>

namespace ummunotify {

namespace {

// The arena sits low in the address space, far below where mmap() places
// new mappings top-down, so that nothing else lands in the holes the lab
// punches into it; PROT_NONE guard pages on both sides keep its VMAs from
// merging with anything outside.
constexpr uintptr_t kPlacementHint = 0x100000000000ULL;
constexpr uintptr_t kPlacementStep = 0x40000000ULL;
constexpr int kPlacementTries = 64;
constexpr size_t kMaxPages = 1 << 20;

size_t PageArg(const Napi::Object &op, const char *key, const std::string &what) {
  Napi::Value value = op.Get(key);
  if (!value.IsNumber()) ThrowType(op.Env(), what + ": " + key + " must be a number");
  double d = value.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= static_cast<double>(kMaxPages) * 2) || std::floor(d) != d) {
    ThrowRange(op.Env(), what + ": " + key + " must be a non-negative integer, got " + value.ToString().Utf8Value());
  }
  return static_cast<size_t>(d);
}

std::string RangeText(size_t start, size_t end) {
  return "[" + std::to_string(start) + ", " + std::to_string(end) + ")";
}

int MadviseFlag(Napi::Env env, const std::string &advice) {
  if (advice == "DONTNEED") return MADV_DONTNEED;
  if (advice == "FREE") return MADV_FREE;
  if (advice == "PAGEOUT") return MADV_PAGEOUT;
  if (advice == "COLD") return MADV_COLD;
  if (advice == "DONTFORK") return MADV_DONTFORK;
  if (advice == "DOFORK") return MADV_DOFORK;
  if (advice == "WILLNEED") return MADV_WILLNEED;
  ThrowRange(env, "madvise: unknown advice " + advice);
}

Protection ParseProtection(Napi::Env env, const std::string &prot) {
  if (prot == "rw") return Protection::kReadWrite;
  if (prot == "r") return Protection::kRead;
  if (prot == "none") return Protection::kNone;
  ThrowRange(env, "mprotect: prot must be rw, r or none, got " + prot);
}

int ProtFlags(Protection prot) {
  switch (prot) {
    case Protection::kReadWrite:
      return PROT_READ | PROT_WRITE;
    case Protection::kRead:
      return PROT_READ;
    case Protection::kNone:
      return PROT_NONE;
  }
  return PROT_NONE;
}

}  // namespace

Napi::Function Arena::Define(Napi::Env env) {
  return DefineClass(env, "Arena",
                     {
                         InstanceMethod<&Arena::Run>("run"),
                         InstanceMethod<&Arena::Close>("close"),
                         InstanceMethod<&Arena::PageStates>("pageStates"),
                         InstanceAccessor<&Arena::GetBase>("base"),
                         InstanceAccessor<&Arena::GetPages>("pages"),
                         InstanceAccessor<&Arena::GetPageSize>("pageSize"),
                     });
}

static size_t CountArg(const Napi::CallbackInfo &info) {
  uint32_t count = ToU32(info[0], "Arena: pages");
  if (count < 1 || count > kMaxPages) ThrowRange(info.Env(), "Arena: pages must be in [1, 1048576]");
  return count;
}

Arena::Arena(const Napi::CallbackInfo &info)
    : Napi::ObjectWrap<Arena>(info), pageSize_(sysconf(_SC_PAGESIZE)), count_(CountArg(info)), pages_(count_) {
  Napi::Env env = info.Env();
  size_t total = (count_ + 2) * pageSize_;
  int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
  void *mem = MAP_FAILED;
  for (int i = 0; i < kPlacementTries && mem == MAP_FAILED; i++) {
    void *hint = reinterpret_cast<void *>(kPlacementHint + i * kPlacementStep);
    mem = mmap(hint, total, PROT_NONE, flags | MAP_FIXED_NOREPLACE, -1, 0);
  }
  if (mem == MAP_FAILED) mem = mmap(nullptr, total, PROT_NONE, flags, -1, 0);
  if (mem == MAP_FAILED) ThrowErrno(env, errno, "Arena", "reserving the arena failed");
  reservation_ = static_cast<char *>(mem);
  arena_ = reservation_ + pageSize_;
  size_t length = count_ * pageSize_;
  if (mmap(arena_, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED ||
      madvise(arena_, length, MADV_NOHUGEPAGE) < 0) {
    int err = errno;
    Release();
    ThrowErrno(env, err, "Arena", "mapping the arena failed");
  }
  for (size_t p = 0; p < count_; p++) *reinterpret_cast<volatile char *>(Address(p)) = 1;
}

Arena::~Arena() {
  Release();
}

void Arena::Release() {
  if (reservation_) {
    munmap(reservation_, (count_ + 2) * pageSize_);
    reservation_ = nullptr;
    arena_ = nullptr;
  }
}

void Arena::Resync() {
  uintptr_t lo = reinterpret_cast<uintptr_t>(arena_);
  pages_.Unmap(0, count_);
  for (const ArenaVma &vma : ReadArenaVmas(lo, lo + count_ * pageSize_)) {
    for (uintptr_t a = vma.start; a < vma.end; a += pageSize_) pages_[(a - lo) / pageSize_] = ArenaPage{true, vma.prot, vma.dontFork};
  }
}

void Arena::ThrowAfterResync(Napi::Env env, int err, const std::string &what, const std::string &why) {
  Resync();
  ThrowErrno(env, err, what, why);
}

Napi::Value Arena::Close(const Napi::CallbackInfo &info) {
  Release();
  return info.Env().Undefined();
}

// Mapped or not and the protection come from the arena's own table,
// residency from the page tables (page_residency.h).
Napi::Value Arena::PageStates(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!arena_) ThrowErrno(env, EBADF, "pageStates", "the arena is closed");
  std::vector<Residency> residency = ReadResidency(arena_, count_, pageSize_, pages_);
  if (residency.empty()) ThrowErrno(env, errno, "pageStates", "mincore failed");
  Napi::String state = Napi::String::New(env, "state");
  Napi::String prot = Napi::String::New(env, "prot");
  Napi::Array states = Napi::Array::New(env, count_);
  for (size_t p = 0; p < count_; p++) {
    Napi::Object page = Napi::Object::New(env);
    page.Set(state, Napi::String::New(env, ResidencyName(residency[p])));
    page.Set(prot, pages_[p].mapped ? Napi::String::New(env, ProtectionName(pages_[p].prot)) : env.Null());
    states.Set(p, page);
  }
  return states;
}

Napi::Value Arena::GetBase(const Napi::CallbackInfo &info) {
  return FromU64(info.Env(), reinterpret_cast<uintptr_t>(arena_));
}

Napi::Value Arena::GetPages(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), count_);
}

Napi::Value Arena::GetPageSize(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), pageSize_);
}

Napi::Object Arena::Result(Napi::Env env, const char *op, size_t start, size_t end) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("op", Napi::String::New(env, op));
  result.Set("start", FromU64(env, reinterpret_cast<uintptr_t>(Address(start))));
  result.Set("end", FromU64(env, reinterpret_cast<uintptr_t>(Address(end))));
  return result;
}

Napi::Value Arena::Run(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!arena_) ThrowErrno(env, EBADF, "lab", "the arena is closed");
  if (!info[0].IsObject()) ThrowType(env, "lab: op must be an object");
  Napi::Object op = info[0].As<Napi::Object>();
  std::string name = op.Get("op").ToString().Utf8Value();
  size_t page = PageArg(op, "page", name);
  size_t pages = PageArg(op, "pages", name);
  if (pages < 1 || page + pages > count_) {
    ThrowRange(env, name + ": page range " + RangeText(page, page + pages) +
                        " is not a non-empty range inside the arena of " + std::to_string(count_) + " pages");
  }
  if (name == "touch") return Touch(env, page, pages);
  if (name == "read") return ReadPages(env, page, pages);
  if (name == "munmap") return Munmap(env, page, pages);
  if (name == "mmap") return Mmap(env, page, pages);
  if (name == "madvise") return Madvise(env, page, pages, op.Get("advice").ToString().Utf8Value());
  if (name == "mprotect") return Mprotect(env, page, pages, op.Get("prot").ToString().Utf8Value());
  if (name == "mremap") return Mremap(env, page, pages, PageArg(op, "newPages", name), op.Get("newPage"));
  if (name == "fork") return Fork(env, page, pages);
  ThrowRange(env, "lab: unknown op " + name);
}

// One plain store per page (no load first): a never-touched page is filled
// by the write fault itself, a zero page is copied on write.
Napi::Object Arena::Touch(Napi::Env env, size_t page, size_t pages) {
  std::string problem = pages_.AccessProblem(page, page + pages, true);
  if (!problem.empty()) ThrowErrno(env, EFAULT, "touch", problem);
  for (size_t p = page; p < page + pages; p++) *reinterpret_cast<volatile char *>(Address(p)) = 1;
  return Result(env, "touch", page, page + pages);
}

Napi::Object Arena::ReadPages(Napi::Env env, size_t page, size_t pages) {
  std::string problem = pages_.AccessProblem(page, page + pages, false);
  if (!problem.empty()) ThrowErrno(env, EFAULT, "read", problem);
  for (size_t p = page; p < page + pages; p++) (void)*reinterpret_cast<volatile char *>(Address(p));
  return Result(env, "read", page, page + pages);
}

Napi::Object Arena::Munmap(Napi::Env env, size_t page, size_t pages) {
  if (munmap(Address(page), pages * pageSize_) < 0) ThrowAfterResync(env, errno, "munmap " + RangeText(page, page + pages));
  pages_.Unmap(page, page + pages);
  return Result(env, "munmap", page, page + pages);
}

// MAP_FIXED over the range, then MADV_NOHUGEPAGE again so the new mapping
// merges with its neighbours like the rest of the arena.
Napi::Object Arena::Mmap(Napi::Env env, size_t page, size_t pages) {
  size_t length = pages * pageSize_;
  if (mmap(Address(page), length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
      MAP_FAILED) {
    ThrowAfterResync(env, errno, "mmap " + RangeText(page, page + pages));
  }
  pages_.MapFresh(page, page + pages);
  if (madvise(Address(page), length, MADV_NOHUGEPAGE) < 0) {
    ThrowErrno(env, errno, "mmap " + RangeText(page, page + pages), "MADV_NOHUGEPAGE failed");
  }
  return Result(env, "mmap", page, page + pages);
}

// madvise() applies itself to every mapped part of the range; a hole only
// turns the return value into ENOMEM, which is not an error of the op.
Napi::Object Arena::Madvise(Napi::Env env, size_t page, size_t pages, const std::string &advice) {
  int flag = MadviseFlag(env, advice);
  if (madvise(Address(page), pages * pageSize_, flag) < 0 && !(errno == ENOMEM && !pages_.AllMapped(page, page + pages))) {
    ThrowAfterResync(env, errno, "madvise " + advice + " " + RangeText(page, page + pages));
  }
  if (flag == MADV_DONTFORK || flag == MADV_DOFORK) {
    for (size_t p = page; p < page + pages; p++)
      if (pages_[p].mapped) pages_[p].dontFork = flag == MADV_DONTFORK;
  }
  return Result(env, "madvise", page, page + pages);
}

// A hole is refused up front: the kernel would change the VMAs before the
// hole and then fail with ENOMEM, leaving a half-done op.
Napi::Object Arena::Mprotect(Napi::Env env, size_t page, size_t pages, const std::string &prot) {
  Protection protection = ParseProtection(env, prot);
  std::string what = "mprotect " + RangeText(page, page + pages);
  if (!pages_.AllMapped(page, page + pages)) ThrowErrno(env, ENOMEM, what, "the range is not all mapped");
  if (mprotect(Address(page), pages * pageSize_, ProtFlags(protection)) < 0) ThrowAfterResync(env, errno, what);
  for (size_t p = page; p < page + pages; p++) pages_[p].prot = protection;
  return Result(env, "mprotect", page, page + pages);
}

// Shrink in place; grow in place when the pages after the range are a hole
// inside the arena and the kernel can extend the mapping; otherwise move,
// to newPage or to the lowest hole inside the arena (always MREMAP_FIXED:
// the kernel's own choice would fall outside the arena).
Napi::Object Arena::Mremap(Napi::Env env, size_t page, size_t pages, size_t newPages, const Napi::Value &newPageArg) {
  std::string what = "mremap " + RangeText(page, page + pages);
  if (newPages < 1) ThrowRange(env, what + ": newPages must be at least 1");
  bool fixed = !newPageArg.IsUndefined();
  size_t destination = count_;
  if (fixed) {
    if (!newPageArg.IsNumber()) ThrowType(env, what + ": newPage must be a number");
    double d = newPageArg.As<Napi::Number>().DoubleValue();
    if (!(d >= 0) || std::floor(d) != d || d + newPages > count_) {
      ThrowRange(env, what + ": destination page range starting at " + newPageArg.ToString().Utf8Value() +
                          " is not inside the arena of " + std::to_string(count_) + " pages");
    }
    destination = static_cast<size_t>(d);
  }
  if (!pages_[page].mapped) ThrowErrno(env, EFAULT, what, "page " + std::to_string(page) + " is not mapped");
  size_t length = pages * pageSize_;
  size_t newLength = newPages * pageSize_;
  if (!fixed && newPages <= pages) {
    if (mremap(Address(page), length, newLength, 0) == MAP_FAILED) ThrowAfterResync(env, errno, what);
    pages_.Unmap(page + newPages, page + pages);
    return Result(env, "mremap", page, page + pages);
  }
  // The moved part must lie in one mapping (else EFAULT); checked first
  // because MREMAP_FIXED unmaps the destination before the kernel checks it.
  size_t moveLength = newPages < pages ? newPages : pages;
  uintptr_t source = reinterpret_cast<uintptr_t>(Address(page));
  bool insideOneVma = false;
  for (const ArenaVma &vma : ReadArenaVmas(reinterpret_cast<uintptr_t>(arena_), reinterpret_cast<uintptr_t>(Address(count_)))) {
    if (vma.start <= source && source < vma.end) insideOneVma = source + moveLength * pageSize_ <= vma.end;
  }
  if (!insideOneVma) {
    ThrowErrno(env, EFAULT, what, "pages " + RangeText(page, page + moveLength) + " are not inside one mapping");
  }
  ArenaPage moved = pages_[page];
  if (fixed) {
    if (destination < page + pages && page < destination + newPages) {
      ThrowErrno(env, EINVAL, what, "the destination " + RangeText(destination, destination + newPages) +
                                        " overlaps the source");
    }
  } else {
    size_t growEnd = page + newPages;
    if (growEnd <= count_ && !pages_.AnyMapped(page + pages, growEnd)) {
      if (mremap(Address(page), length, newLength, 0) != MAP_FAILED) {
        for (size_t p = page + pages; p < growEnd; p++) pages_[p] = moved;
        return Result(env, "mremap", page, growEnd);
      }
      if (errno != ENOMEM) ThrowAfterResync(env, errno, what);
    }
    destination = pages_.LowestHole(newPages, page, page + pages);
    if (destination == count_) {
      ThrowErrno(env, ENOMEM, what, "no hole of " + std::to_string(newPages) + " pages inside the arena to move to");
    }
  }
  if (mremap(Address(page), length, newLength, MREMAP_MAYMOVE | MREMAP_FIXED, Address(destination)) == MAP_FAILED) {
    ThrowAfterResync(env, errno, what, "moving to " + RangeText(destination, destination + newPages) + " failed");
  }
  std::vector<ArenaPage> sourcePages(&pages_[page], &pages_[page] + pages);
  pages_.Unmap(page, page + pages);
  for (size_t i = 0; i < newPages; i++) pages_[destination + i] = i < pages ? sourcePages[i] : moved;
  Napi::Object result = Result(env, "mremap", page, page + pages);
  Napi::Object to = Napi::Object::New(env);
  to.Set("start", FromU64(env, reinterpret_cast<uintptr_t>(Address(destination))));
  to.Set("end", FromU64(env, reinterpret_cast<uintptr_t>(Address(destination + newPages))));
  result.Set("movedTo", to);
  return result;
}

// The child writes the pages of the range it can write (its copy of the
// arena, copy-on-write) and exits at once: only async-signal-safe work
// happens between fork() and _exit().
Napi::Object Arena::Fork(Napi::Env env, size_t page, size_t pages) {
  std::vector<char *> writable;
  for (size_t p = page; p < page + pages; p++) {
    const ArenaPage &info = pages_[p];
    if (info.mapped && info.prot == Protection::kReadWrite && !info.dontFork) writable.push_back(Address(p));
  }
  pid_t child = fork();
  if (child < 0) ThrowErrno(env, errno, "fork", "fork() failed");
  if (child == 0) {
    for (char *address : writable) *reinterpret_cast<volatile char *>(address) = 2;
    _exit(0);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) ThrowErrno(env, errno, "fork", "waiting for the child failed");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ThrowErrno(env, ECHILD, "fork", "the child did not exit cleanly (status " + std::to_string(status) + ")");
  }
  return Result(env, "fork", page, page + pages);
}

}  // namespace ummunotify
