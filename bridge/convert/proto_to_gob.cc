#include "bridge/convert/proto_to_gob.h"

#include "bridge/convert/wire_to_gob.h"

namespace bridge {

absl::StatusOr<netrpc::gob::Value> ProtoToGob(
    const google::protobuf::Message& message, GobTypes& types,
    const ConvertOptions& options) {
  return WireToGob(message.SerializePartialAsString(), message.GetDescriptor(),
                   types, options);
}

}  // namespace bridge
