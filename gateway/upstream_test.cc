#include "gateway/upstream.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "bridge/testing/arith.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"
#include "netrpc/testing/runfiles.h"
#include "proto/demo/v1/arith.pb.h"

namespace gateway {
namespace {

using ::bridge_testing::Args;

std::string CertPath(const std::string& name) {
  absl::StatusOr<std::string> path = netrpc::testing::Runfile(
      absl::StrCat("gateway/testdata/certs/", name));
  EXPECT_TRUE(path.ok()) << path.status();
  return path.ok() ? *path : "";
}

std::string Read(const std::string& name) {
  std::ifstream in(CertPath(name));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class UpstreamTest : public ::testing::Test {
 protected:
  // Multiply calls upstream with a*b and waits for the product or status.
  absl::StatusOr<int64_t> Multiply(Upstream& upstream, int64_t a, int64_t b) {
    bridge_testing::MultiplyCall m =
        bridge_testing::NewMultiplyCall(mapping_, a, b);
    absl::Notification done;
    absl::StatusOr<int64_t> out = absl::UnknownError("no answer");
    upstream.Call(m.call, [&](absl::StatusOr<std::string> r) {
      out = bridge_testing::ProductOf(r);
      done.Notify();
    });
    done.WaitForNotification();
    return out;
  }

  std::shared_ptr<const bridge::Mapping> mapping_ =
      bridge_testing::ArithMapping();
};

// A TLS backend that requires a client certificate signed by the test CA.
std::unique_ptr<grpc::Server> StartMtlsBackend(grpc::Service* service,
                                               int* port) {
  grpc::SslServerCredentialsOptions ssl(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = Read("ca.pem");
  ssl.pem_key_cert_pairs.push_back({Read("server.key"), Read("server.pem")});
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(ssl),
                           port);
  builder.RegisterService(service);
  return builder.BuildAndStart();
}

TEST_F(UpstreamTest, GrpcOverMutualTls) {
  bridge_testing::ArithBackend arith;
  int port = 0;
  std::unique_ptr<grpc::Server> backend = StartMtlsBackend(&arith, &port);
  ASSERT_NE(backend, nullptr);

  netrpc::config::v1::Upstream config;
  config.set_name("arith");
  config.mutable_grpc()->set_target(absl::StrCat("127.0.0.1:", port));
  auto* tls = config.mutable_grpc()->mutable_tls();
  tls->set_ca_file(CertPath("ca.pem"));
  tls->set_cert_file(CertPath("client.pem"));
  tls->set_key_file(CertPath("client.key"));
  tls->set_server_name("backend.test");
  absl::StatusOr<std::shared_ptr<Upstream>> up =
      Upstream::Create(config, UpstreamOptions(), nullptr);
  ASSERT_TRUE(up.ok()) << up.status();
  EXPECT_EQ(*Multiply(**up, 7, 8), 56);

  // Without a client certificate the backend refuses the handshake.
  tls->clear_cert_file();
  tls->clear_key_file();
  absl::StatusOr<std::shared_ptr<Upstream>> anonymous =
      Upstream::Create(config, UpstreamOptions(), nullptr);
  ASSERT_TRUE(anonymous.ok());
  EXPECT_EQ(Multiply(**anonymous, 7, 8).status().code(),
            absl::StatusCode::kUnavailable);
  backend->Shutdown();
}

TEST_F(UpstreamTest, MissingCertificateFileIsAClearError) {
  netrpc::config::v1::Upstream config;
  config.set_name("arith");
  config.mutable_grpc()->set_target("127.0.0.1:1");
  config.mutable_grpc()->mutable_tls()->set_ca_file("/nonexistent/ca.pem");
  absl::StatusOr<std::shared_ptr<Upstream>> up =
      Upstream::Create(config, UpstreamOptions(), nullptr);
  EXPECT_EQ(up.status().message(),
            "gateway: cannot read ca_file /nonexistent/ca.pem");
}

// LegacyArith is a Go-style net/rpc Arith served by netrpc::Server.
class LegacyArith {
 public:
  absl::Status Multiply(const Args& args, int64_t* reply) {
    *reply = args.A * args.B;
    return absl::OkStatus();
  }
};

TEST_F(UpstreamTest, NetRpcSkipsADeadAddressAndReportsIt) {
  LegacyArith arith;
  netrpc::Service<LegacyArith> service("Arith", &arith);
  service.Method("Multiply", &LegacyArith::Multiply);
  netrpc::Server server;
  ASSERT_TRUE(server.Register(service).ok());
  absl::StatusOr<std::unique_ptr<netrpc::Listener>> live =
      netrpc::Listen("tcp", "127.0.0.1:0");
  ASSERT_TRUE(live.ok());
  std::thread serve([&] { server.Accept(**live); });
  // A port nobody listens on: bound, then closed.
  std::string dead;
  {
    absl::StatusOr<std::unique_ptr<netrpc::Listener>> l =
        netrpc::Listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(l.ok());
    dead = (*l)->Addr();
  }

  netrpc::config::v1::Upstream config;
  config.set_name("legacy");
  config.mutable_netrpc()->add_addresses(dead);
  config.mutable_netrpc()->add_addresses((*live)->Addr());
  absl::StatusOr<std::shared_ptr<Upstream>> up =
      Upstream::Create(config, UpstreamOptions(), nullptr);
  ASSERT_TRUE(up.ok()) << up.status();

  // Until the dead address is found out, a call may land on it and fail
  // with UNAVAILABLE naming it; after that every call succeeds.
  int failures = 0;
  for (int i = 0; i < 20; ++i) {
    absl::StatusOr<int64_t> r = Multiply(**up, 6, 7);
    if (r.ok()) {
      EXPECT_EQ(*r, 42);
    } else {
      EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
      EXPECT_NE(r.status().message().find(dead), absl::string_view::npos)
          << r.status();
      ++failures;
    }
  }
  EXPECT_LE(failures, 1);
  std::vector<std::pair<std::string, bool>> health = (*up)->Health();
  ASSERT_EQ(health.size(), 2u);
  EXPECT_EQ(health[0], std::make_pair(dead, false));
  EXPECT_EQ(health[1], std::make_pair((*live)->Addr(), true));
  up->reset();
  (*live)->Close();
  serve.join();
}

}  // namespace
}  // namespace gateway
