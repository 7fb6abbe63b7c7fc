#include "bridge/grpc/status.h"

#include <iterator>

#include "absl/strings/str_cat.h"
#include "netrpc/errors.h"

namespace bridge {
namespace {

// The conversions below cast one code to the other, which is right only as
// long as every code has the same number in both; check each one.
#define BRIDGE_SAME_CODE(grpc_code, absl_code)                     \
  static_assert(static_cast<int>(grpc::StatusCode::grpc_code) ==   \
                    static_cast<int>(absl::StatusCode::absl_code), \
                #grpc_code " and " #absl_code " differ")
BRIDGE_SAME_CODE(OK, kOk);
BRIDGE_SAME_CODE(CANCELLED, kCancelled);
BRIDGE_SAME_CODE(UNKNOWN, kUnknown);
BRIDGE_SAME_CODE(INVALID_ARGUMENT, kInvalidArgument);
BRIDGE_SAME_CODE(DEADLINE_EXCEEDED, kDeadlineExceeded);
BRIDGE_SAME_CODE(NOT_FOUND, kNotFound);
BRIDGE_SAME_CODE(ALREADY_EXISTS, kAlreadyExists);
BRIDGE_SAME_CODE(PERMISSION_DENIED, kPermissionDenied);
BRIDGE_SAME_CODE(RESOURCE_EXHAUSTED, kResourceExhausted);
BRIDGE_SAME_CODE(FAILED_PRECONDITION, kFailedPrecondition);
BRIDGE_SAME_CODE(ABORTED, kAborted);
BRIDGE_SAME_CODE(OUT_OF_RANGE, kOutOfRange);
BRIDGE_SAME_CODE(UNIMPLEMENTED, kUnimplemented);
BRIDGE_SAME_CODE(INTERNAL, kInternal);
BRIDGE_SAME_CODE(UNAVAILABLE, kUnavailable);
BRIDGE_SAME_CODE(DATA_LOSS, kDataLoss);
BRIDGE_SAME_CODE(UNAUTHENTICATED, kUnauthenticated);
#undef BRIDGE_SAME_CODE

constexpr int kMaxCode = static_cast<int>(absl::StatusCode::kUnauthenticated);

bool Known(int code) { return code >= 0 && code <= kMaxCode; }

}  // namespace

absl::StatusCode CodeFromNumber(int code) {
  return Known(code) ? static_cast<absl::StatusCode>(code)
                     : absl::StatusCode::kUnknown;
}

absl::Status ToAbslStatus(const grpc::Status& status) {
  return absl::Status(CodeFromNumber(static_cast<int>(status.error_code())),
                      status.error_message());
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  int code = static_cast<int>(status.code());
  if (!Known(code)) code = static_cast<int>(grpc::StatusCode::UNKNOWN);
  if (code == static_cast<int>(grpc::StatusCode::OK)) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(code),
                      std::string(status.message()));
}

std::string GoCodeName(absl::StatusCode code) {
  // Go's codes/code_string.go, name for name.
  switch (code) {
    case absl::StatusCode::kOk:
      return "OK";
    case absl::StatusCode::kCancelled:
      return "Canceled";
    case absl::StatusCode::kUnknown:
      return "Unknown";
    case absl::StatusCode::kInvalidArgument:
      return "InvalidArgument";
    case absl::StatusCode::kDeadlineExceeded:
      return "DeadlineExceeded";
    case absl::StatusCode::kNotFound:
      return "NotFound";
    case absl::StatusCode::kAlreadyExists:
      return "AlreadyExists";
    case absl::StatusCode::kPermissionDenied:
      return "PermissionDenied";
    case absl::StatusCode::kResourceExhausted:
      return "ResourceExhausted";
    case absl::StatusCode::kFailedPrecondition:
      return "FailedPrecondition";
    case absl::StatusCode::kAborted:
      return "Aborted";
    case absl::StatusCode::kOutOfRange:
      return "OutOfRange";
    case absl::StatusCode::kUnimplemented:
      return "Unimplemented";
    case absl::StatusCode::kInternal:
      return "Internal";
    case absl::StatusCode::kUnavailable:
      return "Unavailable";
    case absl::StatusCode::kDataLoss:
      return "DataLoss";
    case absl::StatusCode::kUnauthenticated:
      return "Unauthenticated";
    default:
      return absl::StrCat("Code(", static_cast<int>(code), ")");
  }
}

std::string GoStatusText(const absl::Status& status) {
  return absl::StrCat("rpc error: code = ", GoCodeName(status.code()),
                      " desc = ", status.message());
}

namespace {

// gRPC's code names, indexed by code number; Abseil's StatusCode uses the
// same numbers (checked above).
constexpr absl::string_view kCodeNames[] = {
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
};

}  // namespace

absl::string_view CodeName(absl::StatusCode code) {
  int i = static_cast<int>(code);
  return i >= 0 && i < static_cast<int>(std::size(kCodeNames))
             ? kCodeNames[i]
             : kCodeNames[static_cast<int>(absl::StatusCode::kUnknown)];
}

absl::Span<const absl::string_view> CodeNames() { return kCodeNames; }

std::string NetRpcErrorText(const absl::Status& status) {
  if (status.ok()) return "";
  // A Go net/rpc server's own text (a net/rpc upstream's, whatever code the
  // error rules gave it) goes to a net/rpc caller unchanged.
  if (netrpc::IsServerError(status) && !status.message().empty()) {
    return std::string(status.message());
  }
  // An empty Response.Error means success to net/rpc, so an UNKNOWN status
  // without a message must still say something.
  if (status.code() == absl::StatusCode::kUnknown &&
      !status.message().empty()) {
    return std::string(status.message());
  }
  return GoStatusText(status);
}

absl::Status StatusFromNetRpcError(absl::string_view error) {
  if (error.empty()) return absl::OkStatus();
  return absl::UnknownError(error);
}

}  // namespace bridge
