#include "monitor.h"

#include "errors.h"
#include "snapshot.h"
#include "u64.h"

#include <fcntl.h>
#include <linux/ummunotify.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace ummunotify {

namespace {

constexpr size_t kRecordSize = sizeof(ummunotify_monitor_record);

std::string Target(int pid, int fd) {
  return "fd " + std::to_string(fd) + " of process " + std::to_string(pid);
}

// Yama's ptrace_scope, or -1 without Yama.
int PtraceScope() {
  std::ifstream in("/proc/sys/kernel/yama/ptrace_scope");
  int scope = -1;
  in >> scope;
  return in ? scope : -1;
}

std::string GetFdExplanation(int err, int pid, int fd) {
  switch (err) {
    case ESRCH:
      return "no process " + std::to_string(pid) + " (it exited?)";
    case EBADF:
      return "process " + std::to_string(pid) + " has no open fd " + std::to_string(fd);
    case EPERM: {
      std::string why = "not allowed to take " + Target(pid, fd) +
                        " (pidfd_getfd needs ptrace access: the same user, or CAP_SYS_PTRACE)";
      int scope = PtraceScope();
      if (scope >= 1)
        why += "; Yama ptrace_scope is " + std::to_string(scope) +
               (scope == 1 ? ": only an ancestor of the process, a holder of CAP_SYS_PTRACE, or a process it named "
                             "with prctl(PR_SET_PTRACER) may attach (or run: sysctl kernel.yama.ptrace_scope=0)"
                           : ": attaching needs CAP_SYS_PTRACE (run as root)");
      return why;
    }
    default:
      return "";
  }
}

std::string OpenExplanation(int err, int pid, int fd) {
  switch (err) {
    case ENOTTY:
      return Target(pid, fd) + " is not an open /dev/ummunotify file";
    case EBUSY:
      return Target(pid, fd) + " already has " + std::to_string(UMMUNOTIFY_MONITOR_MAX) + " monitors";
    case ENODEV:
      return "the memory map of process " + std::to_string(pid) + " is gone (it exited or exec'd)";
    case EINVAL:
      return "ringRecords must be 0 or a power of two up to " + std::to_string(UMMUNOTIFY_MONITOR_RING_MAX);
    default:
      return "";
  }
}

}  // namespace

Napi::Function Monitor::Define(Napi::Env env) {
  return DefineClass(env, "Monitor",
                     {
                         InstanceMethod<&Monitor::Query>("query"),
                         InstanceMethod<&Monitor::ReadRaw>("readRaw"),
                         InstanceMethod<&Monitor::Watch>("watchRaw"),
                         InstanceMethod<&Monitor::Unwatch>("unwatch"),
                         InstanceMethod<&Monitor::Close>("close"),
                         InstanceAccessor<&Monitor::GetFd>("fd"),
                         InstanceAccessor<&Monitor::GetPid>("pid"),
                         InstanceAccessor<&Monitor::GetTargetFd>("targetFd"),
                         InstanceAccessor<&Monitor::GetClosed>("closed"),
                     });
}

Monitor::Monitor(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Monitor>(info) {
  Napi::Env env = info.Env();
  pid_ = static_cast<int>(ToU32(info[0], "Monitor: pid"));
  targetFd_ = static_cast<int>(ToU32(info[1], "Monitor: fd"));
  ummunotify_monitor_open parm{};
  if (info.Length() > 2 && !info[2].IsUndefined()) {
    if (!info[2].IsObject()) ThrowType(env, "Monitor: options must be an object");
    Napi::Object options = info[2].As<Napi::Object>();
    if (options.Has("ringRecords")) parm.ring_records = ToU32(options.Get("ringRecords"), "Monitor: ringRecords");
    if (options.Has("misses") && options.Get("misses").ToBoolean()) parm.flags |= UMMUNOTIFY_MONITOR_MISSES;
  }
  std::string what = "attach to " + Target(pid_, targetFd_);

  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
  if (pidfd < 0) {
    int err = errno;
    ThrowErrno(env, err, what, GetFdExplanation(err, pid_, targetFd_));
  }
  int dup = static_cast<int>(syscall(SYS_pidfd_getfd, pidfd, targetFd_, 0));
  int err = errno;
  close(pidfd);
  if (dup < 0) ThrowErrno(env, err, what, GetFdExplanation(err, pid_, targetFd_));
  // The duplicate is only the capability: closed at once, so the owner's
  // close() still releases its file.
  fd_ = ioctl(dup, UMMUNOTIFY_MONITOR_OPEN, &parm);
  err = errno;
  close(dup);
  if (fd_ < 0) ThrowErrno(env, err, what, OpenExplanation(err, pid_, targetFd_));
  fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
}

Monitor::~Monitor() {
  Release();
}

void Monitor::Release() {
  if (watcher_) {
    watcher_->Stop();
    watcher_.reset();
  }
  if (fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
}

int Monitor::OpenFd(Napi::Env env, const char *what) {
  if (fd_ < 0) ThrowErrno(env, EBADF, what, "the monitor is closed");
  return fd_;
}

// { counter, flags, registrations, queue, seq, dropped }
Napi::Value Monitor::Query(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = OpenFd(env, "query");
  Snapshot snapshot;
  if (int err = TakeSnapshot(fd, UMMUNOTIFY_MONITOR_QUERY, snapshot)) {
    std::string why = err == ENODEV ? "the watched file was closed (its CLOSE record ends the stream)" : "";
    ThrowErrno(env, err, "query of " + Target(pid_, targetFd_), why);
  }
  Napi::Object object = SnapshotToJs(env, snapshot);
  object.Set("seq", FromU64(env, snapshot.result.seq));
  object.Set("dropped", FromU64(env, snapshot.result.dropped));
  return object;
}

// readRaw(maxRecords): one non-blocking read(); an empty ArrayBuffer on
// EAGAIN, null at end of file (after CLOSE). Decoded by native/lib.
Napi::Value Monitor::ReadRaw(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = OpenFd(env, "read");
  uint32_t maxRecords = ToU32(info[0], "read: maxRecords");
  if (maxRecords == 0) ThrowRange(env, "read: maxRecords must be at least 1");
  std::vector<ummunotify_monitor_record> records(maxRecords);
  ssize_t got;
  do {
    got = read(fd, records.data(), records.size() * kRecordSize);
  } while (got < 0 && errno == EINTR);
  if (got < 0 && errno != EAGAIN) ThrowErrno(env, errno, "read of the monitor of " + Target(pid_, targetFd_));
  if (got == 0) return env.Null();
  size_t bytes = got > 0 ? static_cast<size_t>(got) : 0;
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, bytes);
  if (bytes) memcpy(buffer.Data(), records.data(), bytes);
  return buffer;
}

// watchRaw(onBatch(ArrayBuffer, end?), { maxBatch, maxDelayMs }); decoded by native/lib.
Napi::Value Monitor::Watch(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = OpenFd(env, "watch");
  if (watcher_) ThrowErrno(env, EBUSY, "watch", "the monitor is already being watched");
  WatchOptions options = WatchArguments(info);
  watcher_ = std::make_unique<MonitorWatcher>(env, fd, info[0].As<Napi::Function>(), options);
  return env.Undefined();
}

Napi::Value Monitor::Unwatch(const Napi::CallbackInfo &info) {
  if (watcher_) {
    watcher_->Stop();
    watcher_.reset();
  }
  return info.Env().Undefined();
}

Napi::Value Monitor::Close(const Napi::CallbackInfo &info) {
  Release();
  return info.Env().Undefined();
}

Napi::Value Monitor::GetFd(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), fd_);
}

Napi::Value Monitor::GetPid(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), pid_);
}

Napi::Value Monitor::GetTargetFd(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), targetFd_);
}

Napi::Value Monitor::GetClosed(const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(info.Env(), fd_ < 0);
}

}  // namespace ummunotify
