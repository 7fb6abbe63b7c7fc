// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/body.h"

namespace netrpc {
namespace body_internal {

absl::Status DecodeIntoConst() {
  return absl::FailedPreconditionError(
      "netrpc: cannot decode into a const body (a call's argument)");
}

}  // namespace body_internal
}  // namespace netrpc
