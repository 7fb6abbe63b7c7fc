// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: test_services.h
//
// The services Go's jsonrpc tests and captures serve, in C++: the union of
// Arith in net/rpc/jsonrpc/all_test.go (Add, Mul, Div) and in the SPEC's
// capture program shared/wire/vectors/jsonrpccapture.go (Multiply, Divide,
// Square, Sleep, EmptyErr, NilSlice, NaN, Bytes, ErrHTML), and all_test.go's
// BuiltinTypes. tests/jsonrpc/go/jsonpeer serves the same set from Go, so
// that one set of requests can go to either server. Testonly.
//
//   netrpc::Server server;
//   ASSERT_THAT(netrpc::jsonrpc::test::RegisterTestServices(server), IsOk());

#ifndef NETRPC_JSONRPC_TEST_SERVICES_H_
#define NETRPC_JSONRPC_TEST_SERVICES_H_

#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "absl/status/status.h"

#include "netrpc/gob/bind.h"
#include "netrpc/server.h"
#include "netrpc/service.h"

namespace netrpc::jsonrpc::test {

struct Args {
  int64_t A = 0;
  int64_t B = 0;
};
NETRPC_GOB_STRUCT_NAMED(Args, "main.Args", A, B);

struct Reply {
  int64_t C = 0;
};
NETRPC_GOB_STRUCT_NAMED(Reply, "main.Reply", C);

struct Quotient {
  int64_t Quo = 0;
  int64_t Rem = 0;
};
NETRPC_GOB_STRUCT_NAMED(Quotient, "main.Quotient", Quo, Rem);

class Arith {
 public:
  // all_test.go
  absl::Status Add(const Args& args, Reply* reply) {
    reply->C = args.A + args.B;
    return absl::OkStatus();
  }
  absl::Status Mul(const Args& args, Reply* reply) {
    reply->C = args.A * args.B;
    return absl::OkStatus();
  }
  absl::Status Div(const Args& args, Reply* reply) {
    if (args.B == 0) return absl::InvalidArgumentError("divide by zero");
    reply->C = args.A / args.B;
    return absl::OkStatus();
  }

  // jsonrpccapture.go
  absl::Status Multiply(const Args& args, int64_t* reply) {
    *reply = args.A * args.B;
    return absl::OkStatus();
  }
  absl::Status Divide(const Args& args, Quotient* quo) {
    if (args.B == 0) return absl::InvalidArgumentError("divide by zero");
    quo->Quo = args.A / args.B;
    quo->Rem = args.A % args.B;
    return absl::OkStatus();
  }
  absl::Status Square(int64_t x, int64_t* reply) {
    *reply = x * x;
    return absl::OkStatus();
  }
  absl::Status Sleep(int64_t ms, int64_t* reply) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    *reply = ms;
    return absl::OkStatus();
  }
  // Go: `*reply = 5; return errors.New("")`, which net/rpc calls success.
  absl::Status EmptyErr(int64_t, int64_t* reply) {
    *reply = 5;
    return absl::UnknownError("");
  }
  // Go: `*reply = nil` for a []int; a C++ vector cannot be nil.
  absl::Status NilSlice(int64_t, std::optional<std::vector<int64_t>>* reply) {
    reply->reset();
    return absl::OkStatus();
  }
  absl::Status NaN(int64_t, double* reply) {
    *reply = std::nan("");
    return absl::OkStatus();
  }
  absl::Status Bytes(int64_t, gob::Bytes* reply) {
    *reply = {1, 2, 3};
    return absl::OkStatus();
  }
  absl::Status ErrHTML(int64_t, int64_t*) {
    return absl::InvalidArgumentError("a<b>&c \u2028");
  }
};

// BuiltinTypes is registered by value in Go: const methods.
class BuiltinTypes {
 public:
  absl::Status Map(int64_t i, std::map<int64_t, int64_t>* reply) const {
    (*reply)[i] = i;
    return absl::OkStatus();
  }
  absl::Status Slice(int64_t i, std::vector<int64_t>* reply) const {
    reply->push_back(i);
    return absl::OkStatus();
  }
  absl::Status Array(int64_t i, std::array<int64_t, 1>* reply) const {
    (*reply)[0] = i;
    return absl::OkStatus();
  }
};

// RegisterTestServices registers Arith and BuiltinTypes (process-wide
// objects) on `server`.
inline absl::Status RegisterTestServices(Server& server) {
  static Arith* arith = new Arith;
  static const BuiltinTypes* builtin_types = new BuiltinTypes;
  Service<Arith> a("Arith", arith);
  a.Method("Add", &Arith::Add)
      .Method("Mul", &Arith::Mul)
      .Method("Div", &Arith::Div)
      .Method("Multiply", &Arith::Multiply)
      .Method("Divide", &Arith::Divide)
      .Method("Square", &Arith::Square)
      .Method("Sleep", &Arith::Sleep)
      .Method("EmptyErr", &Arith::EmptyErr)
      .Method("NilSlice", &Arith::NilSlice)
      .Method("NaN", &Arith::NaN)
      .Method("Bytes", &Arith::Bytes)
      .Method("ErrHTML", &Arith::ErrHTML);
  Service<BuiltinTypes> b("BuiltinTypes", builtin_types);
  b.Method("Map", &BuiltinTypes::Map)
      .Method("Slice", &BuiltinTypes::Slice)
      .Method("Array", &BuiltinTypes::Array);
  absl::Status status = server.Register(a);
  if (!status.ok()) return status;
  return server.Register(b);
}

}  // namespace netrpc::jsonrpc::test

#endif  // NETRPC_JSONRPC_TEST_SERVICES_H_
