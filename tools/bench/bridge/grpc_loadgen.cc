// grpc_loadgen drives bench.v1.Arith/Mul over gRPC the way
// tools/bench/netrpc/loadgen.go drives Go net/rpc's Arith.Mul: same flags,
// same work (Mul(i, 3), every reply checked; a wrong reply or an error is
// fatal), same output line:
//
//   callers conns calls secs calls/s p50 p99      (latencies in µs)
//
//   grpc_loadgen --target=127.0.0.1:50051 --callers=64 --calls=100000
//
// All callers share one channel (one HTTP/2 connection); each caller is a
// thread making blocking unary calls through the generated stub, which is
// gRPC C++'s cheapest client path for one call in flight per thread.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "grpcpp/grpcpp.h"

#include "tools/bench/bridge/bench.grpc.pb.h"

ABSL_FLAG(std::string, target, "", "gRPC server address (host:port)");
ABSL_FLAG(int, callers, 1, "concurrent callers (threads)");
ABSL_FLAG(int, calls, 20000, "total calls (split across callers)");
ABSL_FLAG(int, warmup, 1000, "untimed calls first");

namespace {

using Clock = std::chrono::steady_clock;

void Call(bench::v1::Arith::Stub& stub, int64_t i) {
  bench::v1::Args args;
  args.set_a(i);
  args.set_b(3);
  bench::v1::Reply reply;
  grpc::ClientContext context;
  grpc::Status s = stub.Mul(&context, args, &reply);
  if (!s.ok()) {
    std::fprintf(stderr, "grpc_loadgen: Mul: %d %s\n", s.error_code(),
                 s.error_message().c_str());
    std::exit(1);
  }
  if (reply.c() != i * 3) {
    std::fprintf(stderr, "grpc_loadgen: Mul(%lld, 3) = %lld\n",
                 static_cast<long long>(i), static_cast<long long>(reply.c()));
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string target = absl::GetFlag(FLAGS_target);
  const int callers = absl::GetFlag(FLAGS_callers);
  const int calls = absl::GetFlag(FLAGS_calls);
  const int warmup = absl::GetFlag(FLAGS_warmup);
  if (target.empty() || callers < 1 || calls < callers || warmup < 0) {
    std::fprintf(stderr,
                 "usage: grpc_loadgen --target=ADDR [--callers=N] "
                 "[--calls=M>=N] [--warmup=W]\n");
    return 2;
  }

  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                 std::chrono::seconds(10))) {
    std::fprintf(stderr, "grpc_loadgen: cannot connect to %s\n",
                 target.c_str());
    return 1;
  }
  std::unique_ptr<bench::v1::Arith::Stub> stub =
      bench::v1::Arith::NewStub(channel);
  for (int i = 0; i < warmup; i++) Call(*stub, i);

  const int per = calls / callers;
  std::vector<std::vector<int64_t>> lat(callers);  // ns
  std::atomic<int64_t> next{0};
  std::vector<std::thread> threads;
  threads.reserve(callers);
  const Clock::time_point start = Clock::now();
  for (int g = 0; g < callers; g++) {
    threads.emplace_back([&, g] {
      std::vector<int64_t>& l = lat[g];
      l.reserve(per);
      for (int k = 0; k < per; k++) {
        int64_t i = next.fetch_add(1, std::memory_order_relaxed) + 1;
        Clock::time_point t = Clock::now();
        Call(*stub, i);
        l.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(
                        Clock::now() - t)
                        .count());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double secs =
      std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<int64_t> all;
  all.reserve(static_cast<size_t>(per) * callers);
  for (const std::vector<int64_t>& l : lat)
    all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  // As loadgen.go: the sample at p*(n-1), in whole microseconds (truncated).
  auto pct = [&](double p) {
    return static_cast<double>(
        all[static_cast<size_t>(p * static_cast<double>(all.size() - 1))] /
        1000);
  };
  std::printf("%d %d %zu %.3f %.0f %.0f %.0f\n", callers, 1, all.size(), secs,
              static_cast<double>(all.size()) / secs, pct(0.50), pct(0.99));
  return 0;
}
