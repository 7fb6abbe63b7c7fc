// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: log.h
//
// Where netrpc reports what Go's net/rpc reports with package log: accept
// errors ("rpc.Serve: accept:..."), registration problems, responses that
// could not be encoded. Nothing on the data path logs per call.
//
//   netrpc::SetLogFunction([](absl::string_view line) { MyLogger(line); });
//
// Default: each line goes to stderr.

#ifndef NETRPC_LOG_H_
#define NETRPC_LOG_H_

#include <functional>

#include "absl/strings/string_view.h"

namespace netrpc {

// LogFunction receives one log line, without a trailing newline.
using LogFunction = std::function<void(absl::string_view line)>;

// SetLogFunction replaces the log sink for the whole process; nullptr
// restores the default. [thread-safe]
void SetLogFunction(LogFunction log);

// Log writes one line to the sink. [thread-safe]
void Log(absl::string_view line);

}  // namespace netrpc

#endif  // NETRPC_LOG_H_
