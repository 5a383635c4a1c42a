#include "u64.h"

#include "errors.h"

#include <cmath>

namespace ummunotify {

uint64_t ToU64(const Napi::Value &value, const std::string &what) {
  if (!value.IsBigInt()) ThrowType(value.Env(), what + " must be a BigInt");
  bool lossless = false;
  uint64_t result = value.As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless) ThrowRange(value.Env(), what + " must be a BigInt in [0, 2^64)");
  return result;
}

uint32_t ToU32(const Napi::Value &value, const std::string &what) {
  if (!value.IsNumber()) ThrowType(value.Env(), what + " must be a number");
  double d = value.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 4294967295.0) || std::floor(d) != d) {
    ThrowRange(value.Env(), what + " must be an integer in [0, 2^32)");
  }
  return static_cast<uint32_t>(d);
}

Napi::BigInt FromU64(Napi::Env env, uint64_t value) {
  return Napi::BigInt::New(env, value);
}

}  // namespace ummunotify
