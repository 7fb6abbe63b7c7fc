#include "bridge/testing/arith.h"

#include <thread>
#include <vector>

#include "google/protobuf/descriptor.pb.h"

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

std::shared_ptr<const bridge::Schema> ArithSchema() {
  std::vector<google::protobuf::FileDescriptorProto> files;
  files.emplace_back();
  demo::v1::Args::descriptor()->file()->CopyTo(&files.back());
  return *bridge::Schema::FromFiles(std::move(files), "arith");
}

}  // namespace bridge_testing
