// File: log.h
//
// The gateway's structured log: one line per event, logfmt (key=value, values
// with spaces or quotes quoted), to stderr, filtered by level.
//
//   gateway::SetLogLevel(gateway::LogLevel::kInfo);
//   gateway::Log(gateway::LogLevel::kWarn, "call failed",
//                {{"route", "Arith.Divide"}, {"peer", "127.0.0.1:5312"},
//                 {"code", "UNAVAILABLE"}, {"error", text}});
//
// prints
//
//   ts=2026-11-24T17:02:03.123Z level=warn msg="call failed" route=Arith.Divide ...
//
// netrpc's own log lines (accept errors and the like) are routed here at
// level warn by InstallNetRpcLog().

#ifndef GATEWAY_LOG_H_
#define GATEWAY_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gateway {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// ParseLogLevel reads "debug", "info", "warn" or "error".
absl::StatusOr<LogLevel> ParseLogLevel(absl::string_view name);

// SetLogLevel drops lines below level. Default: kInfo. [thread-safe]
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);

using LogField = std::pair<absl::string_view, absl::string_view>;

// Log writes one line if level is enabled. [thread-safe]
void Log(LogLevel level, absl::string_view msg,
         std::initializer_list<LogField> fields = {});

// FormatLogLine renders a line as Log does, without the timestamp (tests).
std::string FormatLogLine(LogLevel level, absl::string_view msg,
                          std::initializer_list<LogField> fields);

// InstallNetRpcLog sends netrpc::Log lines to Log at kWarn.
void InstallNetRpcLog();

}  // namespace gateway

#endif  // GATEWAY_LOG_H_
