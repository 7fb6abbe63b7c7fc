// File: wire_format.h
//
// Protobuf's wire types, the low three bits of every field's tag: what the
// two wire converters (gob_to_wire.h, wire_to_gob.h) write and read.

#ifndef BRIDGE_CONVERT_WIRE_FORMAT_H_
#define BRIDGE_CONVERT_WIRE_FORMAT_H_

#include <cstdint>

namespace bridge {

enum WireType {
  kVarint = 0,
  kFixed64 = 1,
  kLength = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

}  // namespace bridge

#endif  // BRIDGE_CONVERT_WIRE_FORMAT_H_
