#include "bridge/grpc/status.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace bridge {
namespace {

// Go's codes.Code String(), codes 0 to 16, from codes/code_string.go.
const std::vector<std::pair<absl::StatusCode, std::string>>& GoNames() {
  static const auto* names =
      new std::vector<std::pair<absl::StatusCode, std::string>>{
          {absl::StatusCode::kOk, "OK"},
          {absl::StatusCode::kCancelled, "Canceled"},
          {absl::StatusCode::kUnknown, "Unknown"},
          {absl::StatusCode::kInvalidArgument, "InvalidArgument"},
          {absl::StatusCode::kDeadlineExceeded, "DeadlineExceeded"},
          {absl::StatusCode::kNotFound, "NotFound"},
          {absl::StatusCode::kAlreadyExists, "AlreadyExists"},
          {absl::StatusCode::kPermissionDenied, "PermissionDenied"},
          {absl::StatusCode::kResourceExhausted, "ResourceExhausted"},
          {absl::StatusCode::kFailedPrecondition, "FailedPrecondition"},
          {absl::StatusCode::kAborted, "Aborted"},
          {absl::StatusCode::kOutOfRange, "OutOfRange"},
          {absl::StatusCode::kUnimplemented, "Unimplemented"},
          {absl::StatusCode::kInternal, "Internal"},
          {absl::StatusCode::kUnavailable, "Unavailable"},
          {absl::StatusCode::kDataLoss, "DataLoss"},
          {absl::StatusCode::kUnauthenticated, "Unauthenticated"},
      };
  return *names;
}

TEST(StatusTest, GoCodeNamesMatchGo) {
  for (const auto& [code, name] : GoNames()) {
    EXPECT_EQ(GoCodeName(code), name) << static_cast<int>(code);
  }
  EXPECT_EQ(GoCodeName(static_cast<absl::StatusCode>(20)), "Code(20)");
}

TEST(StatusTest, RoundTripKeepsCodeAndMessage) {
  for (const auto& [code, name] : GoNames()) {
    if (code == absl::StatusCode::kOk) continue;
    absl::Status status(code, "message of " + name);
    grpc::Status g = ToGrpcStatus(status);
    EXPECT_EQ(static_cast<int>(g.error_code()), static_cast<int>(code));
    EXPECT_EQ(g.error_message(), "message of " + name);
    EXPECT_EQ(ToAbslStatus(g), status);
  }
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(ToAbslStatus(grpc::Status::OK).ok());
}

TEST(StatusTest, UnknownCodesBecomeUnknown) {
  // 20: a code a newer peer might send (and within the enum's range).
  grpc::Status odd(static_cast<grpc::StatusCode>(20), "odd");
  EXPECT_EQ(ToAbslStatus(odd), absl::UnknownError("odd"));
  EXPECT_EQ(CodeFromNumber(99), absl::StatusCode::kUnknown);
  EXPECT_EQ(CodeFromNumber(-1), absl::StatusCode::kUnknown);
  EXPECT_EQ(CodeFromNumber(5), absl::StatusCode::kNotFound);
  absl::Status also_odd(static_cast<absl::StatusCode>(42), "also odd");
  grpc::Status g = ToGrpcStatus(also_odd);
  EXPECT_EQ(g.error_code(), grpc::StatusCode::UNKNOWN);
  EXPECT_EQ(g.error_message(), "also odd");
}

TEST(StatusTest, GoStatusTextIsGoClientText) {
  EXPECT_EQ(GoStatusText(absl::NotFoundError("no such user")),
            "rpc error: code = NotFound desc = no such user");
  EXPECT_EQ(
      GoStatusText(absl::DeadlineExceededError("context deadline exceeded")),
      "rpc error: code = DeadlineExceeded desc = context deadline "
      "exceeded");
  EXPECT_EQ(GoStatusText(absl::CancelledError("")),
            "rpc error: code = Canceled desc = ");
}

TEST(StatusTest, NetRpcErrorTextPassesUnknownMessagesThrough) {
  EXPECT_EQ(NetRpcErrorText(absl::OkStatus()), "");
  EXPECT_EQ(NetRpcErrorText(absl::UnknownError("divide by zero")),
            "divide by zero");
  EXPECT_EQ(NetRpcErrorText(absl::UnavailableError("connection refused")),
            "rpc error: code = Unavailable desc = connection refused");
  EXPECT_EQ(NetRpcErrorText(absl::InvalidArgumentError("bad")),
            "rpc error: code = InvalidArgument desc = bad");
}

TEST(StatusTest, NetRpcErrorTextIsNeverEmptyForAnError) {
  // net/rpc reads an empty error string as success.
  EXPECT_EQ(NetRpcErrorText(absl::UnknownError("")),
            "rpc error: code = Unknown desc = ");
}

TEST(StatusTest, NetRpcErrorsRoundTrip) {
  for (const char* text : {"divide by zero", "rpc: can't find method Arith.Add",
                           "rpc error: code = NotFound desc = nested"}) {
    absl::Status status = StatusFromNetRpcError(text);
    EXPECT_EQ(status.code(), absl::StatusCode::kUnknown);
    EXPECT_EQ(NetRpcErrorText(status), text);
  }
  EXPECT_TRUE(StatusFromNetRpcError("").ok());
}

}  // namespace
}  // namespace bridge
