#include "bridge/grpc/fake_arith.h"

namespace bridge {
namespace {

// Hang answers only when the call is cancelled (deadline, client, shutdown).
class Hang final : public grpc::ServerUnaryReactor {
  void OnCancel() override { Finish(grpc::Status::CANCELLED); }
  void OnDone() override { delete this; }
};

}  // namespace

std::multimap<std::string, std::string> FakeArith::last_metadata() const {
  absl::MutexLock lock(&mu_);
  return last_metadata_;
}

void FakeArith::Record(const grpc::CallbackServerContext& context) {
  absl::MutexLock lock(&mu_);
  last_metadata_.clear();
  for (const auto& [key, value] : context.client_metadata()) {
    last_metadata_.emplace(std::string(key.data(), key.size()),
                           std::string(value.data(), value.size()));
  }
}

grpc::ServerUnaryReactor* FakeArith::Multiply(
    grpc::CallbackServerContext* context, const demo::v1::Args* args,
    demo::v1::Product* product) {
  Record(*context);
  if (args->a() == kHang) return new Hang();
  product->set_value(args->a() * args->b());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* FakeArith::Divide(
    grpc::CallbackServerContext* context, const demo::v1::Args* args,
    demo::v1::Quotient* quotient) {
  Record(*context);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (args->b() == 0) {
    reactor->Finish(
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "divide by zero"));
    return reactor;
  }
  quotient->set_quo(args->a() / args->b());
  quotient->set_rem(args->a() % args->b());
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace bridge
