#include "bridge/testing/arith.h"

#include <cassert>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/timestamp.pb.h"

namespace bridge_testing {

grpc::Status ArithBackend::Multiply(grpc::ServerContext* ctx,
                                    const demo::v1::Args* a,
                                    demo::v1::Product* p) {
  if (a->a() == kHang) {
    // Polls for the cancellation that the caller's deadline brings.
    while (!ctx->IsCancelled()) std::this_thread::yield();
    return grpc::Status(grpc::StatusCode::CANCELLED, "gave up");
  }
  p->set_value(a->a() * a->b());
  return grpc::Status::OK;
}

grpc::Status ArithBackend::Divide(grpc::ServerContext*,
                                  const demo::v1::Args* a,
                                  demo::v1::Quotient* q) {
  if (a->b() == 0) {
    return grpc::Status(grpc::StatusCode::UNKNOWN, "divide by zero");
  }
  if (a->b() < 0) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no negative divisors");
  }
  q->set_quo(a->a() / a->b());
  q->set_rem(a->a() % a->b());
  return grpc::Status::OK;
}

std::vector<google::protobuf::FileDescriptorProto> ClockFiles() {
  std::vector<google::protobuf::FileDescriptorProto> files(2);
  bool parsed = google::protobuf::TextFormat::ParseFromString(
      R"pb(name: "clock.proto"
           package: "clock"
           dependency: "google/protobuf/timestamp.proto"
           message_type {
             name: "Now"
             field {
               name: "at"
               number: 1
               type: TYPE_MESSAGE
               type_name: ".google.protobuf.Timestamp"
             }
           }
           service {
             name: "Clock"
             method {
               name: "Get"
               input_type: ".clock.Now"
               output_type: ".clock.Now"
             }
           })pb",
      &files[0]);
  assert(parsed);
  (void)parsed;
  google::protobuf::Timestamp::descriptor()->file()->CopyTo(&files[1]);
  return files;
}

std::shared_ptr<const bridge::Schema> ArithSchema() {
  std::vector<google::protobuf::FileDescriptorProto> files;
  files.emplace_back();
  demo::v1::Args::descriptor()->file()->CopyTo(&files.back());
  return *bridge::Schema::FromFiles(std::move(files), "arith");
}

std::shared_ptr<const bridge::Mapping> ArithMapping() {
  netrpc::config::v1::Bridge config;
  bool parsed = google::protobuf::TextFormat::ParseFromString(
      R"pb(package: "demo.v1"
           services { name: "Arith" }
           unwrap_messages: "demo.v1.Product")pb",
      &config);
  assert(parsed);
  (void)parsed;
  return *bridge::Mapping::Build(config, ArithSchema());
}

MultiplyCall NewMultiplyCall(std::shared_ptr<const bridge::Mapping> mapping,
                             int64_t a, int64_t b) {
  MultiplyCall m;
  const bridge::Route* route = mapping->routes().ByNetRpc("Arith.Multiply");
  demo::v1::Args args;
  args.set_a(a);
  args.set_b(b);
  m.request = std::make_unique<std::string>(args.SerializeAsString());
  m.call.mapping = std::move(mapping);
  m.call.route = route;
  m.call.request = *m.request;
  m.call.protocol = "netrpc";
  m.call.timeout = absl::Seconds(5);
  m.call.deadline = absl::Now() + m.call.timeout;
  return m;
}

absl::StatusOr<int64_t> ProductOf(const absl::StatusOr<std::string>& r) {
  if (!r.ok()) return r.status();
  demo::v1::Product p;
  if (!p.ParseFromString(*r)) {
    return absl::InternalError("the response is not a demo.v1.Product");
  }
  return p.value();
}

}  // namespace bridge_testing
