#include "tests/gateway/gateway_testing.h"

#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "httplib.h"
#include "netrpc/testing/readiness.h"
#include "netrpc/testing/runfiles.h"

namespace tests {

using ::netrpc::testing::RunResult;
using ::netrpc::testing::Stream;
using ::netrpc::testing::Subprocess;
using ::netrpc::testing::SubprocessOptions;

std::string TestDir(absl::string_view name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string dir =
      absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/", name);
  mkdir(dir.c_str(), 0755);
  return dir;
}

std::string WriteFile(const std::string& path, absl::string_view text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
  }
  std::rename(tmp.c_str(), path.c_str());
  return path;
}

absl::Status CopyArithSchema(const std::string& dir) {
  absl::StatusOr<std::string> src =
      netrpc::testing::Runfile("proto/demo/v1/arith_proto.pb");
  if (!src.ok()) return src.status();
  std::ifstream in(*src, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  if (buf.str().empty()) {
    return absl::NotFoundError(absl::StrCat("empty descriptor set ", *src));
  }
  WriteFile(dir + "/arith.pb", buf.str());
  return absl::OkStatus();
}

namespace {

HttpResponse Http(const std::string& address, const std::string& path,
                  bool post) {
  HttpResponse out;
  absl::StatusOr<netrpc::testing::HostPort> hp =
      netrpc::testing::ParseHostPort(address);
  if (!hp.ok()) {
    out.error = std::string(hp.status().message());
    return out;
  }
  httplib::Client client(hp->host, hp->port);
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  httplib::Result r = post ? client.Post(path.c_str(), "", "text/plain")
                           : client.Get(path.c_str());
  if (!r) {
    out.error = httplib::to_string(r.error());
    return out;
  }
  out.status = r->status;
  out.body = r->body;
  return out;
}

}  // namespace

HttpResponse HttpGet(const std::string& address, const std::string& path) {
  return Http(address, path, false);
}

HttpResponse HttpPost(const std::string& address, const std::string& path) {
  return Http(address, path, true);
}

absl::StatusOr<std::unique_ptr<GatewayProcess>> GatewayProcess::Start(
    std::vector<std::string> args, absl::Duration timeout) {
  absl::StatusOr<std::string> binary = netrpc::testing::Runfile("gateway/gateway");
  if (!binary.ok()) return binary.status();
  SubprocessOptions options;
  options.argv = {*binary};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  absl::StatusOr<std::unique_ptr<Subprocess>> p =
      Subprocess::Start(std::move(options));
  if (!p.ok()) return p.status();
  std::unique_ptr<GatewayProcess> gw(new GatewayProcess(*std::move(p)));
  absl::StatusOr<netrpc::testing::HostPort> admin =
      netrpc::testing::WaitForListenAddress(*gw->process_, "admin ", timeout);
  if (!admin.ok()) return admin.status();
  gw->admin_ = admin->ToString();
  for (absl::string_view line :
       absl::StrSplit(gw->process_->Output(Stream::kStdout), '\n')) {
    if (!absl::ConsumePrefix(&line, "listening ")) continue;
    std::vector<std::string> parts = absl::StrSplit(line, ' ');
    if (parts.size() != 2) {
      return absl::InternalError(absl::StrCat("bad line: listening ", line));
    }
    gw->listeners_.emplace_back(parts[0], parts[1]);
  }
  return gw;
}

std::string GatewayProcess::Address(const std::string& name) const {
  for (const auto& [n, a] : listeners_) {
    if (n == name) return a;
  }
  return "";
}

absl::StatusOr<gateway::Exposition> GatewayProcess::Metrics() const {
  HttpResponse r = HttpGet(admin_, "/metrics");
  if (r.status != 200) {
    return absl::UnavailableError(absl::StrCat(
        "GET /metrics: ", r.status, " ", r.error, " ", r.body));
  }
  return gateway::ParseExposition(r.body);
}

double GatewayProcess::Metric(absl::string_view name,
                              const Labels& labels) const {
  absl::StatusOr<gateway::Exposition> page = Metrics();
  if (!page.ok()) return -1;
  double sum = 0;
  for (const gateway::ParsedFamily& f : page->families) {
    for (const gateway::Sample& s : f.samples) {
      if (s.name != name) continue;
      bool all = true;
      for (const auto& [k, v] : labels) {
        bool found = false;
        for (const auto& [sk, sv] : s.labels) {
          if (sk == k && sv == v) found = true;
        }
        all = all && found;
      }
      if (all) sum += s.value;
    }
  }
  return sum;
}

absl::StatusOr<double> GatewayProcess::WaitForMetric(
    absl::string_view name, const Labels& labels,
    const std::function<bool(double)>& pred, absl::Duration timeout) const {
  absl::Time deadline = absl::Now() + timeout;
  absl::Duration backoff = absl::Milliseconds(5);
  double v = -1;
  for (;;) {
    v = Metric(name, labels);
    if (pred(v)) return v;
    if (absl::Now() > deadline) break;
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Milliseconds(100));
  }
  std::vector<std::string> l;
  for (const auto& [k, val] : labels) l.push_back(absl::StrCat(k, "=", val));
  return absl::DeadlineExceededError(
      absl::StrCat(name, "{", absl::StrJoin(l, ","), "} is still ", v,
                   " after ", absl::FormatDuration(timeout),
                   "; gateway stderr tail:\n", process_->StderrTail()));
}

absl::StatusOr<std::string> GatewayProcess::WaitForStderr(
    const std::string& text, absl::Duration timeout) {
  return process_->WaitForLine(
      Stream::kStderr,
      [text](absl::string_view line) { return absl::StrContains(line, text); },
      timeout);
}

absl::Status GatewayProcess::Stop(absl::Duration timeout) {
  absl::Status s = process_->Signal(SIGTERM);
  if (!s.ok()) return s;
  absl::StatusOr<netrpc::testing::ExitStatus> exit = process_->Wait(timeout);
  if (!exit.ok()) return exit.status();
  if (!exit->Success()) {
    return absl::UnknownError(absl::StrCat("gateway ended with ",
                                           exit->ToString(), "; stderr:\n",
                                           process_->StderrTail()));
  }
  return absl::OkStatus();
}

absl::StatusOr<RunResult> RunGateway(std::vector<std::string> args,
                                     absl::Duration timeout) {
  absl::StatusOr<std::string> binary = netrpc::testing::Runfile("gateway/gateway");
  if (!binary.ok()) return binary.status();
  SubprocessOptions options;
  options.argv = {*binary};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  return netrpc::testing::RunCommand(std::move(options), timeout);
}

namespace {

absl::StatusOr<SubprocessOptions> GoClientOptions(
    std::vector<std::string> args) {
  absl::StatusOr<std::string> binary =
      netrpc::testing::Runfile("tests/gateway/rpcclient");
  if (!binary.ok()) return binary.status();
  SubprocessOptions options;
  options.argv = {*binary};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  return options;
}

}  // namespace

absl::StatusOr<RunResult> RunGoClient(std::vector<std::string> args,
                                      absl::Duration timeout) {
  absl::StatusOr<SubprocessOptions> options = GoClientOptions(std::move(args));
  if (!options.ok()) return options.status();
  return netrpc::testing::RunCommand(*std::move(options), timeout);
}

absl::StatusOr<std::unique_ptr<Subprocess>> StartGoClient(
    std::vector<std::string> args) {
  absl::StatusOr<SubprocessOptions> options = GoClientOptions(std::move(args));
  if (!options.ok()) return options.status();
  return Subprocess::Start(*std::move(options));
}

::testing::AssertionResult ChecksPassed(absl::string_view transcript,
                                        const std::vector<std::string>& want) {
  std::vector<std::string> failures;
  std::vector<std::string> passed;
  for (absl::string_view line : absl::StrSplit(transcript, '\n')) {
    if (absl::ConsumePrefix(&line, "PASS ")) passed.emplace_back(line);
    if (absl::StartsWith(line, "FAIL ")) failures.emplace_back(line);
  }
  for (const std::string& name : want) {
    if (std::find(passed.begin(), passed.end(), name) == passed.end()) {
      failures.push_back(absl::StrCat("(check \"", name, "\" did not pass)"));
    }
  }
  if (failures.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << absl::StrJoin(failures, "\n") << "\nwhole transcript:\n"
         << transcript;
}

int CountLines(absl::string_view text, absl::string_view prefix) {
  int n = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, prefix)) ++n;
  }
  return n;
}

absl::StatusOr<std::unique_ptr<GoArithServer>> GoArithServer::Start(
    const std::string& address) {
  absl::StatusOr<std::string> path =
      netrpc::testing::Runfile("tests/gateway/arithserver");
  if (!path.ok()) return path.status();
  SubprocessOptions options;
  options.argv = {*path, "-addr", address};
  absl::StatusOr<std::unique_ptr<Subprocess>> process =
      Subprocess::Start(std::move(options));
  if (!process.ok()) return process.status();
  absl::StatusOr<netrpc::testing::HostPort> tcp =
      netrpc::testing::WaitForListenAddress(**process, "listening tcp ",
                                            absl::Seconds(30));
  if (!tcp.ok()) return tcp.status();
  auto s = std::unique_ptr<GoArithServer>(new GoArithServer());
  s->process_ = *std::move(process);
  s->address_ = tcp->ToString();
  return s;
}

absl::Status GoArithServer::Kill() {
  absl::Status s = process_->Signal(SIGKILL);
  if (!s.ok()) return s;
  return process_->Wait(absl::Seconds(30)).status();
}

absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> ArithGrpcBackend::Start(
    int64_t offset) {
  std::unique_ptr<ArithGrpcBackend> b(new ArithGrpcBackend(offset));
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &b->port_);
  builder.RegisterService(b.get());
  b->server_ = builder.BuildAndStart();
  if (b->server_ == nullptr || b->port_ == 0) {
    return absl::UnavailableError("ArithGrpcBackend did not start");
  }
  return b;
}

ArithGrpcBackend::~ArithGrpcBackend() {
  Release();
  if (server_ != nullptr) server_->Shutdown(absl::ToChronoTime(absl::Now()));
}

std::string ArithGrpcBackend::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

int ArithGrpcBackend::held() const {
  std::lock_guard<std::mutex> lock(mu_);
  return held_;
}

absl::Status ArithGrpcBackend::WaitHeld(int n, absl::Duration timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!cv_.wait_for(lock, absl::ToChronoNanoseconds(timeout),
                    [&] { return held_ >= n; })) {
    return absl::DeadlineExceededError(
        absl::StrCat("ArithGrpcBackend: ", held_, " calls held, not ", n));
  }
  return absl::OkStatus();
}

void ArithGrpcBackend::Release() {
  std::lock_guard<std::mutex> lock(mu_);
  released_ = true;
  cv_.notify_all();
}

std::string ArithGrpcBackend::last_team() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_team_;
}

grpc::Status ArithGrpcBackend::Multiply(grpc::ServerContext* ctx,
                                        const demo::v1::Args* a,
                                        demo::v1::Product* p) {
  ++calls_;
  {
    auto team = ctx->client_metadata().find("x-team");
    std::lock_guard<std::mutex> lock(mu_);
    last_team_ = team == ctx->client_metadata().end()
                     ? ""
                     : std::string(team->second.data(), team->second.size());
  }
  if (a->a() == kHold) {
    std::unique_lock<std::mutex> lock(mu_);
    ++held_;
    cv_.notify_all();
    while (!released_ && !ctx->IsCancelled()) {
      cv_.wait_for(lock, std::chrono::milliseconds(20));
    }
    --held_;
    if (!released_) return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
  }
  p->set_value(a->a() * a->b() + offset_);
  return grpc::Status::OK;
}

grpc::Status ArithGrpcBackend::Divide(grpc::ServerContext*,
                                      const demo::v1::Args* a,
                                      demo::v1::Quotient* q) {
  ++calls_;
  if (a->b() == 0) {
    return grpc::Status(grpc::StatusCode::UNKNOWN, "divide by zero");
  }
  q->set_quo(a->a() / a->b());
  q->set_rem(a->a() % a->b() + offset_);
  return grpc::Status::OK;
}

std::string ArithConfig(const std::vector<std::string>& listeners,
                        absl::string_view upstreams, absl::string_view routes,
                        absl::string_view extra, bool allow_reload) {
  std::string out = "listeners:\n";
  for (const std::string& l : listeners) {
    std::vector<std::string> parts = absl::StrSplit(l, ' ');
    absl::StrAppend(&out, "- {name: ", parts[0],
                    ", address: \"127.0.0.1:0\", protocol: ", parts[1], "}\n");
  }
  absl::StrAppend(&out, "upstreams:\n", upstreams, "schemas:\n",
                  "- {descriptor_set: arith.pb}\n", "bridge:\n",
                  "  package: demo.v1\n",
                  "  unwrap_messages: [demo.v1.Product]\n", "routes:\n", routes,
                  "admin: {address: \"127.0.0.1:0\"",
                  allow_reload ? ", allow_reload: true" : "", "}\n", extra);
  return out;
}

}  // namespace tests
