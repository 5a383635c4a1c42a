// Errors thrown to JavaScript: an Error whose `code` is the errno name the
// kernel gave ('EINVAL', ...), with a message that says what was wrong.
#ifndef UMMUNOTIFY_NATIVE_ERRORS_H
#define UMMUNOTIFY_NATIVE_ERRORS_H

#include <napi.h>
#include <string>

namespace ummunotify {

const char *ErrnoName(int err);

// An Error with code = ErrnoName(err) and message "<what>: <explanation> (<code>)".
Napi::Error ErrnoError(Napi::Env env, int err, const std::string &what, const std::string &explanation);

[[noreturn]] void ThrowErrno(Napi::Env env, int err, const std::string &what, const std::string &explanation = "");

[[noreturn]] void ThrowRange(Napi::Env env, const std::string &message);

[[noreturn]] void ThrowType(Napi::Env env, const std::string &message);

std::string Hex(unsigned long long value);

}  // namespace ummunotify

#endif
