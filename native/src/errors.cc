#include "errors.h"

#include <cstring>
#include <cstdio>

namespace ummunotify {

const char *ErrnoName(int err) {
  const char *name = strerrorname_np(err);
  return name ? name : "EIO";
}

Napi::Error ErrnoError(Napi::Env env, int err, const std::string &what, const std::string &explanation) {
  std::string message = what + ": " + (explanation.empty() ? std::string(strerror(err)) : explanation) + " (" +
                        ErrnoName(err) + ")";
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, ErrnoName(err)));
  error.Set("errno", Napi::Number::New(env, err));
  return error;
}

void ThrowErrno(Napi::Env env, int err, const std::string &what, const std::string &explanation) {
  throw ErrnoError(env, err, what, explanation);
}

void ThrowRange(Napi::Env env, const std::string &message) {
  throw Napi::RangeError::New(env, message);
}

void ThrowType(Napi::Env env, const std::string &message) {
  throw Napi::TypeError::New(env, message);
}

std::string Hex(unsigned long long value) {
  char buf[24];
  snprintf(buf, sizeof(buf), "0x%llx", value);
  return buf;
}

}  // namespace ummunotify
