// The ummunotify addon: the Device binding (the /dev/ummunotify file), the
// Monitor binding (another process's file, watched) and the lab Arena.
// Built for Node-API 8, so one build loads in Node and Electron.
#include <napi.h>

#include "arena.h"
#include "device.h"
#include "monitor.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Device", ummunotify::Device::Define(env));
  exports.Set("Monitor", ummunotify::Monitor::Define(env));
  exports.Set("Arena", ummunotify::Arena::Define(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(ummunotify, Init)
