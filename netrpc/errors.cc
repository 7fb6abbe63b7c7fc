// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace netrpc {
namespace {

// Payload type URLs mark our sentinels so that a check never depends on the
// message text alone (a method could return "connection is shut down").
constexpr absl::string_view kShutdownUrl = "type.netrpc/netrpc.ErrShutdown";
constexpr absl::string_view kServerErrorUrl = "type.netrpc/netrpc.ServerError";

absl::Status WithPayload(absl::Status status, absl::string_view url) {
  status.SetPayload(url, absl::Cord());
  return status;
}

}  // namespace

absl::Status ErrShutdown() {
  return WithPayload(absl::UnavailableError("connection is shut down"),
                     kShutdownUrl);
}

bool IsShutdown(const absl::Status& status) {
  return status.GetPayload(kShutdownUrl).has_value();
}

absl::Status ServerError(absl::string_view text) {
  return WithPayload(absl::UnknownError(text), kServerErrorUrl);
}

bool IsServerError(const absl::Status& status) {
  return status.GetPayload(kServerErrorUrl).has_value();
}

absl::Status EOFError() { return absl::OutOfRangeError("EOF"); }

bool IsEOF(const absl::Status& status) {
  return status.code() == absl::StatusCode::kOutOfRange &&
         status.message() == "EOF";
}

absl::Status UnexpectedEOFError() {
  return absl::DataLossError("unexpected EOF");
}

bool IsUnexpectedEOF(const absl::Status& status) {
  return status.message() == "unexpected EOF";
}

absl::Status DeadlineError(absl::Duration timeout) {
  return absl::DeadlineExceededError(
      absl::StrCat("rpc: call timed out after ", absl::FormatDuration(timeout)));
}

absl::Status CanceledError() {
  return absl::CancelledError("rpc: call canceled");
}

}  // namespace netrpc
