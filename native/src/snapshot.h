// A QUERY snapshot (UMMUNOTIFY_QUERY on the device, UMMUNOTIFY_MONITOR_QUERY
// on a monitor) with arrays grown until they hold it, and its JS object.
#ifndef UMMUNOTIFY_NATIVE_SNAPSHOT_H
#define UMMUNOTIFY_NATIVE_SNAPSHOT_H

#include <linux/ummunotify.h>
#include <napi.h>

#include <cstdint>
#include <vector>

namespace ummunotify {

struct Snapshot {
  // For UMMUNOTIFY_QUERY only .query is used: it is the argument's prefix.
  ummunotify_monitor_query result{};
  std::vector<ummunotify_query_reg> regs;
  std::vector<uint64_t> queue;
};

// 0, or the errno of the ioctl `cmd` on `fd`.
int TakeSnapshot(int fd, unsigned long cmd, Snapshot &snapshot);

// { counter, flags, registrations: [...], queue: [cookies] }
Napi::Object SnapshotToJs(Napi::Env env, const Snapshot &snapshot);

}  // namespace ummunotify

#endif
