// File: estate_testing.h
//
// What the bridge's cross-process tests share: the canonical estate values as
// protobuf messages (the twins of go/estate.go's Go values), a Schema loaded
// from the descriptor sets protoc wrote (as the gateway loads it: nothing
// generated on the bridge's path), a Mapping from textproto config, a
// message comparison that says what differs, and GoUserServer, which runs the
// Go net/rpc peer go/userserver.go.
//
//   absl::StatusOr<std::shared_ptr<const bridge::Schema>> schema =
//       tests::LoadSchema({tests::kEstateDescriptors});
//   absl::StatusOr<std::unique_ptr<tests::GoUserServer>> go =
//       tests::GoUserServer::Start();
//   ... (*go)->address() ...
//   EXPECT_TRUE(tests::ProtoEq(tests::CanonicalUser(), reply));

#ifndef TESTS_BRIDGE_ESTATE_TESTING_H_
#define TESTS_BRIDGE_ESTATE_TESTING_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "gtest/gtest.h"

#include "bridge/mapping.h"
#include "bridge/schema/schema.h"
#include "netrpc/testing/subprocess.h"
#include "tests/bridge/estate.pb.h"

namespace tests {

// Runfile paths of the descriptor sets (protoc --include_imports).
inline constexpr absl::string_view kEstateDescriptors =
    "tests/bridge/estate_proto.pb";
inline constexpr absl::string_view kArithDescriptors =
    "proto/demo/v1/arith_proto.pb";

// CanonicalUserId marks the canonical user (Go's CanonicalUserID).
inline constexpr int64_t kCanonicalUserId = 42;

// CanonicalUser is go/estate.go's canonicalUser() as a message.
estate::v1::User CanonicalUser();

// WidthsMin, WidthsMax and WidthsTiny are go/estate.go's widthsMin(),
// widthsMax() and widthsTiny().
estate::v1::Widths WidthsMin();
estate::v1::Widths WidthsMax();
estate::v1::Widths WidthsTiny();

// LoadSchema links the descriptor sets at the given runfile paths into one
// Schema.
absl::StatusOr<std::shared_ptr<const bridge::Schema>> LoadSchema(
    const std::vector<absl::string_view>& descriptor_sets);

// BuildMapping parses a textproto netrpc.config.v1.Bridge and builds the
// Mapping over schema.
absl::StatusOr<std::shared_ptr<const bridge::Mapping>> BuildMapping(
    absl::string_view config_text,
    std::shared_ptr<const bridge::Schema> schema);

// ProtoEq succeeds if want and got are equal by MessageDifferencer (map
// fields compared as maps; a set empty message differs from an unset one),
// and otherwise says which fields differ. Both must be of the same type.
::testing::AssertionResult ProtoEq(const google::protobuf::Message& want,
                                   const google::protobuf::Message& got);

// GoUserServer is one running go/userserver process: Go's net/rpc Users and
// Arith on raw TCP and on HTTP (rpc.HandleHTTP). The destructor kills it.
class GoUserServer {
 public:
  // Start runs the server with raw TCP on address ("127.0.0.1:0" picks a
  // port) and waits until it says it is listening. It fails if the server
  // exits first (for example because the port is taken).
  static absl::StatusOr<std::unique_ptr<GoUserServer>> Start(
      const std::string& address = "127.0.0.1:0",
      absl::Duration timeout = absl::Seconds(30));

  // address is "127.0.0.1:PORT", where it serves raw TCP (rpc.Accept).
  const std::string& address() const { return address_; }

  // http_address is where it serves HTTP (CONNECT to /_goRPC_).
  const std::string& http_address() const { return http_address_; }

  // Kill sends SIGKILL and waits until the process is reaped.
  absl::Status Kill();

 private:
  GoUserServer(std::unique_ptr<netrpc::testing::Subprocess> process,
               std::string address, std::string http_address)
      : process_(std::move(process)),
        address_(std::move(address)),
        http_address_(std::move(http_address)) {}

  std::unique_ptr<netrpc::testing::Subprocess> process_;
  std::string address_;
  std::string http_address_;
};

// ChecksPassed checks the transcript of a Go checker program (one "PASS
// <name>" or "FAIL <name>: <why>" line per check): no line fails and every
// name in want passed.
::testing::AssertionResult ChecksPassed(absl::string_view transcript,
                                        const std::vector<std::string>& want);

}  // namespace tests

#endif  // TESTS_BRIDGE_ESTATE_TESTING_H_
