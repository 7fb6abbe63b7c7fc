#include "gateway/demo.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gateway/config/validate.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpcpp/grpcpp.h"
#include "proto/demo/v1/arith.grpc.pb.h"

namespace gateway {
namespace {

// Arith is the new gRPC backend: Go's documentation example.
class Arith final : public demo::v1::Arith::Service {
  grpc::Status Multiply(grpc::ServerContext*, const demo::v1::Args* a,
                        demo::v1::Product* p) override {
    p->set_value(a->a() * a->b());
    return grpc::Status::OK;
  }
  grpc::Status Divide(grpc::ServerContext*, const demo::v1::Args* a,
                      demo::v1::Quotient* q) override {
    if (a->b() == 0) {
      // UNKNOWN with the bare text: what a Go client of the old server saw.
      return grpc::Status(grpc::StatusCode::UNKNOWN, "divide by zero");
    }
    q->set_quo(a->a() / a->b());
    q->set_rem(a->a() % a->b());
    return grpc::Status::OK;
  }
};

// The demo's config, as a user would write it (ports and paths filled in).
constexpr char kDemoConfig[] = R"(# The embedded demo's config.
listeners:
- {name: netrpc, address: "127.0.0.1:%d", protocol: NETRPC}
- {name: http, address: "127.0.0.1:%d", protocol: NETRPC_HTTP}
- {name: grpc, address: "127.0.0.1:%d", protocol: GRPC}
upstreams:
- {name: arith, grpc: {target: "127.0.0.1:%d"}}
schemas:
- {descriptor_set: "%s"}
bridge:
  package: demo.v1
  unwrap_messages: [demo.v1.Product]   # Go: Multiply(args *Args, reply *int)
routes:
- {service: Arith, upstream: arith, timeout: 5s}
admin: {address: "127.0.0.1:%d"}
)";

}  // namespace

Demo::~Demo() {
  if (backend != nullptr) backend->Shutdown();
  if (!descriptor_set_path.empty()) std::remove(descriptor_set_path.c_str());
}

absl::StatusOr<std::unique_ptr<Demo>> StartDemo(const DemoPorts& ports) {
  auto demo = std::make_unique<Demo>();
  demo->service = std::make_unique<Arith>();
  int backend_port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &backend_port);
  builder.RegisterService(demo->service.get());
  demo->backend = builder.BuildAndStart();
  if (demo->backend == nullptr || backend_port == 0) {
    return absl::UnavailableError("demo: the Arith backend did not start");
  }

  google::protobuf::FileDescriptorSet set;
  demo::v1::Args::descriptor()->file()->CopyTo(set.add_file());
  const char* tmp = std::getenv("TMPDIR");
  std::string path =
      absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp",
                   "/netrpc-gateway-demo-", getpid(), ".pb");
  {
    std::ofstream out(path, std::ios::binary);
    if (!out || !set.SerializeToOstream(&out)) {
      return absl::UnavailableError(
          absl::StrCat("demo: cannot write the schema to ", path));
    }
  }
  demo->descriptor_set_path = path;

  std::string text =
      absl::StrFormat(kDemoConfig, ports.netrpc, ports.http, ports.grpc,
                      backend_port, path, ports.admin);
  absl::StatusOr<config::LoadedConfig> loaded = config::LoadConfigString(
      text, config::ConfigFormat::kYaml, "embedded demo config");
  if (!loaded.ok()) return loaded.status();
  absl::Status s = config::Validate(*loaded);
  if (!s.ok()) return s;
  demo->config = *std::move(loaded);
  return demo;
}

std::string DemoInstructions(const std::string& netrpc, const std::string& http,
                             const std::string& grpc,
                             const std::string& admin) {
  return absl::StrCat(
      "\nThe gRPC service demo.v1.Arith is bridged to net/rpc service Arith.\n"
      "Call it as a Go net/rpc client would:\n"
      "  bazel run //netrpc/examples:arith_client -- --addr=",
      netrpc,
      "\n"
      "  Go: client, _ := rpc.Dial(\"tcp\", \"", netrpc,
      "\")\n"
      "      client.Call(\"Arith.Multiply\", &Args{7, 8}, &reply)\n"
      "net/rpc over HTTP: rpc.DialHTTP(\"tcp\", \"", http,
      "\"); debug page: http://", http,
      "/debug/rpc\n"
      "gRPC (reflection on): grpcurl -plaintext -d '{\"a\":7,\"b\":8}' ", grpc,
      " demo.v1.Arith/Multiply\n"
      "Admin: http://", admin, "/  (metrics, healthz, readyz, config)\n");
}

}  // namespace gateway
