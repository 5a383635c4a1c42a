#include "readable_watcher.h"

#include "errors.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

namespace ummunotify {

ReadableWatcher::ReadableWatcher(Napi::Env env, int fd, Napi::Function onReadable)
    : fd_(fd), stopFd_(eventfd(0, EFD_CLOEXEC)) {
  if (stopFd_ < 0) ThrowErrno(env, errno, "watchReadable", "eventfd failed");
  tsfn_ = Napi::ThreadSafeFunction::New(env, onReadable, "ummunotify-readable", 0, 1);
  thread_ = std::thread(&ReadableWatcher::Run, this);
}

ReadableWatcher::~ReadableWatcher() {
  Stop();
}

void ReadableWatcher::Stop() {
  if (!thread_.joinable()) return;
  flags_->stopped = true;
  uint64_t one = 1;
  while (write(stopFd_, &one, sizeof(one)) < 0 && errno == EINTR) {
  }
  thread_.join();
  close(stopFd_);
  stopFd_ = -1;
}

void ReadableWatcher::Run() {
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  epoll_event device{};
  device.events = EPOLLIN | EPOLLET;
  device.data.fd = fd_;
  epoll_event stop{};
  stop.events = EPOLLIN;
  stop.data.fd = stopFd_;
  bool running = epfd >= 0 && epoll_ctl(epfd, EPOLL_CTL_ADD, fd_, &device) == 0 &&
                 epoll_ctl(epfd, EPOLL_CTL_ADD, stopFd_, &stop) == 0;
  while (running) {
    epoll_event ready[2];
    int n = epoll_wait(epfd, ready, 2, -1);
    if (n < 0) {
      running = errno == EINTR;
      continue;
    }
    bool readable = false;
    for (int i = 0; i < n; i++) {
      if (ready[i].data.fd == stopFd_) running = false;
      else if (ready[i].events & (EPOLLIN | EPOLLHUP)) readable = true;
    }
    if (!running || !readable || flags_->pending.exchange(true)) continue;
    auto call = [flags = flags_](Napi::Env env, Napi::Function onReadable) {
      // Cleared first: a wake-up from now on needs a call of its own.
      flags->pending = false;
      if (env != nullptr && !flags->stopped) onReadable.Call({});
    };
    if (tsfn_.NonBlockingCall(call) != napi_ok) running = false;
  }
  if (epfd >= 0) close(epfd);
  tsfn_.Release();
}

}  // namespace ummunotify
