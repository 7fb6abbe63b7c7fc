// backend is the gRPC server of the bridge benchmark: bench.v1.Arith/Mul, the
// C++ gRPC backend that the bridge forwards to and that grpc_loadgen calls
// directly. It prints "listening grpc ADDR" when ready and serves until
// SIGINT or SIGTERM.
//
//   backend --grpc=127.0.0.1:0 [--api=callback|sync]
//
// --api picks gRPC's server API: callback (the default; on gRPC 1.51 with
// the epoll1 poller its handlers run on gRPC's "nexting" threads) or sync
// (handlers run on the sync server's own polling threads). Measured here
// (README.md): at 64 callers callback costs about half the CPU per call of
// sync (17 vs 35-50 µs) at equal or better throughput; at 1 caller sync is
// ~10% cheaper and ~12 µs faster at p50. The bridge's load is many callers,
// so callback is the default.

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "grpcpp/grpcpp.h"

#include "tools/bench/bridge/bench.grpc.pb.h"

ABSL_FLAG(std::string, grpc, "127.0.0.1:0",
          "gRPC listen address (port 0: any)");
ABSL_FLAG(std::string, api, "callback", "gRPC server API: callback or sync");

namespace {

class SyncArith final : public bench::v1::Arith::Service {
  grpc::Status Mul(grpc::ServerContext*, const bench::v1::Args* args,
                   bench::v1::Reply* reply) override {
    reply->set_c(args->a() * args->b());
    return grpc::Status::OK;
  }
};

class CallbackArith final : public bench::v1::Arith::CallbackService {
  grpc::ServerUnaryReactor* Mul(grpc::CallbackServerContext* context,
                                const bench::v1::Args* args,
                                bench::v1::Reply* reply) override {
    reply->set_c(args->a() * args->b());
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string api = absl::GetFlag(FLAGS_api);
  if (api != "callback" && api != "sync") {
    std::fprintf(stderr, "backend: --api must be callback or sync, not %s\n",
                 api.c_str());
    return 2;
  }

  // Block the stop signals in every thread; main waits for them below.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  SyncArith sync_service;
  CallbackArith callback_service;
  const std::string address = absl::GetFlag(FLAGS_grpc);
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &port);
  if (api == "sync") {
    builder.RegisterService(&sync_service);
  } else {
    builder.RegisterService(&callback_service);
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "backend: cannot listen on %s\n", address.c_str());
    return 1;
  }
  std::printf("listening grpc %s:%d\n",
              address.substr(0, address.rfind(':')).c_str(), port);
  std::fflush(stdout);

  int sig = 0;
  sigwait(&stop, &sig);
  server->Shutdown();
  return 0;
}
