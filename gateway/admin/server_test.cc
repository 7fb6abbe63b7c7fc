#include "gateway/admin/server.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "gateway/metrics/exposition_parser.h"
#include "gateway/metrics/registry.h"
#include "httplib.h"
#include "netrpc/sync.h"
#include "netrpc/testing/status_matchers.h"

namespace gateway {
namespace {

using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Reply is what a test client got back; status 0 means no HTTP answer.
struct Reply {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string allow;
  std::string cache_control;
  std::string connection;
  std::string error;
};

Reply Do(int port, absl::string_view method, absl::string_view path,
         absl::string_view body = "") {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  std::string p(path);
  auto send = [&]() -> httplib::Result {
    if (method == "GET") return client.Get(p.c_str());
    if (method == "HEAD") return client.Head(p.c_str());
    if (method == "POST") {
      return client.Post(p.c_str(), std::string(body), "text/plain");
    }
    if (method == "PUT") {
      return client.Put(p.c_str(), std::string(body), "text/plain");
    }
    return client.Delete(p.c_str());
  };
  httplib::Result res = send();
  Reply r;
  if (!res) {
    r.error = httplib::to_string(res.error());
    return r;
  }
  r.status = res->status;
  r.body = res->body;
  r.content_type = res->get_header_value("Content-Type");
  r.allow = res->get_header_value("Allow");
  r.cache_control = res->get_header_value("Cache-Control");
  r.connection = res->get_header_value("Connection");
  return r;
}

Reply Get(int port, absl::string_view path) { return Do(port, "GET", path); }

// A started server on a free loopback port, stopped at the end of the test.
class AdminServerTest : public ::testing::Test {
 protected:
  void StartServer(const AdminOptions& options = {}) {
    server_ = std::make_unique<AdminServer>(options, &registry_);
    ASSERT_THAT(server_->Start(), IsOk());
    port_ = server_->port();
  }

  MetricsRegistry registry_;
  std::unique_ptr<AdminServer> server_;
  int port_ = 0;
};

TEST_F(AdminServerTest, StartPicksAPortAndStopCloses) {
  StartServer();
  EXPECT_GT(port_, 0);
  EXPECT_EQ(server_->address(), absl::StrCat("127.0.0.1:", port_));
  Reply r = Get(port_, "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok\n");
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(r.cache_control, "no-store");
  // One request per connection, so idle clients cannot hold the workers.
  EXPECT_EQ(r.connection, "close");

  server_->Stop();
  EXPECT_EQ(server_->port(), 0);
  EXPECT_EQ(server_->address(), "");
  EXPECT_EQ(Get(port_, "/healthz").status, 0);  // nothing listens any more
  server_->Stop();                              // idempotent
}

TEST_F(AdminServerTest, StartTwiceFailsAndRestartWorks) {
  StartServer();
  EXPECT_THAT(server_->Start(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat("admin: already serving on 127.0.0.1:",
                                    port_, "; Stop() it first")));
  server_->Stop();
  ASSERT_THAT(server_->Start(), IsOk());
  EXPECT_EQ(Get(server_->port(), "/healthz").status, 200);
}

TEST(AdminServerLifecycleTest, StopWithoutStartAndDestroyWhileServing) {
  AdminServer never_started(AdminOptions{});
  never_started.Stop();
  EXPECT_EQ(never_started.port(), 0);
  {
    AdminServer running(AdminOptions{});
    ASSERT_THAT(running.Start(), IsOk());
    EXPECT_EQ(Get(running.port(), "/healthz").status, 200);
  }  // the destructor stops and joins
}

TEST_F(AdminServerTest, PortInUseIsAClearError) {
  StartServer();
  AdminOptions options;
  options.address = server_->address();
  AdminServer second(options);
  EXPECT_THAT(second.Start(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat("admin: listen 127.0.0.1:", port_,
                                    ": address already in use")));
  EXPECT_EQ(second.port(), 0);
  // The first server is unaffected.
  EXPECT_EQ(Get(port_, "/healthz").status, 200);
}

TEST(AdminServerBindTest, PortHeldWithReusePortIsStillInUse) {
  // httplib sets SO_REUSEPORT by default, with which two listeners share a
  // port silently. The admin server must not: a socket that allows sharing
  // still makes Start fail.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  int yes = 1;
  ASSERT_EQ(setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof(yes)), 0);
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  int port = ntohs(addr.sin_port);

  AdminOptions options;
  options.address = absl::StrCat("127.0.0.1:", port);
  AdminServer server(options);
  EXPECT_THAT(server.Start(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat("admin: listen 127.0.0.1:", port,
                                    ": address already in use")));
  close(fd);
}

TEST(AdminServerBindTest, BadAddresses) {
  for (const char* address :
       {"nonsense", "127.0.0.1", "127.0.0.1:http", "127.0.0.1:65536",
        "127.0.0.1:-1", "::1:80", "[::1]80", "127.0.0.1:"}) {
    AdminOptions options;
    options.address = address;
    AdminServer server(options);
    EXPECT_THAT(server.Start(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         StartsWith(absl::StrCat("admin: bad address \"",
                                                 address, "\": "))))
        << address;
  }
}

TEST_F(AdminServerTest, MetricsServesTheRegistry) {
  CounterFamily* calls =
      registry_.AddCounter("calls_total", "Calls.", {"route"}).value();
  calls->With({"route", "Arith.Multiply"})->Increment(3);
  StartServer();
  Reply r = Get(port_, "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(r.body,
            "# HELP calls_total Calls.\n"
            "# TYPE calls_total counter\n"
            "calls_total{route=\"Arith.Multiply\"} 3\n");
  // A query string does not change the page.
  EXPECT_EQ(Get(port_, "/metrics?name[]=calls_total").body, r.body);
}

TEST(AdminServerNoRegistryTest, MetricsIsEmpty) {
  AdminServer server(AdminOptions{});
  ASSERT_THAT(server.Start(), IsOk());
  Reply r = Get(server.port(), "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
}

TEST_F(AdminServerTest, Readiness) {
  StartServer();
  EXPECT_FALSE(server_->IsReady());
  Reply r = Get(port_, "/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, "not ready: starting\n");

  server_->SetReady();
  EXPECT_TRUE(server_->IsReady());
  r = Get(port_, "/readyz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ready\n");

  server_->SetNotReady("draining");
  r = Get(port_, "/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, "not ready: draining\n");
  // Liveness does not follow readiness.
  EXPECT_EQ(Get(port_, "/healthz").status, 200);
}

TEST_F(AdminServerTest, CallbackEndpointsAre503UntilSet) {
  StartServer();
  for (const char* path : {"/config", "/debug/rpc", "/mirror"}) {
    Reply r = Get(port_, path);
    EXPECT_EQ(r.status, 503) << path;
    EXPECT_EQ(r.body, absl::StrCat("admin: ", path,
                                   " is not available yet; try again once "
                                   "the gateway has loaded its config\n"));
  }
}

TEST_F(AdminServerTest, CallbackEndpointsServeWhatTheGatewayGives) {
  StartServer();  // set after Start: setters work at any time
  int generation = 1;
  server_->SetConfigText(
      [&generation] { return absl::StrCat("generation: ", generation, "\n"); });
  server_->SetDebugRpcPage(
      [] { return std::string("<html><body>Arith</body></html>"); });
  server_->SetMirrorText([] { return std::string("Arith.Divide: diff\n"); });

  Reply r = Get(port_, "/config");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(r.body, "generation: 1\n");
  generation = 2;  // read at request time
  EXPECT_EQ(Get(port_, "/config").body, "generation: 2\n");

  r = Get(port_, "/debug/rpc");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.body, "<html><body>Arith</body></html>");

  r = Get(port_, "/mirror");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "Arith.Divide: diff\n");
}

TEST_F(AdminServerTest, ReloadDisabledIs403) {
  StartServer();
  server_->SetReloadHandler([]() -> absl::StatusOr<int64_t> { return 2; });
  Reply r = Do(port_, "POST", "/reload");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body,
            "admin: reload over HTTP is disabled; set admin.allow_reload in "
            "the config, or send the gateway SIGHUP\n");
}

TEST_F(AdminServerTest, Reload) {
  AdminOptions options;
  options.allow_reload = true;
  StartServer(options);

  Reply r = Do(port_, "POST", "/reload");
  EXPECT_EQ(r.status, 503);  // no handler yet
  EXPECT_THAT(r.body, HasSubstr("/reload is not available yet"));

  int64_t generation = 6;
  absl::Status next = absl::OkStatus();
  server_->SetReloadHandler([&]() -> absl::StatusOr<int64_t> {
    if (!next.ok()) return next;
    return ++generation;
  });
  r = Do(port_, "POST", "/reload");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "reloaded generation 7\n");
  // A body (curl -d) is read and ignored.
  r = Do(port_, "POST", "/reload", "please");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "reloaded generation 8\n");

  next = absl::InvalidArgumentError(
      "config: routes[0].upstream: no upstream \"nope\"");
  r = Do(port_, "POST", "/reload");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            "reload failed: INVALID_ARGUMENT: config: routes[0].upstream: no "
            "upstream \"nope\"\n");

  next = absl::UnavailableError("draining");
  EXPECT_EQ(Do(port_, "POST", "/reload").status, 503);

  next = absl::InternalError("schema: reflection stream broke");
  r = Do(port_, "POST", "/reload");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body,
            "reload failed: INTERNAL: schema: reflection stream broke\n");

  // An oversized body is refused before the handler runs.
  r = Do(port_, "POST", "/reload", std::string(size_t{100} * 1024, 'x'));
  EXPECT_EQ(r.status, 413);

  // GET is the wrong method.
  r = Get(port_, "/reload");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.allow, "POST");
  EXPECT_EQ(r.body, "admin: /reload takes POST, not GET\n");
  EXPECT_EQ(generation, 8);
}

TEST_F(AdminServerTest, ReloadsRunOneAtATime) {
  AdminOptions options;
  options.allow_reload = true;
  options.threads = 4;
  StartServer(options);
  std::atomic<int> running{0};
  std::atomic<int> overlaps{0};
  std::atomic<int64_t> generation{0};
  server_->SetReloadHandler([&]() -> absl::StatusOr<int64_t> {
    if (running.fetch_add(1) != 0) overlaps.fetch_add(1);
    absl::SleepFor(absl::Milliseconds(5));  // widen the window for overlap
    running.fetch_sub(1);
    return generation.fetch_add(1) + 1;
  });
  std::vector<std::thread> clients;
  clients.reserve(4);
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&] {
      for (int j = 0; j < 5; ++j) {
        EXPECT_EQ(Do(port_, "POST", "/reload").status, 200);
      }
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(overlaps.load(), 0);
  EXPECT_EQ(generation.load(), 20);
}

TEST_F(AdminServerTest, IndexListsEveryEndpoint) {
  StartServer();
  Reply r = Get(port_, "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(
      r.body,
      "netrpc-gateway admin\n"
      "\n"
      "GET   /           this index\n"
      "GET   /config     the effective config\n"
      "GET   /debug/rpc  net/rpc debug page: services and call counts\n"
      "GET   /healthz    liveness: 200 \"ok\" while the process is up\n"
      "GET   /metrics    Prometheus metrics (text format 0.0.4)\n"
      "GET   /mirror     recent differences between primary and shadow\n"
      "GET   /readyz     readiness: 200 \"ready\", or 503 and the reason "
      "(starting, draining)\n"
      "POST  /reload     reload the config now (disabled: admin.allow_reload "
      "is off)\n");
}

TEST_F(AdminServerTest, UnknownPathsAndWrongMethods) {
  StartServer();
  Reply r = Get(port_, "/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "admin: no endpoint /nope; GET / lists them\n");
  EXPECT_EQ(r.cache_control, "no-store");
  EXPECT_EQ(Get(port_, "/metrics/").status, 404);  // exact paths only
  EXPECT_EQ(Do(port_, "POST", "/nope").status, 404);

  r = Do(port_, "POST", "/metrics", "x");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.allow, "GET, HEAD");
  EXPECT_EQ(r.body, "admin: /metrics takes GET, not POST\n");
  EXPECT_EQ(Do(port_, "PUT", "/healthz").status, 405);
  EXPECT_EQ(Do(port_, "DELETE", "/config").status, 405);

  r = Do(port_, "HEAD", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
}

TEST_F(AdminServerTest, HandleAddsAndReplacesEndpoints) {
  StartServer();
  server_->Handle(
      "GET", "/debug/echo", "echo the query", [](const AdminRequest& req) {
        AdminResponse r;
        auto it = req.params.find("q");
        r.body =
            absl::StrCat(req.method, " ", req.path,
                         " q=", it == req.params.end() ? "" : it->second, "\n");
        r.headers.emplace("X-Admin", "yes");
        return r;
      });
  Reply r = Get(port_, "/debug/echo?q=a%20b");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "GET /debug/echo q=a b\n");
  EXPECT_THAT(Get(port_, "/").body,
              HasSubstr("GET   /debug/echo echo the query\n"));

  server_->Handle("GET", "/healthz", "", [](const AdminRequest&) {
    AdminResponse r;
    r.status = 500;
    r.body = "sick\n";
    return r;
  });
  r = Get(port_, "/healthz");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, "sick\n");
  // The replaced endpoint keeps its description.
  EXPECT_THAT(Get(port_, "/").body,
              HasSubstr("GET   /healthz    liveness: 200 \"ok\""));
}

TEST_F(AdminServerTest, ThrowingHandlerIs500AndServerCarriesOn) {
  StartServer();
  server_->Handle("GET", "/boom", "throws",
                  [](const AdminRequest&) -> AdminResponse {
                    throw std::runtime_error("boom");
                  });
  Reply r = Get(port_, "/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, "admin: the handler for /boom failed\n");
  EXPECT_EQ(Get(port_, "/healthz").status, 200);
}

TEST_F(AdminServerTest, StopFinishesTheRequestInProgress) {
  StartServer();
  netrpc::Notification entered;
  netrpc::Notification release;
  server_->Handle("GET", "/slow", "blocks", [&](const AdminRequest&) {
    entered.Notify();
    release.WaitForNotification();
    AdminResponse r;
    r.body = "done\n";
    return r;
  });
  Reply reply;
  std::thread client([&] { reply = Get(port_, "/slow"); });
  entered.WaitForNotification();
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    server_->Stop();
    stopped = true;
  });
  release.Notify();
  stopper.join();
  client.join();
  EXPECT_TRUE(stopped.load());
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "done\n");
}

TEST_F(AdminServerTest, HandlersMayReadTheAddressDuringStop) {
  StartServer();
  netrpc::Notification entered;
  netrpc::Notification release;
  server_->Handle("GET", "/addr", "", [&](const AdminRequest&) {
    entered.Notify();
    release.WaitForNotification();
    AdminResponse r;
    r.body = server_->address();  // must not deadlock against Stop
    return r;
  });
  Reply reply;
  std::thread client([&] { reply = Get(port_, "/addr"); });
  entered.WaitForNotification();
  std::thread stopper([&] { server_->Stop(); });
  release.Notify();
  stopper.join();
  client.join();
  EXPECT_EQ(reply.status, 200);
}

// Several clients scrape while several threads count; every scrape parses
// and the last one adds up exactly.
TEST_F(AdminServerTest, ConcurrentScrapesWhileCounting) {
  CounterFamily* calls =
      registry_.AddCounter("calls_total", "Calls.", {"route"}).value();
  HistogramFamily* latency =
      registry_.AddHistogram("latency_seconds", "L.", {"route"}, {0.5}).value();
  AdminOptions options;
  options.threads = 3;
  StartServer(options);

  constexpr int kWorkers = 3;
  constexpr int kCalls = 20000;
  std::atomic<bool> done{false};
  std::atomic<int> scrapes{0};
  std::vector<std::string> errors(2);
  std::vector<std::thread> scrapers;
  scrapers.reserve(2);
  for (int s = 0; s < 2; ++s) {
    scrapers.emplace_back([&, s] {
      while (!done.load()) {
        Reply r = Get(port_, "/metrics");
        if (r.status != 200) {
          errors[s] = absl::StrCat("status ", r.status, " ", r.error);
          return;
        }
        absl::StatusOr<Exposition> page = ParseExposition(r.body);
        if (!page.ok()) {
          errors[s] = page.status().ToString();
          return;
        }
        ++scrapes;
      }
    });
  }
  std::vector<std::thread> workers;
  workers.reserve(kWorkers);
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&, w] {
      Counter* shared = calls->With({"route", "shared"});
      Counter* own = calls->With({"route", absl::StrCat("r", w)});
      Histogram* lat = latency->With({"route", "shared"});
      for (int i = 0; i < kCalls; ++i) {
        shared->Increment();
        own->Increment();
        lat->Observe(0.25);
      }
    });
  }
  for (std::thread& t : workers) t.join();
  // Let at least one scrape overlap or follow the counting.
  while (scrapes.load() < 2 && errors[0].empty() && errors[1].empty()) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  done = true;
  for (std::thread& t : scrapers) t.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");

  Reply r = Get(port_, "/metrics");
  ASSERT_EQ(r.status, 200);
  absl::StatusOr<Exposition> page = ParseExposition(r.body);
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->Value("calls_total", {{"route", "shared"}}),
            kWorkers * kCalls);
  for (int w = 0; w < kWorkers; ++w) {
    EXPECT_EQ(page->Value("calls_total", {{"route", absl::StrCat("r", w)}}),
              kCalls);
  }
  EXPECT_EQ(page->Value("latency_seconds_count", {{"route", "shared"}}),
            kWorkers * kCalls);
  EXPECT_EQ(page->Value("latency_seconds_bucket",
                        {{"route", "shared"}, {"le", "0.5"}}),
            kWorkers * kCalls);
}

}  // namespace
}  // namespace gateway
