// A native thread that waits on epoll for the device to become readable,
// reads whole events and hands them to JavaScript in batches through a
// thread-safe function: one call per batch (at most maxBatch events, or
// what arrived within maxDelayMs of the batch's first event), never one
// call per event, and never blocking the JavaScript thread. Every event
// read from the kernel is delivered exactly once, in order, including the
// partial batch at stop.
#ifndef UMMUNOTIFY_NATIVE_EVENT_WATCHER_H
#define UMMUNOTIFY_NATIVE_EVENT_WATCHER_H

#include <linux/ummunotify.h>
#include <napi.h>

#include <string>
#include <thread>
#include <vector>

namespace ummunotify {

struct WatchOptions {
  size_t maxBatch;
  int maxDelayMs;
};

class EventWatcher {
 public:
  // Starts the thread; onBatch(ArrayBuffer of raw events, end) is called on
  // the JS thread, with `end` set on the last call ('stopped', 'eof' or an Error).
  EventWatcher(Napi::Env env, int fd, Napi::Function onBatch, WatchOptions options);
  ~EventWatcher();
  // Wakes the thread, waits for it to deliver what it read, and joins it.
  void Stop();

 private:
  void Run();
  bool Flush(std::vector<ummunotify_event> &batch, const char *end, int err);

  int fd_;
  int stopFd_;
  WatchOptions options_;
  Napi::ThreadSafeFunction tsfn_;
  std::thread thread_;
};

// One call of the thread-safe function.
struct WatchDelivery {
  std::vector<ummunotify_event> events;
  std::string end;  // empty: more batches follow
  int err;
};

Napi::Array EventsToJs(Napi::Env env, const ummunotify_event *events, size_t count);

}  // namespace ummunotify

#endif
