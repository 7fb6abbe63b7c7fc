// File: demo.h
//
// The embedded demo that `bazel run //gateway` (no --config) serves: an
// in-process gRPC Arith backend (the Multiply and Divide of Go's net/rpc
// documentation, as a new gRPC service, demo.v1.Arith) bridged on a net/rpc
// TCP port, a net/rpc HTTP port (with /debug/rpc) and a gRPC port, plus the
// admin listener, so a Go net/rpc client can reach a gRPC service a minute
// after cloning.

#ifndef GATEWAY_DEMO_H_
#define GATEWAY_DEMO_H_

#include <array>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gateway/config/load.h"
#include "grpcpp/server.h"

namespace gateway {

// DemoPorts are the demo's ports: net/rpc, HTTP, gRPC, admin. 0 picks one.
struct DemoPorts {
  int netrpc = 1234, http = 8080, grpc = 50051, admin = 9901;
};

// Demo is the running backend and the config that routes to it.
struct Demo {
  std::unique_ptr<grpc::Service> service;
  std::unique_ptr<grpc::Server> backend;
  // config is validated; its descriptor set is a temporary file that
  // ~Demo removes.
  config::LoadedConfig config;
  std::string descriptor_set_path;
  ~Demo();
};

// StartDemo starts the backend on a free loopback port and writes the
// demo's config.
absl::StatusOr<std::unique_ptr<Demo>> StartDemo(const DemoPorts& ports);

// DemoInstructions says how to call the running demo, given the bound
// addresses of its listeners ("netrpc", "http", "grpc") and admin.
std::string DemoInstructions(const std::string& netrpc, const std::string& http,
                             const std::string& grpc, const std::string& admin);

}  // namespace gateway

#endif  // GATEWAY_DEMO_H_
