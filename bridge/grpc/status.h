// File: status.h
//
// Conversions between gRPC's status, Abseil's status and the error strings of
// Go's net/rpc, the three ways the bridge's two sides say what went wrong.
//
// The codes of grpc::StatusCode and absl::StatusCode are the same numbers
// (status.cc static_asserts it code by code), so the first two conversions
// keep code and message as they are:
//
//   absl::Status s = bridge::ToAbslStatus(grpc_status);
//   grpc::Status g = bridge::ToGrpcStatus(s);
//
// A Go program prints a gRPC error as Go's gRPC client does:
//
//   bridge::GoStatusText(absl::NotFoundError("no such user"))
//       == "rpc error: code = NotFound desc = no such user"
//
// Toward a net/rpc client, UNKNOWN is special: a net/rpc server's error string
// crosses to gRPC as UNKNOWN with that string as its message (StatusFromNetRpc
// Error), so an UNKNOWN status goes back as exactly its message and the round
// trip gives the Go client the text the Go server wrote. Every other code
// keeps its name readable in Go's text:
//
//   NetRpcErrorText(absl::UnknownError("divide by zero")) == "divide by zero"
//   NetRpcErrorText(absl::UnavailableError("down"))
//       == "rpc error: code = Unavailable desc = down"

#ifndef BRIDGE_GRPC_STATUS_H_
#define BRIDGE_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace bridge {

// ToAbslStatus converts a gRPC status, keeping code and message. A code
// outside gRPC's 17 (a misbehaving peer) becomes kUnknown.
absl::Status ToAbslStatus(const grpc::Status& status);

// ToGrpcStatus converts an Abseil status, keeping code and message. A code
// outside the 17 both share becomes UNKNOWN.
grpc::Status ToGrpcStatus(const absl::Status& status);

// CodeFromNumber returns the code a gRPC status code number stands for, as
// it comes off the wire (a reflection ErrorResponse's error_code); a number
// outside gRPC's 17 codes becomes kUnknown.
absl::StatusCode CodeFromNumber(int code);

// GoCodeName returns the name Go's codes.Code String() gives code: "OK",
// "Canceled", "InvalidArgument", ...; "Code(20)" for a code Go does not know.
std::string GoCodeName(absl::StatusCode code);

// CodeName returns gRPC's name of code ("NOT_FOUND"), as grpc-go and
// Prometheus exporters spell it; a number gRPC does not define is "UNKNOWN".
absl::string_view CodeName(absl::StatusCode code);

// CodeNames lists gRPC's 17 code names in code order, "OK" first.
absl::Span<const absl::string_view> CodeNames();

// GoStatusText returns the text of Go's status.Error(code, msg).Error():
// "rpc error: code = NotFound desc = <message>". Defined for OK too, as Go's.
std::string GoStatusText(const absl::Status& status);

// NetRpcErrorText returns the string a net/rpc client receives for status
// (net/rpc's Response.Error): "" for OK, the message alone for kUnknown with
// a message or for a Go server's own error (netrpc::IsServerError, whatever
// its code), GoStatusText otherwise (never "" for an error, which net/rpc
// would take for success).
std::string NetRpcErrorText(const absl::Status& status);

// StatusFromNetRpcError returns the status a net/rpc error string becomes on
// the gRPC side: kUnknown with the string as message, as Go's gRPC server
// does with a plain error. An empty string (net/rpc's "no error") is OK.
absl::Status StatusFromNetRpcError(absl::string_view error);

}  // namespace bridge

#endif  // BRIDGE_GRPC_STATUS_H_
