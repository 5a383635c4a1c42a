#include "event_watcher.h"

#include "errors.h"
#include "u64.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace ummunotify {

namespace {

// The batch crosses as one ArrayBuffer of raw records (copied: Electron's
// V8 sandbox forbids external buffers); the TypeScript side
// (native/lib/events.ts, native/lib/monitor-records.ts) turns it into
// objects, which JIT-compiled JavaScript does several times faster than
// per-property Node-API calls.
template <typename Record>
void CallJs(Napi::Env env, Napi::Function onBatch, WatchDelivery<Record> *delivery) {
  if (env != nullptr && onBatch != nullptr) {
    size_t bytes = delivery->records.size() * sizeof(Record);
    Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, bytes);
    if (bytes) memcpy(buffer.Data(), delivery->records.data(), bytes);
    if (delivery->end.empty()) {
      onBatch.Call({buffer});
    } else if (delivery->end == "error") {
      onBatch.Call({buffer, ErrnoError(env, delivery->err, "watch", "reading events failed").Value()});
    } else {
      onBatch.Call({buffer, Napi::String::New(env, delivery->end)});
    }
  }
  delete delivery;
}

}  // namespace

WatchOptions WatchArguments(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!info[0].IsFunction()) ThrowType(env, "watch: onBatch must be a function");
  uint32_t maxBatch = 1024;
  uint32_t maxDelayMs = 16;
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    if (!info[1].IsObject()) ThrowType(env, "watch: options must be an object");
    Napi::Object options = info[1].As<Napi::Object>();
    if (options.Has("maxBatch")) maxBatch = ToU32(options.Get("maxBatch"), "watch: maxBatch");
    if (options.Has("maxDelayMs")) maxDelayMs = ToU32(options.Get("maxDelayMs"), "watch: maxDelayMs");
  }
  if (maxBatch == 0) ThrowRange(env, "watch: maxBatch must be at least 1");
  if (maxDelayMs > 60000) ThrowRange(env, "watch: maxDelayMs must be at most 60000");
  return WatchOptions{maxBatch, static_cast<int>(maxDelayMs)};
}

Napi::Array EventsToJs(Napi::Env env, const ummunotify_event *events, size_t count) {
  // Property keys made once per batch, not once per event.
  Napi::String type = Napi::String::New(env, "type");
  Napi::String flags = Napi::String::New(env, "flags");
  Napi::String hintStart = Napi::String::New(env, "hintStart");
  Napi::String hintEnd = Napi::String::New(env, "hintEnd");
  Napi::String cookieOrCounter = Napi::String::New(env, "cookieOrCounter");
  Napi::Array array = Napi::Array::New(env, count);
  for (size_t i = 0; i < count; i++) {
    const ummunotify_event &e = events[i];
    Napi::Object object = Napi::Object::New(env);
    object.Set(type, Napi::Number::New(env, e.type));
    object.Set(flags, Napi::Number::New(env, e.flags));
    object.Set(hintStart, FromU64(env, e.hint_start));
    object.Set(hintEnd, FromU64(env, e.hint_end));
    object.Set(cookieOrCounter, FromU64(env, e.user_cookie_counter));
    array.Set(i, object);
  }
  return array;
}

template <typename Record>
RecordWatcher<Record>::RecordWatcher(Napi::Env env, int fd, Napi::Function onBatch, WatchOptions options)
    : fd_(fd), stopFd_(eventfd(0, EFD_CLOEXEC)), options_(options) {
  if (stopFd_ < 0) ThrowErrno(env, errno, "watch", "eventfd failed");
  tsfn_ = Napi::ThreadSafeFunction::New(env, onBatch, "ummunotify-watch", 0, 1);
  thread_ = std::thread(&RecordWatcher::Run, this);
}

template <typename Record>
RecordWatcher<Record>::~RecordWatcher() {
  Stop();
}

template <typename Record>
void RecordWatcher<Record>::Stop() {
  if (!thread_.joinable()) return;
  uint64_t one = 1;
  while (write(stopFd_, &one, sizeof(one)) < 0 && errno == EINTR) {
  }
  thread_.join();
  close(stopFd_);
  stopFd_ = -1;
}

template <typename Record>
bool RecordWatcher<Record>::Flush(std::vector<Record> &batch, const char *end, int err) {
  if (batch.empty() && end == nullptr) return true;
  auto *delivery = new WatchDelivery<Record>{std::move(batch), end ? end : "", err};
  batch = std::vector<Record>();
  batch.reserve(options_.maxBatch);
  if (tsfn_.BlockingCall(delivery, CallJs<Record>) != napi_ok) {
    delete delivery;
    return false;
  }
  return true;
}

template <typename Record>
void RecordWatcher<Record>::Run() {
  using Clock = std::chrono::steady_clock;
  constexpr size_t kRecordsPerRead = 4096 / sizeof(Record);
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  epoll_event device{};
  device.events = EPOLLIN;
  device.data.fd = fd_;
  epoll_event stop{};
  stop.events = EPOLLIN;
  stop.data.fd = stopFd_;
  std::vector<Record> batch;
  batch.reserve(options_.maxBatch);
  const char *end = nullptr;
  int err = 0;
  if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, fd_, &device) < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, stopFd_, &stop) < 0) {
    end = "error";
    err = errno;
  }
  Clock::time_point deadline;
  while (end == nullptr) {
    int timeout = -1;
    if (!batch.empty()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      timeout = left > 0 ? static_cast<int>(left) : 0;
    }
    epoll_event ready[2];
    int n = epoll_wait(epfd, ready, 2, timeout);
    if (n < 0) {
      if (errno == EINTR) continue;
      end = "error";
      err = errno;
      break;
    }
    bool readable = false;
    for (int i = 0; i < n; i++) {
      if (ready[i].data.fd == stopFd_) end = "stopped";
      else readable = true;
    }
    if (end != nullptr) break;
    // Drain until the kernel queue is empty, handing over full batches as they fill.
    while (readable) {
      size_t room = options_.maxBatch - batch.size();
      size_t want = room < kRecordsPerRead ? room : kRecordsPerRead;
      size_t old = batch.size();
      if (old == 0) deadline = Clock::now() + std::chrono::milliseconds(options_.maxDelayMs);
      batch.resize(old + want);
      ssize_t got = read(fd_, batch.data() + old, want * sizeof(Record));
      batch.resize(old + (got > 0 ? static_cast<size_t>(got) / sizeof(Record) : 0));
      if (got == 0) {
        end = "eof";
        break;
      }
      if (got < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN) {
          end = "error";
          err = errno;
        }
        break;
      }
      if (batch.size() == options_.maxBatch && !Flush(batch, nullptr, 0)) {
        end = "stopped";
        break;
      }
    }
    if (end == nullptr && !batch.empty() && Clock::now() >= deadline && !Flush(batch, nullptr, 0)) break;
  }
  Flush(batch, end ? end : "stopped", err);
  if (epfd >= 0) close(epfd);
  tsfn_.Release();
}

template class RecordWatcher<ummunotify_event>;
template class RecordWatcher<ummunotify_monitor_record>;

}  // namespace ummunotify
