// The ummunotify addon: the Device binding (the /dev/ummunotify file) and
// the lab Arena. Built for Node-API 8, so one build loads in Node and Electron.
#include <napi.h>

#include "arena.h"
#include "device.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Device", ummunotify::Device::Define(env));
  exports.Set("Arena", ummunotify::Arena::Define(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(ummunotify, Init)
