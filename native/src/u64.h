// u64 values (addresses, cookies, counters) cross into JavaScript as BigInt.
#ifndef UMMUNOTIFY_NATIVE_U64_H
#define UMMUNOTIFY_NATIVE_U64_H

#include <napi.h>
#include <cstdint>
#include <string>

namespace ummunotify {

// Throws TypeError unless value is a BigInt, RangeError unless it fits in 64 bits unsigned.
uint64_t ToU64(const Napi::Value &value, const std::string &what);

uint32_t ToU32(const Napi::Value &value, const std::string &what);

Napi::BigInt FromU64(Napi::Env env, uint64_t value);

}  // namespace ummunotify

#endif
