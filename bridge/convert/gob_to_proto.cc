#include "bridge/convert/gob_to_proto.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"

#include "bridge/convert/gob_to_wire.h"
#include "netrpc/base/status_macros.h"

namespace bridge {

absl::Status GobToProto(const netrpc::gob::Value& value,
                        google::protobuf::Message* message, GobTypes& types,
                        const ConvertOptions& options) {
  const google::protobuf::Descriptor* descriptor = message->GetDescriptor();
  std::string wire;
  NETRPC_RETURN_IF_ERROR(GobToWire(value, descriptor, types, options, &wire));
  if (wire.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return absl::OutOfRangeError(
        absl::StrCat("bridge: ", descriptor->full_name(),
                     " would exceed protobuf's 2 GiB limit"));
  }
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(wire.data()),
      static_cast<int>(wire.size()));
  // The bytes nest as deep as the value, which the gob decoder bounds, not
  // protobuf's default limit of 100.
  in.SetRecursionLimit(std::numeric_limits<int>::max());
  if (!message->MergePartialFromCodedStream(&in) ||
      !in.ConsumedEntireMessage()) {
    return absl::InternalError(
        absl::StrCat("bridge: GobToWire wrote bytes that do not parse as ",
                     descriptor->full_name()));
  }
  return absl::OkStatus();
}

}  // namespace bridge
