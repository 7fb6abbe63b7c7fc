// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// arith_client is the client example of Go's net/rpc package documentation
// in C++: a synchronous Arith.Multiply, an asynchronous Arith.Divide, and a
// division by zero that must fail with the server's "divide by zero". An
// interop fixture: tests run it against Go's and our servers.
//
//   arith_client --addr=127.0.0.1:1234 [--http] [--jsonrpc]
//
// prints
//
//   Arith: 7*8=56
//   Arith: 7/8=0 remainder 7
//   Arith: 7/0 error: divide by zero
//
// and exits 0, or prints what went wrong and exits 1.

#include <cstdio>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "netrpc/client.h"
#include "netrpc/errors.h"
#include "netrpc/examples/jsonrpc_seam.h"
#include "netrpc/examples/types.h"
#include "netrpc/http.h"

ABSL_FLAG(std::string, addr, "", "the server's host:port (required)");
ABSL_FLAG(bool, http, false, "dial with HTTP CONNECT at /_goRPC_ (DialHTTP)");
ABSL_FLAG(bool, jsonrpc, false, "speak jsonrpc instead of gob");

namespace {

using netrpc::examples::Args;
using netrpc::examples::Quotient;

absl::StatusOr<std::unique_ptr<netrpc::Client>> Connect(
    const std::string& addr) {
  if (absl::GetFlag(FLAGS_jsonrpc)) {
    netrpc::examples::ClientCodecFactory factory =
        netrpc::examples::JsonRpcClientCodecFactory();
    if (factory == nullptr) {
      return absl::UnimplementedError(
          "--jsonrpc: no jsonrpc codec is linked into this build");
    }
    absl::StatusOr<std::unique_ptr<netrpc::Conn>> conn = netrpc::DialTCP(addr);
    if (!conn.ok()) return conn.status();
    return netrpc::NewClientWithCodec(factory(std::move(*conn)));
  }
  if (absl::GetFlag(FLAGS_http)) return netrpc::DialHTTP("tcp", addr);
  return netrpc::Dial("tcp", addr);
}

int Run() {
  std::string addr = absl::GetFlag(FLAGS_addr);
  if (addr.empty()) {
    std::fprintf(stderr, "arith_client: --addr is required\n");
    return 2;
  }
  absl::StatusOr<std::unique_ptr<netrpc::Client>> client = Connect(addr);
  if (!client.ok()) {
    std::fprintf(stderr, "dialing: %s\n",
                 std::string(client.status().message()).c_str());
    return 1;
  }

  // Synchronous call.
  Args args{7, 8};
  int64_t reply = 0;
  absl::Status status = (*client)->Call("Arith.Multiply", args, &reply);
  if (!status.ok()) {
    std::fprintf(stderr, "arith error: %s\n",
                 std::string(status.message()).c_str());
    return 1;
  }
  std::printf("Arith: %ld*%ld=%ld\n", static_cast<long>(args.A),
              static_cast<long>(args.B), static_cast<long>(reply));
  if (reply != 56) return 1;

  // Asynchronous call.
  Quotient quotient;
  std::shared_ptr<netrpc::Call> divide =
      (*client)->Go("Arith.Divide", args, &quotient);
  status = divide->Wait();
  if (!status.ok()) {
    std::fprintf(stderr, "arith error: %s\n",
                 std::string(status.message()).c_str());
    return 1;
  }
  std::printf("Arith: %ld/%ld=%ld remainder %ld\n", static_cast<long>(args.A),
              static_cast<long>(args.B), static_cast<long>(quotient.Quo),
              static_cast<long>(quotient.Rem));
  if (quotient.Quo != 0 || quotient.Rem != 7) return 1;

  // The server's error comes back verbatim.
  Args zero{7, 0};
  status = (*client)->Call("Arith.Divide", zero, &quotient);
  if (!netrpc::IsServerError(status) || status.message() != "divide by zero") {
    std::fprintf(stderr, "expected server error \"divide by zero\", got %s\n",
                 status.ToString().c_str());
    return 1;
  }
  std::printf("Arith: 7/0 error: %s\n", std::string(status.message()).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "calls Arith.Multiply and Arith.Divide as Go's net/rpc example does.\n"
      "  arith_client --addr=HOST:PORT [--http] [--jsonrpc]\n"
      "Exits 0 if every result is the expected one.");
  absl::ParseCommandLine(argc, argv);
  return Run();
}
