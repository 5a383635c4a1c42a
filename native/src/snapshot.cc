#include "snapshot.h"

#include "u64.h"

#include <sys/ioctl.h>

#include <cerrno>

namespace ummunotify {

int TakeSnapshot(int fd, unsigned long cmd, Snapshot &s) {
  for (;;) {
    s.result = ummunotify_monitor_query{};
    ummunotify_query &q = s.result.query;
    q.regs_ptr = reinterpret_cast<uintptr_t>(s.regs.data());
    q.queue_ptr = reinterpret_cast<uintptr_t>(s.queue.data());
    q.regs_cap = static_cast<uint32_t>(s.regs.size());
    q.queue_cap = static_cast<uint32_t>(s.queue.size());
    if (ioctl(fd, cmd, &s.result) < 0) return errno;
    if (q.nr_regs <= s.regs.size() && q.nr_queued <= s.queue.size()) return 0;
    // Grow with headroom: registrations may be added between the two calls.
    s.regs.resize(q.nr_regs + q.nr_regs / 4 + 8);
    s.queue.resize(q.nr_queued + q.nr_queued / 4 + 8);
  }
}

Napi::Object SnapshotToJs(Napi::Env env, const Snapshot &s) {
  const ummunotify_query &q = s.result.query;
  Napi::Object snapshot = Napi::Object::New(env);
  snapshot.Set("counter", FromU64(env, q.counter));
  snapshot.Set("flags", Napi::Number::New(env, q.flags));
  Napi::Array registrations = Napi::Array::New(env, q.nr_regs);
  for (uint32_t i = 0; i < q.nr_regs; i++) {
    const ummunotify_query_reg &r = s.regs[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("start", FromU64(env, r.start));
    o.Set("end", FromU64(env, r.end));
    o.Set("cookie", FromU64(env, r.user_cookie));
    o.Set("hintStart", FromU64(env, r.hint_start));
    o.Set("hintEnd", FromU64(env, r.hint_end));
    o.Set("state", Napi::Number::New(env, r.state));
    o.Set("reasonFlags", Napi::Number::New(env, r.reason_flags));
    o.Set("filter", Napi::Number::New(env, r.filter));
    registrations.Set(i, o);
  }
  snapshot.Set("registrations", registrations);
  Napi::Array cookies = Napi::Array::New(env, q.nr_queued);
  for (uint32_t i = 0; i < q.nr_queued; i++) cookies.Set(i, FromU64(env, s.queue[i]));
  snapshot.Set("queue", cookies);
  return snapshot;
}

}  // namespace ummunotify
