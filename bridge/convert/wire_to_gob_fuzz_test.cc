// Fuzz target for WireToGob. Any bytes, read as a bridge.testdata.User and as
// a bridge.testdata2.Legacy, must convert or fail with a status (never crash,
// never hang), and what converts must survive GobToWire: its bytes convert
// back to the same value.
//
// Built two ways (see BUILD.bazel): as a cc_test that replays
// testdata/wire_fuzz_corpus plus byte flips of each seed
// (//netrpc/gob:fuzz_replay_main), and as the libFuzzer binary
// :wire_to_gob_fuzzer under --config=fuzz.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/strings/string_view.h"

#include "bridge/convert/gob_to_wire.h"
#include "bridge/convert/gob_types.h"
#include "bridge/convert/testdata/mapping.pb.h"
#include "bridge/convert/testdata/mapping2.pb.h"
#include "bridge/convert/wire_to_gob.h"
#include "netrpc/gob/value.h"

namespace {

namespace gob = ::netrpc::gob;

// Same is value equality as a Go peer sees it: maps unordered, floats by
// their bits (a NaN equals itself).
bool Same(const gob::Value& a, const gob::Value& b) {
  if (a.type() != b.type()) return false;
  switch (a.kind()) {
    case gob::Kind::kFloat: {
      double x = a.float_value(), y = b.float_value();
      return std::memcmp(&x, &y, sizeof x) == 0;
    }
    case gob::Kind::kStruct:
      for (size_t i = 0; i < a.type()->fields().size(); ++i) {
        if (!Same(a.field(i), b.field(i))) return false;
      }
      return true;
    case gob::Kind::kSlice:
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!Same(a.elem(i), b.elem(i))) return false;
      }
      return true;
    case gob::Kind::kMap:
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        const gob::Value* other = b.MapFind(a.map_key(i));
        if (other == nullptr || !Same(a.map_value(i), *other)) return false;
      }
      return true;
    default:
      return a == b;
  }
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "wire_to_gob_fuzz: invariant violated: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static bridge::GobTypes* types = new bridge::GobTypes(bridge::GoNames());
  absl::string_view wire(reinterpret_cast<const char*>(data), size);
  bridge::ConvertOptions strict, lenient;
  lenient.unknown_fields = netrpc::config::v1::DROP_AND_COUNT;
  for (const google::protobuf::Descriptor* d :
       {bridge::testdata::User::descriptor(),
        bridge::testdata2::Legacy::descriptor()}) {
    absl::StatusOr<gob::Value> v = bridge::WireToGob(wire, d, *types, strict);
    absl::StatusOr<gob::Value> dropped =
        bridge::WireToGob(wire, d, *types, lenient);
    // Dropping unknown fields turns only their errors into successes.
    Check(!v.ok() || (dropped.ok() && Same(*v, *dropped)),
          "DROP_AND_COUNT differs from STRICT on a value both accept");
    if (!dropped.ok()) continue;
    std::string again;
    // GobToWire may refuse a value protobuf cannot hold (a time beyond year
    // 9999); what it writes must read back the same.
    if (!bridge::GobToWire(*dropped, d, *types, lenient, &again).ok()) continue;
    absl::StatusOr<gob::Value> back =
        bridge::WireToGob(again, d, *types, strict);
    Check(back.ok(), "GobToWire's bytes do not convert back");
    Check(Same(*back, *dropped), "the value changed through GobToWire");
  }
  return 0;
}
