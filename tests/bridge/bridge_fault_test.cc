// Direction 2 under faults: the Go net/rpc upstream (go/userserver.go) is
// killed with SIGKILL while gRPC clients load the bridge, then restarted on
// the same port; it is down when the bridge starts; and a config names a
// method the schema lacks.
//
// What must hold: every call gets exactly one result, OK or UNAVAILABLE /
// DEADLINE_EXCEEDED (never another code, never a reply to another call);
// calls fail while the upstream is down, naming its address; and calls
// succeed again once it is back, with no restart of the bridge.

#include <atomic>
#include <condition_variable>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

#include "bridge/grpc/generic_server.h"
#include "bridge/grpc_to_netrpc.h"
#include "bridge/mapping.h"
#include "bridge/netrpc_pool.h"
#include "netrpc/listener.h"
#include "netrpc/testing/status_matchers.h"
#include "tests/bridge/estate.grpc.pb.h"
#include "tests/bridge/estate_testing.h"

namespace tests {
namespace {

using ::estate::v1::User;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kConfig[] = R"pb(
  package: "estate.v1"
  services { name: "Users" }
)pb";

// CountingHandler passes calls to the bridge's handler and counts the
// answers: each call must be answered exactly once.
class CountingHandler final : public bridge::UnaryHandler {
 public:
  explicit CountingHandler(bridge::UnaryHandler* inner) : inner_(inner) {}

  void Handle(const bridge::ServerCall& call, Done done) override {
    handled_.fetch_add(1);
    auto answered = std::make_shared<std::atomic<bool>>(false);
    inner_->Handle(
        call, [this, answered, done = std::move(done)](
                  absl::StatusOr<std::string> result) mutable {
          if (answered->exchange(true)) {
            answered_twice_.fetch_add(1);
            return;
          }
          answered_.fetch_add(1);
          done(std::move(result));
        });
  }

  int handled() const { return handled_.load(); }
  int answered() const { return answered_.load(); }
  int answered_twice() const { return answered_twice_.load(); }

 private:
  bridge::UnaryHandler* const inner_;
  std::atomic<int> handled_{0};
  std::atomic<int> answered_{0};
  std::atomic<int> answered_twice_{0};
};

// Bridge is direction 2 to one net/rpc address, with a counting handler.
struct Bridge {
  explicit Bridge(const std::string& upstream) {
    absl::StatusOr<std::shared_ptr<const bridge::Schema>> schema =
        LoadSchema({kEstateDescriptors});
    EXPECT_THAT(schema, IsOk());
    if (!schema.ok()) return;
    absl::StatusOr<std::shared_ptr<const bridge::Mapping>> mapping =
        BuildMapping(kConfig, *schema);
    EXPECT_THAT(mapping, IsOk());
    if (!mapping.ok()) return;
    bridge::NetRpcPoolOptions options;
    options.address = upstream;
    options.redial_backoff = absl::Milliseconds(20);
    pool = std::make_unique<bridge::NetRpcPool>(options);
    handler = std::make_unique<bridge::GrpcToNetRpc>(*mapping, pool.get());
    counting = std::make_unique<CountingHandler>(handler.get());
    absl::StatusOr<std::unique_ptr<bridge::GenericServer>> s =
        bridge::GenericServer::Start({}, *schema, counting.get());
    EXPECT_THAT(s, IsOk());
    if (!s.ok()) return;
    server = *std::move(s);
    users = estate::v1::Users::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", server->port()),
                            grpc::InsecureChannelCredentials()));
  }

  ~Bridge() {
    if (server) server->Shutdown(absl::Now() + absl::Seconds(5));
  }

  bool ok() const { return users != nullptr; }

  // Echo echoes a user with this id and checks the reply is its own.
  grpc::Status Echo(int64_t id, absl::Duration timeout = absl::Seconds(5)) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    User user;
    user.set_user_id(id);
    User reply;
    grpc::Status s = users->Echo(&ctx, user, &reply);
    if (s.ok() && reply.user_id() != id) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          absl::StrCat("reply for user ", reply.user_id(),
                                       " to a call for user ", id));
    }
    return s;
  }

  // EchoSucceedsWithin calls until a call succeeds or timeout passes, and
  // returns the last status.
  grpc::Status EchoSucceedsWithin(absl::Duration timeout) {
    absl::Time deadline = absl::Now() + timeout;
    grpc::Status s;
    do {
      s = Echo(1);
    } while (!s.ok() && absl::Now() < deadline);
    return s;
  }

  std::unique_ptr<bridge::NetRpcPool> pool;
  std::unique_ptr<bridge::GrpcToNetRpc> handler;
  std::unique_ptr<CountingHandler> counting;
  std::unique_ptr<bridge::GenericServer> server;
  std::unique_ptr<estate::v1::Users::Stub> users;
};

// RestartOn starts the Go server on the address it had. The port is free
// once the killed process is reaped (Go listens with SO_REUSEADDR); another
// process could take it in between, so a bind failure is retried briefly.
absl::StatusOr<std::unique_ptr<GoUserServer>> RestartOn(
    const std::string& address) {
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  absl::StatusOr<std::unique_ptr<GoUserServer>> go;
  do {
    go = GoUserServer::Start(address);
  } while (!go.ok() && absl::Now() < deadline);
  return go;
}

// Phases of the load test. Workers make calls of phase p only once the
// main thread has opened it.
enum Phase { kUp = 0, kDown = 1, kBackUp = 2, kPhases = 3 };

// Load is the state the workers and the main thread share.
struct Load {
  static constexpr int kWorkers = 8;
  static constexpr int kCallsPerWorker = 210;  // 70 per phase

  static Phase PhaseOf(int call) {
    return static_cast<Phase>(call * kPhases / kCallsPerWorker);
  }

  std::mutex mu;
  std::condition_variable changed;
  int open = kUp;  // the latest phase workers may call in
  bool abort = false;
  int done = 0;
  int done_in_phase[kPhases] = {};
  // Results per phase, by code; messages of the failures.
  std::map<grpc::StatusCode, int> codes[kPhases];
  std::vector<std::string> failures[kPhases];

  void Open(Phase p) {
    std::lock_guard<std::mutex> lock(mu);
    open = p;
    changed.notify_all();
  }

  // WaitFor waits until pred() holds, for at most timeout; false if it
  // did not (and then the workers are told to stop).
  template <typename Pred>
  bool WaitFor(absl::Duration timeout, Pred pred) {
    std::unique_lock<std::mutex> lock(mu);
    if (changed.wait_for(lock, absl::ToChronoSeconds(timeout), pred)) {
      return true;
    }
    abort = true;
    changed.notify_all();
    return false;
  }
};

TEST(BridgeFaultTest, UpstreamKilledUnderLoadAndRestarted) {
  absl::StatusOr<std::unique_ptr<GoUserServer>> go = GoUserServer::Start();
  ASSERT_THAT(go, IsOk());
  const std::string address = (*go)->address();
  Bridge bridge(address);
  ASSERT_TRUE(bridge.ok());

  Load load;
  std::vector<std::thread> workers;
  // However the test ends, the workers stop and are joined.
  absl::Cleanup join = [&] {
    {
      std::lock_guard<std::mutex> lock(load.mu);
      load.abort = true;
      load.changed.notify_all();
    }
    for (std::thread& t : workers) {
      if (t.joinable()) t.join();
    }
  };
  for (int w = 0; w < Load::kWorkers; ++w) {
    workers.emplace_back([&load, &bridge, w] {
      for (int i = 0; i < Load::kCallsPerWorker; ++i) {
        const Phase phase = Load::PhaseOf(i);
        {
          std::unique_lock<std::mutex> lock(load.mu);
          load.changed.wait(lock,
                            [&] { return load.abort || load.open >= phase; });
          if (load.abort) return;
        }
        grpc::Status s = bridge.Echo(int64_t{w} * 1000 + i);
        std::lock_guard<std::mutex> lock(load.mu);
        ++load.done;
        ++load.done_in_phase[phase];
        ++load.codes[phase][s.error_code()];
        if (!s.ok()) load.failures[phase].push_back(s.error_message());
        load.changed.notify_all();
      }
    });
  }
  const int per_phase = Load::kWorkers * Load::kCallsPerWorker / kPhases;

  // Kill the upstream halfway through the first phase, with calls in flight.
  ASSERT_TRUE(load.WaitFor(absl::Seconds(60),
                           [&] { return load.done >= per_phase / 2; }));
  ASSERT_THAT((*go)->Kill(), IsOk());
  load.Open(kDown);
  ASSERT_TRUE(load.WaitFor(absl::Seconds(60), [&] {
    return load.done_in_phase[kUp] + load.done_in_phase[kDown] == 2 * per_phase;
  }));

  absl::StatusOr<std::unique_ptr<GoUserServer>> again = RestartOn(address);
  ASSERT_THAT(again, IsOk());
  load.Open(kBackUp);
  ASSERT_TRUE(load.WaitFor(absl::Seconds(60),
                           [&] { return load.done == 3 * per_phase; }));
  std::move(join).Invoke();

  for (int p = 0; p < kPhases; ++p) {
    std::cout << "phase " << p << ":";
    for (const auto& [code, n] : load.codes[p]) {
      std::cout << " code " << code << " x" << n;
    }
    if (!load.failures[p].empty()) {
      std::cout << "; e.g. \"" << load.failures[p].front() << "\"";
    }
    std::cout << "\n";
  }

  // Every call got one result, and only the codes a dead upstream may give.
  EXPECT_EQ(load.done, Load::kWorkers * Load::kCallsPerWorker);
  for (int p = 0; p < kPhases; ++p) {
    int sum = 0;
    for (const auto& [code, n] : load.codes[p]) {
      sum += n;
      EXPECT_THAT(code, ::testing::AnyOf(grpc::StatusCode::OK,
                                         grpc::StatusCode::UNAVAILABLE,
                                         grpc::StatusCode::DEADLINE_EXCEEDED))
          << "phase " << p << ": " << n << " calls got code " << code
          << "; failures: " << ::testing::PrintToString(load.failures[p]);
    }
    EXPECT_EQ(sum, per_phase) << "phase " << p;
    for (const std::string& m : load.failures[p]) {
      EXPECT_THAT(m, HasSubstr(address)) << "phase " << p;
    }
  }
  // Before the kill calls succeeded; while it was down none did; once it
  // was back they succeeded again.
  EXPECT_GT(load.codes[kUp][grpc::StatusCode::OK], 0);
  EXPECT_EQ(load.codes[kDown][grpc::StatusCode::OK], 0);
  EXPECT_EQ(load.codes[kDown][grpc::StatusCode::UNAVAILABLE], per_phase);
  EXPECT_GT(load.codes[kBackUp][grpc::StatusCode::OK], 0);
  grpc::Status s = bridge.EchoSucceedsWithin(absl::Seconds(10));
  EXPECT_TRUE(s.ok()) << s.error_message();

  // The bridge answered each call it handled exactly once.
  EXPECT_EQ(bridge.counting->answered_twice(), 0);
  EXPECT_EQ(bridge.counting->handled(), bridge.counting->answered());
  EXPECT_GE(bridge.counting->handled(), load.done);
}

TEST(BridgeFaultTest, UpstreamDownAtStartThenComesUp) {
  // A port nobody listens on (it was free a moment ago).
  absl::StatusOr<std::unique_ptr<netrpc::Listener>> free =
      netrpc::Listen("tcp", "127.0.0.1:0");
  ASSERT_THAT(free, IsOk());
  const std::string address = (*free)->Addr();
  (*free)->Close();
  free->reset();

  Bridge bridge(address);
  ASSERT_TRUE(bridge.ok());
  grpc::Status s = bridge.Echo(1);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(s.error_message(),
              HasSubstr(absl::StrCat("bridge: net/rpc upstream ", address,
                                     " is unreachable")));

  absl::StatusOr<std::unique_ptr<GoUserServer>> go = RestartOn(address);
  ASSERT_THAT(go, IsOk());
  s = bridge.EchoSucceedsWithin(absl::Seconds(10));
  EXPECT_TRUE(s.ok()) << s.error_message();
}

// Disabled until bridge/netrpc_pool.cc is fixed: NetRpcPool::Pick hands out
// a pooled client whose connection died while idle (the upstream restarted),
// so the first call on each such connection fails with UNAVAILABLE
// "bridge: net/rpc upstream ADDR, Users.Echo: connection is shut down"
// although the upstream is up. Such a call was never sent (ErrShutdown), so
// the pool could replace the client instead; netrpc::Client has no way to
// ask whether it is shut down. Enable this test with the fix.
TEST(BridgeFaultTest, UpstreamRestartedWhileIdleFailsNoCall) {
  absl::StatusOr<std::unique_ptr<GoUserServer>> go = GoUserServer::Start();
  ASSERT_THAT(go, IsOk());
  const std::string address = (*go)->address();
  Bridge bridge(address);
  ASSERT_TRUE(bridge.ok());
  // Connect every pooled connection (calls go round-robin).
  for (int i = 0; i < 4; ++i) {
    grpc::Status s = bridge.Echo(i);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  // The upstream restarts while no call is in flight.
  ASSERT_THAT((*go)->Kill(), IsOk());
  absl::StatusOr<std::unique_ptr<GoUserServer>> again = RestartOn(address);
  ASSERT_THAT(again, IsOk());
  // The next calls find it up.
  for (int i = 0; i < 4; ++i) {
    grpc::Status s = bridge.Echo(i);
    EXPECT_TRUE(s.ok()) << "call " << i << ": " << s.error_message();
  }
}

TEST(BridgeFaultTest, ConfigNamingAMethodTheSchemaLacks) {
  absl::StatusOr<std::shared_ptr<const bridge::Schema>> schema =
      LoadSchema({kEstateDescriptors});
  ASSERT_THAT(schema, IsOk());
  EXPECT_THAT(
      BuildMapping(R"pb(
                     package: "estate.v1"
                     services {
                       name: "Users"
                       methods { name: "Echo" }
                       methods { name: "Delete" }
                     }
                   )pb",
                   *schema),
      StatusIs(
          absl::StatusCode::kNotFound,
          HasSubstr("bridge: services[0].methods[1]: estate.v1.Users has no "
                    "method Delete (it has: Count, Echo, EchoWidths, "
                    "Fail, Newer, Purge, Sleep)")));
  EXPECT_THAT(
      BuildMapping(R"pb(
                     package: "estate.v1"
                     services { name: "Accounts" }
                   )pb",
                   *schema),
      StatusIs(absl::StatusCode::kNotFound,
               HasSubstr("the schema has no service estate.v1.Accounts (it "
                         "has: estate.v1.Users)")));
}

}  // namespace
}  // namespace tests
