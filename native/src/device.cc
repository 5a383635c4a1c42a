#include "device.h"

#include "errors.h"
#include "snapshot.h"
#include "u64.h"

#include <fcntl.h>
#include <linux/ummunotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace ummunotify {

namespace {

constexpr const char *kDefaultPath = "/dev/ummunotify";
constexpr size_t kEventSize = sizeof(ummunotify_event);

std::string OpenExplanation(int err, const std::string &path) {
  switch (err) {
    case ENOENT:
      return path + " not present: the ummunotify module is not loaded (see kernel/README.md: modprobe ummunotify, "
                    "or insmod kernel/ummunotify.ko from a build)";
    case EACCES:
    case EPERM:
      return "permission denied on " + path +
             ": install the udev rule kernel/udev/90-ummunotify.rules (it lets any user open the device) or run as root";
    case ENXIO:
    case ENODEV:
      return path + " exists but no driver answers: the ummunotify module was unloaded";
    default:
      return "";
  }
}

uint64_t AcquireLoad(const volatile uint64_t *counter) {
  return __atomic_load_n(const_cast<const uint64_t *>(counter), __ATOMIC_ACQUIRE);
}

}  // namespace

Napi::Function Device::Define(Napi::Env env) {
  return DefineClass(env, "Device",
                     {
                         InstanceMethod<&Device::ExchangeFeatures>("exchangeFeatures"),
                         InstanceMethod<&Device::NegotiateFeatures>("negotiateFeatures"),
                         InstanceMethod<&Device::Register>("register"),
                         InstanceMethod<&Device::RegisterSlot>("registerSlot"),
                         InstanceMethod<&Device::Generation>("generation"),
                         InstanceMethod<&Device::Unregister>("unregister"),
                         InstanceMethod<&Device::Read>("read"),
                         InstanceMethod<&Device::Counter>("counter"),
                         InstanceMethod<&Device::Query>("query"),
                         InstanceMethod<&Device::Watch>("watchRaw"),
                         InstanceMethod<&Device::Unwatch>("unwatch"),
                         InstanceMethod<&Device::WatchReadable>("watchReadable"),
                         InstanceMethod<&Device::UnwatchReadable>("unwatchReadable"),
                         InstanceMethod<&Device::Close>("close"),
                         InstanceAccessor<&Device::GetFd>("fd"),
                         InstanceAccessor<&Device::GetPath>("path"),
                         InstanceAccessor<&Device::GetClosed>("closed"),
                         InstanceAccessor<&Device::GetGenerationSlotsMapped>("generationSlotsMapped"),
                     });
}

Device::Device(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Device>(info) {
  Napi::Env env = info.Env();
  if (info.Length() > 0 && !info[0].IsUndefined()) {
    if (!info[0].IsString()) ThrowType(env, "Device: path must be a string");
    path_ = info[0].As<Napi::String>().Utf8Value();
  } else {
    path_ = kDefaultPath;
  }
  fd_ = open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) {
    int err = errno;
    ThrowErrno(env, err, "open " + path_, OpenExplanation(err, path_));
  }
}

Device::~Device() {
  Release();
}

void Device::Release() {
  if (watcher_) {
    watcher_->Stop();
    watcher_.reset();
  }
  readableWatcher_.reset();
  generations_.Unmap();
  if (counter_) {
    munmap(const_cast<uint64_t *>(counter_), sysconf(_SC_PAGESIZE));
    counter_ = nullptr;
  }
  if (fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
}

int Device::OpenFd(Napi::Env env, const std::string &what) {
  if (fd_ < 0) ThrowErrno(env, EBADF, what, "the device is closed");
  return fd_;
}

std::string Device::CommonExplanation(int err) const {
  switch (err) {
    case EBADF:
      return "this process's memory map is not the one that opened the device (a fork child or an fd passed over a socket)";
    case ENODEV:
      return "the memory map that opened the device has gone away";
    case EFAULT:
      return "an argument buffer is not accessible";
    case ENOMEM:
      return "out of kernel memory";
    default:
      return "";
  }
}

// The 2010 call, for programs and tests that make it: the kernel writes back
// 0 and turns nothing on, whatever it is passed.
Napi::Value Device::ExchangeFeatures(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = OpenFd(env, "exchangeFeatures");
  uint32_t mask = ToU32(info[0], "exchangeFeatures: value");
  if (ioctl(fd, UMMUNOTIFY_EXCHANGE_FEATURES, &mask) < 0) {
    int err = errno;
    std::string why = err == EINVAL ? "EXCHANGE_FEATURES is refused once the file was used (REGISTER, read, a first "
                                      "EXCHANGE_FEATURES or NEGOTIATE_FEATURES)"
                                    : CommonExplanation(err);
    ThrowErrno(env, err, "exchangeFeatures", why);
  }
  return Napi::Number::New(env, mask);
}

// negotiateFeatures(requested) -> { granted, supported }: the only way extensions are turned on.
Napi::Value Device::NegotiateFeatures(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = OpenFd(env, "negotiateFeatures");
  ummunotify_features f{};
  f.requested = ToU32(info[0], "negotiateFeatures: requested");
  if (ioctl(fd, UMMUNOTIFY_NEGOTIATE_FEATURES, &f) < 0) {
    int err = errno;
    std::string why = err == EINVAL ? "features can only be negotiated once, as the first operation on the file"
                                    : CommonExplanation(err);
    ThrowErrno(env, err, "negotiateFeatures", why);
  }
  negotiated_ = true;
  features_ = static_cast<uint32_t>(f.granted);
  Napi::Object result = Napi::Object::New(env);
  result.Set("granted", Napi::Number::New(env, static_cast<double>(f.granted)));
  result.Set("supported", Napi::Number::New(env, static_cast<double>(f.supported)));
  return result;
}

std::string Device::RegisterExplanation(int err, const ummunotify_register_ioctl &r) const {
  if (err == ENOSPC) return "the file has reached max_registrations (module parameter)";
  if (err != EINVAL) return CommonExplanation(err);
  if (r.start >= r.end) return "start must be below end";
  if (negotiated_ && r.reserved != 0) return "reserved must be 0 on a file that negotiated features";
  if (negotiated_ && r.flags != 0 && !(features_ & UMMUNOTIFY_FEATURE_FILTER))
    return "flags must be 0 unless FEATURE_FILTER was negotiated";
  if (r.flags & ~UMMUNOTIFY_REASON_VALID_MASK) return "flags has bits that are not (1 << reason) of a known reason";
  return "the cookie is already registered, or end is beyond the user address limit";
}

namespace {

ummunotify_register_ioctl RegisterArguments(const Napi::CallbackInfo &info, const std::string &what) {
  ummunotify_register_ioctl r{};
  r.start = ToU64(info[0], what + ": start");
  r.end = ToU64(info[1], what + ": end");
  r.user_cookie = ToU64(info[2], what + ": cookie");
  r.flags = info.Length() > 3 && !info[3].IsUndefined() ? ToU32(info[3], what + ": flags") : 0;
  r.reserved = info.Length() > 4 && !info[4].IsUndefined() ? ToU32(info[4], what + ": reserved") : 0;
  return r;
}

std::string RegisterWhat(const std::string &call, const ummunotify_register_ioctl &r) {
  return call + " [" + Hex(r.start) + ", " + Hex(r.end) + ") cookie " + Hex(r.user_cookie);
}

}  // namespace

Napi::Value Device::Register(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = OpenFd(env, "register");
  ummunotify_register_ioctl r = RegisterArguments(info, "register");
  if (ioctl(fd, UMMUNOTIFY_REGISTER_REGION, &r) < 0) {
    int err = errno;
    ThrowErrno(env, err, RegisterWhat("register", r), RegisterExplanation(err, r));
  }
  return env.Undefined();
}

// registerSlot(start, end, cookie, flags?, reserved?) -> { slot, generation }: REGISTER_SLOT.
Napi::Value Device::RegisterSlot(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = OpenFd(env, "registerSlot");
  ummunotify_register_slot s{};
  s.region = RegisterArguments(info, "registerSlot");
  if (ioctl(fd, UMMUNOTIFY_REGISTER_SLOT, &s) < 0) {
    int err = errno;
    std::string why = RegisterExplanation(err, s.region);
    if (err == EINVAL && !(features_ & UMMUNOTIFY_FEATURE_GENERATIONS))
      why = "REGISTER_SLOT needs FEATURE_GENERATIONS granted by negotiateFeatures";
    else if (err == ENOSPC)
      why = "the file has reached max_registrations (module parameter) or " +
            std::to_string(UMMUNOTIFY_GENERATIONS_MAX_SLOTS) + " slots in use";
    ThrowErrno(env, err, RegisterWhat("registerSlot", s.region), why);
  }
  generations_.SlotReturned(s.slot);
  Napi::Object result = Napi::Object::New(env);
  result.Set("slot", Napi::Number::New(env, s.slot));
  result.Set("generation", FromU64(env, s.generation));
  return result;
}

// generation(slot): one acquire load of the slot's word, the words mapped
// (or the mapping grown) on first need.
Napi::Value Device::Generation(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = OpenFd(env, "generation");
  uint32_t slot = ToU32(info[0], "generation: slot");
  if (!generations_.Known(slot)) {
    ThrowRange(env, "generation: slot " + std::to_string(slot) +
                        " was never returned by registerSlot on this file (its page of words may not exist)");
  }
  if (int err = generations_.Cover(fd, slot)) {
    ThrowErrno(env, err, "generation: mmap of the generation words", CommonExplanation(err));
  }
  return FromU64(env, generations_.Load(slot));
}

Napi::Value Device::Unregister(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = OpenFd(env, "unregister");
  uint64_t cookie = ToU64(info[0], "unregister: cookie");
  if (ioctl(fd, UMMUNOTIFY_UNREGISTER_REGION, &cookie) < 0) {
    int err = errno;
    std::string why = err == EINVAL ? "no registration has this cookie" : CommonExplanation(err);
    ThrowErrno(env, err, "unregister cookie " + Hex(cookie), why);
  }
  return env.Undefined();
}

// read(maxEvents, bufferBytes?): one non-blocking read(); [] on EAGAIN, null at end of file.
Napi::Value Device::Read(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = OpenFd(env, "read");
  uint32_t maxEvents = ToU32(info[0], "read: maxEvents");
  size_t bytes = info.Length() > 1 && !info[1].IsUndefined() ? ToU32(info[1], "read: bufferBytes")
                                                            : static_cast<size_t>(maxEvents) * kEventSize;
  std::vector<ummunotify_event> buffer(bytes / kEventSize + 1);
  ssize_t got;
  do {
    got = read(fd, buffer.data(), bytes);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    int err = errno;
    if (err == EAGAIN) return Napi::Array::New(env, 0);
    std::string why = err == EINVAL ? "a buffer of " + std::to_string(bytes) + " bytes cannot hold one event (32 bytes)"
                                    : CommonExplanation(err);
    ThrowErrno(env, err, "read", why);
  }
  if (got == 0) return env.Null();
  return EventsToJs(env, buffer.data(), static_cast<size_t>(got) / kEventSize);
}

// The counter page is mapped on the first counter() call, not at open:
// mapping it is a use of the file, after which NEGOTIATE_FEATURES is refused.
Napi::Value Device::Counter(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = OpenFd(env, "counter");
  if (!counter_) {
    void *page = mmap(nullptr, sysconf(_SC_PAGESIZE), PROT_READ, MAP_SHARED, fd, 0);
    if (page == MAP_FAILED) {
      int err = errno;
      ThrowErrno(env, err, "counter: mmap of the counter page", CommonExplanation(err));
    }
    counter_ = static_cast<const volatile uint64_t *>(page);
  }
  return FromU64(env, AcquireLoad(counter_));
}

Napi::Value Device::Query(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = OpenFd(env, "query");
  Snapshot snapshot;
  if (int err = TakeSnapshot(fd, UMMUNOTIFY_QUERY, snapshot)) {
    std::string why = err == EINVAL ? "QUERY needs FEATURE_QUERY granted by negotiateFeatures" : CommonExplanation(err);
    ThrowErrno(env, err, "query", why);
  }
  return SnapshotToJs(env, snapshot);
}

// watchRaw(onBatch(ArrayBuffer, end?), { maxBatch = 1024, maxDelayMs = 16 }); see native/lib/events.ts
Napi::Value Device::Watch(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = OpenFd(env, "watch");
  if (watcher_) ThrowErrno(env, EBUSY, "watch", "the device is already being watched");
  WatchOptions options = WatchArguments(info);
  watcher_ = std::make_unique<EventWatcher>(env, fd, info[0].As<Napi::Function>(), options);
  return env.Undefined();
}

Napi::Value Device::Unwatch(const Napi::CallbackInfo &info) {
  if (watcher_) {
    watcher_->Stop();
    watcher_.reset();
  }
  return info.Env().Undefined();
}

// watchReadable(onReadable()): see readable_watcher.h
Napi::Value Device::WatchReadable(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = OpenFd(env, "watchReadable");
  if (readableWatcher_) ThrowErrno(env, EBUSY, "watchReadable", "readability is already being watched");
  if (!info[0].IsFunction()) ThrowType(env, "watchReadable: onReadable must be a function");
  readableWatcher_ = std::make_unique<ReadableWatcher>(env, fd, info[0].As<Napi::Function>());
  return env.Undefined();
}

Napi::Value Device::UnwatchReadable(const Napi::CallbackInfo &info) {
  readableWatcher_.reset();
  return info.Env().Undefined();
}

Napi::Value Device::Close(const Napi::CallbackInfo &info) {
  Release();
  return info.Env().Undefined();
}

Napi::Value Device::GetFd(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), fd_);
}

Napi::Value Device::GetPath(const Napi::CallbackInfo &info) {
  return Napi::String::New(info.Env(), path_);
}

Napi::Value Device::GetClosed(const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(info.Env(), fd_ < 0);
}

Napi::Value Device::GetGenerationSlotsMapped(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), static_cast<double>(generations_.Covered()));
}

}  // namespace ummunotify
