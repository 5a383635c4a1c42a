// A native thread that waits on epoll for a file (the device, or a
// monitor) to become readable, reads whole records (struct
// ummunotify_event, or struct ummunotify_monitor_record) and hands them to
// JavaScript in batches through a thread-safe function: one call per batch
// (at most maxBatch records, or what arrived within maxDelayMs of the
// batch's first record), never one call per record, and never blocking the
// JavaScript thread. Every record read from the kernel is delivered exactly
// once, in order, including the partial batch at stop.
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

template <typename Record>
class RecordWatcher {
 public:
  // Starts the thread; onBatch(ArrayBuffer of raw records, end) is called on
  // the JS thread, with `end` set on the last call ('stopped', 'eof' or an Error).
  RecordWatcher(Napi::Env env, int fd, Napi::Function onBatch, WatchOptions options);
  ~RecordWatcher();
  // Wakes the thread, waits for it to deliver what it read, and joins it.
  void Stop();

 private:
  void Run();
  bool Flush(std::vector<Record> &batch, const char *end, int err);

  int fd_;
  int stopFd_;
  WatchOptions options_;
  Napi::ThreadSafeFunction tsfn_;
  std::thread thread_;
};

using EventWatcher = RecordWatcher<ummunotify_event>;
using MonitorWatcher = RecordWatcher<ummunotify_monitor_record>;

// One call of the thread-safe function.
template <typename Record>
struct WatchDelivery {
  std::vector<Record> records;
  std::string end;  // empty: more batches follow
  int err;
};

// watch(onBatch, { maxBatch = 1024, maxDelayMs = 16 }): checks onBatch,
// returns the options.
WatchOptions WatchArguments(const Napi::CallbackInfo &info);

Napi::Array EventsToJs(Napi::Env env, const ummunotify_event *events, size_t count);

}  // namespace ummunotify

#endif
