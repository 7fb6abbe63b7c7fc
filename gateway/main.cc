// The gateway binary.
//
//   bazel run //gateway                                   # the embedded demo
//   bazel run //gateway -- --config=$PWD/gateway.yaml     # your config
//   bazel run //gateway -- --config=$PWD/gateway.yaml --validate
//
// Signals: SIGHUP reloads the config file (a bad file is refused and the old
// config keeps serving); SIGTERM or SIGINT drains (stop accepting, finish
// calls in flight up to the config's drain_timeout) and exits 0.
//
// On start it prints one line per listener, "listening NAME ADDRESS", and
// "admin ADDRESS", to stdout (ports picked for port 0 included).

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "gateway/config/validate.h"
#include "gateway/demo.h"
#include "gateway/gateway.h"
#include "gateway/log.h"

ABSL_FLAG(std::string, config, "",
          "config file (.yaml, .yml, .json, .textproto, .txtpb, .pbtxt); "
          "empty runs the embedded demo");
ABSL_FLAG(bool, validate, false,
          "check --config (syntax, references, files, schemas and mapping, "
          "ports free) and exit: 0 if valid");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warn or error");
ABSL_FLAG(std::string, demo_ports, "1234,8080,50051,9901",
          "the demo's net/rpc, HTTP, gRPC and admin ports (0 picks a free "
          "one)");

namespace {

int Fail(absl::string_view what, const absl::Status& s) {
  std::fprintf(stderr, "gateway: %s%s\n", std::string(what).c_str(),
               std::string(s.message()).c_str());
  return 1;
}

absl::StatusOr<gateway::DemoPorts> ParseDemoPorts(absl::string_view text) {
  std::vector<std::string> parts = absl::StrSplit(text, ',');
  gateway::DemoPorts ports;
  int* out[] = {&ports.netrpc, &ports.http, &ports.grpc, &ports.admin};
  if (parts.size() != 4) {
    return absl::InvalidArgumentError(
        "--demo_ports wants four ports: netrpc,http,grpc,admin");
  }
  for (int i = 0; i < 4; ++i) {
    if (!absl::SimpleAtoi(parts[i], out[i]) || *out[i] < 0 ||
        *out[i] > 65535) {
      return absl::InvalidArgumentError(
          absl::StrCat("--demo_ports: \"", parts[i], "\" is not a port"));
    }
  }
  return ports;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "netrpc-gateway: Go net/rpc <-> gRPC. Without --config it runs the "
      "embedded demo.");
  absl::ParseCommandLine(argc, argv);
  // Debian's Abseil checks every absl::Mutex for lock-order cycles: about
  // 11% of a bridged call's instructions, for a debugging aid.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::StatusOr<gateway::LogLevel> level =
      gateway::ParseLogLevel(absl::GetFlag(FLAGS_log_level));
  if (!level.ok()) return Fail("--log_level: ", level.status());
  gateway::SetLogLevel(*level);
  gateway::InstallNetRpcLog();
  std::string path = absl::GetFlag(FLAGS_config);

  if (absl::GetFlag(FLAGS_validate)) {
    if (path.empty()) {
      return Fail("", absl::InvalidArgumentError("--validate needs --config"));
    }
    absl::StatusOr<gateway::config::LoadedConfig> config =
        gateway::config::LoadAndValidate(path);
    if (!config.ok()) return Fail("", config.status());
    int listeners = config->gateway.listeners_size(),
        upstreams = config->gateway.upstreams_size(),
        routes = config->gateway.routes_size();
    absl::Status checked = gateway::Gateway::Check(*std::move(config));
    if (!checked.ok()) return Fail("", checked);
    std::printf("%s: ok (%d listeners, %d upstreams, %d routes)\n",
                path.c_str(), listeners, upstreams, routes);
    return 0;
  }

  // Signals are taken by sigwait below, never by a handler on some thread.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<gateway::Demo> demo;
  gateway::config::LoadedConfig config;
  if (path.empty()) {
    absl::StatusOr<gateway::DemoPorts> ports =
        ParseDemoPorts(absl::GetFlag(FLAGS_demo_ports));
    if (!ports.ok()) return Fail("", ports.status());
    absl::StatusOr<std::unique_ptr<gateway::Demo>> started =
        gateway::StartDemo(*ports);
    if (!started.ok()) return Fail("", started.status());
    demo = *std::move(started);
    config = demo->config;
  } else {
    absl::StatusOr<gateway::config::LoadedConfig> loaded =
        gateway::config::LoadAndValidate(path);
    if (!loaded.ok()) return Fail("", loaded.status());
    config = *std::move(loaded);
  }

  absl::StatusOr<std::unique_ptr<gateway::Gateway>> gw =
      gateway::Gateway::Start(std::move(config));
  if (!gw.ok()) return Fail("", gw.status());
  for (const auto& [name, address] : (*gw)->Addresses()) {
    std::printf("listening %s %s\n", name.c_str(), address.c_str());
  }
  if (!(*gw)->AdminAddress().empty()) {
    std::printf("admin %s\n", (*gw)->AdminAddress().c_str());
  }
  if (demo != nullptr) {
    std::vector<std::pair<std::string, std::string>> a = (*gw)->Addresses();
    std::printf("%s", gateway::DemoInstructions(a[0].second, a[1].second,
                                                a[2].second,
                                                (*gw)->AdminAddress())
                          .c_str());
  }
  std::fflush(stdout);

  for (;;) {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig == SIGHUP) {
      if (demo != nullptr) {
        gateway::Log(gateway::LogLevel::kWarn,
                     "SIGHUP ignored: the embedded demo has no config file");
        continue;
      }
      (void)(*gw)->ReloadFile();  // logs its outcome
      continue;
    }
    // Exit 0 either way: calls still running at the deadline are logged.
    (void)(*gw)->Drain((*gw)->drain_timeout());
    gw->reset();
    return 0;
  }
}
