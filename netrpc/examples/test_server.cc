// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// test_server serves, with netrpc's C++ Server, exactly what Go 1.19's
// net/rpc/server_test.go serves, so that Go's client-side tests (ported in
// tests/netrpc/go/rpcclient) can run against it. An interop fixture: the
// flags and output lines are relied on by tests.
//
//   test_server --tcp=127.0.0.1:0 --http=127.0.0.1:0 --newserver_tcp=127.0.0.1:0
//
// prints one line per listener once it accepts connections:
//
//   listening tcp 127.0.0.1:41234
//   listening http 127.0.0.1:41235
//   listening newserver_tcp 127.0.0.1:41236
//
// and serves until SIGTERM or SIGINT, then exits 0.
//
// Services (as startServer and startNewServer in server_test.go):
//   default server:  Arith, Embed, net.rpc.Arith, BuiltinTypes
//   second server:   Arith, Embed, net.rpc.Arith, newServer.Arith
// --tcp serves the default server with gob; --newserver_tcp the second one;
// --http serves HTTP CONNECT: the default server at /_goRPC_ (debug page
// /debug/rpc) and the second server at /foo (debug page /bar); --jsonrpc
// serves the default server with the jsonrpc codec (see jsonrpc_seam.h).
//
// One deliberate difference: Go's Arith.Error panics (crashing a Go
// server); here it returns the error "ERROR".

#include <pthread.h>
#include <signal.h>

#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "netrpc/examples/jsonrpc_seam.h"
#include "netrpc/examples/types.h"
#include "netrpc/http.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"
#include "netrpc/service.h"

ABSL_FLAG(std::string, tcp, "",
          "serve the default server with gob over TCP at this address");
ABSL_FLAG(std::string, http, "",
          "serve HTTP CONNECT at this address: the default server at "
          "/_goRPC_ and /debug/rpc, the second server at /foo and /bar");
ABSL_FLAG(std::string, newserver_tcp, "",
          "serve the second server with gob over TCP at this address");
ABSL_FLAG(std::string, jsonrpc, "",
          "serve the default server with jsonrpc over TCP at this address");

namespace {

using netrpc::examples::Args;
using netrpc::examples::Reply;

class Arith {
 public:
  // Some of Arith's methods take value args, some pointer args, as Go's.
  absl::Status Add(Args args, Reply* reply) {
    reply->C = args.A + args.B;
    return absl::OkStatus();
  }
  absl::Status Mul(const Args& args, Reply* reply) {
    reply->C = args.A * args.B;
    return absl::OkStatus();
  }
  absl::Status Div(Args args, Reply* reply) {
    if (args.B == 0) return absl::InvalidArgumentError("divide by zero");
    reply->C = args.A / args.B;
    return absl::OkStatus();
  }
  absl::Status String(const Args& args, std::string* reply) {
    *reply = absl::StrFormat("%d+%d=%d", args.A, args.B, args.A + args.B);
    return absl::OkStatus();
  }
  absl::Status Scan(std::string args, Reply* reply) {
    // fmt.Sscan's error for a non-number.
    if (!absl::SimpleAtoi(args, &reply->C)) {
      return absl::InvalidArgumentError("expected integer");
    }
    return absl::OkStatus();
  }
  absl::Status Error(const Args&, Reply*) {
    return absl::InternalError("ERROR");
  }
  absl::Status SleepMilli(const Args& args, Reply*) {
    std::this_thread::sleep_for(std::chrono::milliseconds(args.A));
    return absl::OkStatus();
  }
};

netrpc::Service<Arith> ArithService(Arith* arith) {
  // Every method but SleepMilli is trivially cheap and never blocks: they
  // run inline on the I/O thread (MethodOptions::inline_ok).
  const netrpc::MethodOptions cheap{/*inline_ok=*/true};
  netrpc::Service<Arith> s("Arith", arith);
  s.Method("Add", &Arith::Add, cheap)
      .Method("Mul", &Arith::Mul, cheap)
      .Method("Div", &Arith::Div, cheap)
      .Method("String", &Arith::String, cheap)
      .Method("Scan", &Arith::Scan, cheap)
      .Method("Error", &Arith::Error, cheap)
      .Method("SleepMilli", &Arith::SleepMilli);
  return s;
}

// Embed is Go's `type Embed struct{ hidden }`, whose Exported method is
// promoted from the unexported embedded type.
class Embed {
 public:
  absl::Status Exported(Args args, Reply* reply) {
    reply->C = args.A + args.B;
    return absl::OkStatus();
  }
};

netrpc::Service<Embed> EmbedService(Embed* embed) {
  netrpc::Service<Embed> s("Embed", embed);
  s.Method("Exported", &Embed::Exported);
  return s;
}

// BuiltinTypes is registered by value in Go (value-receiver methods): here
// a const object with const methods.
class BuiltinTypes {
 public:
  absl::Status Map(const Args& args, std::map<int64_t, int64_t>* reply) const {
    (*reply)[args.A] = args.B;
    return absl::OkStatus();
  }
  absl::Status Slice(const Args& args, std::vector<int64_t>* reply) const {
    reply->push_back(args.A);
    reply->push_back(args.B);
    return absl::OkStatus();
  }
  absl::Status Array(const Args& args, std::array<int64_t, 2>* reply) const {
    (*reply)[0] = args.A;
    (*reply)[1] = args.B;
    return absl::OkStatus();
  }
};

netrpc::Service<BuiltinTypes> BuiltinTypesService(const BuiltinTypes* b) {
  netrpc::Service<BuiltinTypes> s("BuiltinTypes", b);
  s.Method("Map", &BuiltinTypes::Map)
      .Method("Slice", &BuiltinTypes::Slice)
      .Method("Array", &BuiltinTypes::Array);
  return s;
}

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "test_server: %s\n", status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "serves the services of Go's net/rpc/server_test.go.\n"
      "  test_server [--tcp=ADDR] [--http=ADDR] [--newserver_tcp=ADDR] "
      "[--jsonrpc=ADDR]\n"
      "ADDR is host:port; port 0 picks a free port. Once a listener accepts "
      "connections, one line is printed on stdout:\n"
      "  listening <tcp|http|newserver_tcp|jsonrpc> <host:port>\n"
      "Runs until SIGTERM or SIGINT, then exits 0.");
  absl::ParseCommandLine(argc, argv);

  // Signals are taken by sigwait below; block them before any thread starts
  // so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  static Arith arith;
  static Embed embed;
  static const BuiltinTypes builtin_types;
  static netrpc::Server new_server;
  for (absl::Status s : {
           netrpc::Register(ArithService(&arith)),
           netrpc::Register(EmbedService(&embed)),
           netrpc::RegisterName("net.rpc.Arith", ArithService(&arith)),
           netrpc::Register(BuiltinTypesService(&builtin_types)),
           new_server.Register(ArithService(&arith)),
           new_server.Register(EmbedService(&embed)),
           new_server.RegisterName("net.rpc.Arith", ArithService(&arith)),
           new_server.RegisterName("newServer.Arith", ArithService(&arith)),
           netrpc::HandleHTTP(),
           new_server.HandleHTTP("/foo", "/bar"),
       }) {
    if (!s.ok()) return Fail(s);
  }

  struct Endpoint {
    std::string name;
    std::string address;
    std::function<void(netrpc::Listener&)> serve;
  };
  std::vector<Endpoint> endpoints = {
      {"tcp", absl::GetFlag(FLAGS_tcp),
       [](netrpc::Listener& l) { netrpc::Accept(l); }},
      {"http", absl::GetFlag(FLAGS_http),
       [](netrpc::Listener& l) { netrpc::ServeHTTP(l); }},
      {"newserver_tcp", absl::GetFlag(FLAGS_newserver_tcp),
       [](netrpc::Listener& l) { new_server.Accept(l); }},
  };
  std::string jsonrpc_address = absl::GetFlag(FLAGS_jsonrpc);
  if (!jsonrpc_address.empty()) {
    netrpc::StreamServerCodecFactory factory =
        netrpc::examples::JsonRpcServerCodecFactory();
    if (factory == nullptr) {
      return Fail(absl::UnimplementedError(
          "--jsonrpc: no jsonrpc codec is linked into this build"));
    }
    endpoints.push_back({"jsonrpc", jsonrpc_address,
                         [factory](netrpc::Listener& l) {
                           netrpc::DefaultServer().AcceptStream(l, factory);
                         }});
  }

  std::vector<std::unique_ptr<netrpc::Listener>> listeners;
  std::vector<std::thread> threads;
  for (const Endpoint& e : endpoints) {
    if (e.address.empty()) continue;
    absl::StatusOr<std::unique_ptr<netrpc::Listener>> l =
        netrpc::Listen("tcp", e.address);
    if (!l.ok()) return Fail(l.status());
    netrpc::Listener* listener = l->get();
    listeners.push_back(std::move(*l));
    threads.emplace_back([e, listener] { e.serve(*listener); });
    // The socket listens already: connections queue until accepted.
    std::printf("listening %s %s\n", e.name.c_str(), listener->Addr().c_str());
    std::fflush(stdout);
  }
  if (listeners.empty()) {
    return Fail(absl::InvalidArgumentError(
        "nothing to serve: give --tcp, --http, --newserver_tcp or --jsonrpc"));
  }

  int sig = 0;
  sigwait(&signals, &sig);
  for (auto& l : listeners) l->Close();
  for (auto& t : threads) t.join();
  return 0;
}
