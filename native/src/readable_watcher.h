// A native thread that tells JavaScript when the device became readable
// (poll() reports EPOLLIN), without reading: whoever listens decides when
// to drain. Edge-triggered, so one call follows each wake-up of the file
// (every queued report, the memory map's death), whatever caused it;
// wake-ups that come while a call is still pending on the JS thread fold
// into that call.
#ifndef UMMUNOTIFY_NATIVE_READABLE_WATCHER_H
#define UMMUNOTIFY_NATIVE_READABLE_WATCHER_H

#include <napi.h>

#include <atomic>
#include <memory>
#include <thread>

namespace ummunotify {

class ReadableWatcher {
 public:
  // Starts the thread; onReadable() is called on the JS thread.
  ReadableWatcher(Napi::Env env, int fd, Napi::Function onReadable);
  ~ReadableWatcher();
  // Wakes the thread and joins it; no call starts after Stop() returns.
  void Stop();

 private:
  void Run();

  // Shared with the calls still queued for the JS thread, which may run
  // after this watcher is gone.
  struct Flags {
    std::atomic<bool> pending{false};
    std::atomic<bool> stopped{false};
  };

  int fd_;
  int stopFd_;
  std::shared_ptr<Flags> flags_ = std::make_shared<Flags>();
  Napi::ThreadSafeFunction tsfn_;
  std::thread thread_;
};

}  // namespace ummunotify

#endif
