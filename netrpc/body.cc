// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/body.h"

namespace netrpc {
namespace body_internal {

absl::Status DecodeIntoConst() {
  return absl::FailedPreconditionError(
      "netrpc: cannot decode into a const body (a call's argument)");
}

}  // namespace body_internal

absl::Status Body::EncodeJson(std::string*) const {
  return absl::UnimplementedError("netrpc: this body has no JSON encoding");
}

absl::Status Body::DecodeJson(absl::string_view) {
  return absl::UnimplementedError("netrpc: this body has no JSON decoding");
}
}  // namespace netrpc
