// The Monitor binding: a monitor (kernel/README.md, "Monitors") on another
// process's /dev/ummunotify file, attached by pid and fd through
// pidfd_open + pidfd_getfd + UMMUNOTIFY_MONITOR_OPEN.
#ifndef UMMUNOTIFY_NATIVE_MONITOR_H
#define UMMUNOTIFY_NATIVE_MONITOR_H

#include <napi.h>

#include <memory>

#include "event_watcher.h"

namespace ummunotify {

class Monitor : public Napi::ObjectWrap<Monitor> {
 public:
  static Napi::Function Define(Napi::Env env);
  // new Monitor(pid, fd, { ringRecords?, misses? })
  explicit Monitor(const Napi::CallbackInfo &info);
  ~Monitor() override;

 private:
  Napi::Value Query(const Napi::CallbackInfo &info);
  Napi::Value ReadRaw(const Napi::CallbackInfo &info);
  Napi::Value Watch(const Napi::CallbackInfo &info);
  Napi::Value Unwatch(const Napi::CallbackInfo &info);
  Napi::Value Close(const Napi::CallbackInfo &info);
  Napi::Value GetFd(const Napi::CallbackInfo &info);
  Napi::Value GetPid(const Napi::CallbackInfo &info);
  Napi::Value GetTargetFd(const Napi::CallbackInfo &info);
  Napi::Value GetClosed(const Napi::CallbackInfo &info);

  int OpenFd(Napi::Env env, const char *what);
  void Release();

  int pid_;
  int targetFd_;
  int fd_ = -1;
  std::unique_ptr<MonitorWatcher> watcher_;
};

}  // namespace ummunotify

#endif
