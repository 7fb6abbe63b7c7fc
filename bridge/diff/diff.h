// File: diff.h
//
// DiffMessages compares two protobuf messages of the same type field by
// field and says where they differ, for mirroring and shadow comparison: a
// call answered by a primary upstream and replayed to a shadow, whose
// responses should agree. Each difference names its field by a path in the
// spelling a Go programmer of the estate knows (Go field names through the
// mapping's GoNames, else proto names), with both values rendered short.
//
//   bridge::DiffOptions options;
//   options.names = &mapping->types().names();   // Go names: Items[2].Price
//   options.float_margin = 1e-9;
//   options.ignore = {"UpdatedAt", "Items.Etag"};
//   for (const bridge::FieldDiff& d :
//        bridge::DiffMessages(primary, shadow, options)) {
//     LOG(INFO) << d.ToString();   // Items[2].Price: 1.5 -> 1.75 (changed)
//   }
//
// Paths: fields joined by dots, repeated elements by index, map entries by
// key: `items[2].price`, `tags["disk"]`, `by_id[7].name`. Timestamp,
// Duration and the wrapper types are compared and shown as one value
// (`2009-11-10T23:00:00Z`, `1.5s`), not as their seconds and nanos.
//
// Presence: a field with presence (a message field, a proto3 `optional`, a
// oneof member, any proto2 singular field) set on one side only is
// kOnlyInPrimary or kOnlyInShadow, as is a repeated element or map entry
// past the other side's end or missing there; a proto3 scalar without
// presence is compared by value (zero included). Unknown fields are not
// compared.
//
// Thread-safety: DiffMessages is thread-safe (it reads only its arguments).

#ifndef BRIDGE_DIFF_DIFF_H_
#define BRIDGE_DIFF_DIFF_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

#include "bridge/convert/names.h"

namespace bridge {

// DiffKind says how a field differs.
enum class DiffKind {
  kChanged,        // set on both sides, to different values
  kOnlyInPrimary,  // set in the primary (first) message only
  kOnlyInShadow,   // set in the shadow (second) message only
};

// DiffKindName is "changed", "only in primary" or "only in shadow".
absl::string_view DiffKindName(DiffKind kind);

// FieldDiff is one difference.
struct FieldDiff {
  // path names the field: "Items[2].Price", `Tags["disk"]`.
  std::string path;
  DiffKind kind = DiffKind::kChanged;
  // primary and shadow are the two values rendered short (strings quoted
  // and escaped, long values cut with "… (N chars)"); the side a field is
  // missing from is empty.
  std::string primary;
  std::string shadow;

  // ToString renders the difference on one line:
  // `Items[2].Price: 1.5 -> 1.75 (changed)`,
  // `Tags["new"]: 3 (only in shadow)`.
  std::string ToString() const;

  friend bool operator==(const FieldDiff& a, const FieldDiff& b) {
    return a.path == b.path && a.kind == b.kind && a.primary == b.primary &&
           a.shadow == b.shadow;
  }
};

// DiffOptions configures DiffMessages.
struct DiffOptions {
  // names spells paths with Go field names (the mapping's GoNames, which
  // must outlive the call). Default: nullptr, proto field names.
  const GoNames* names = nullptr;

  // float_margin and float_fraction make float and double fields equal
  // when |a - b| <= float_margin or |a - b| <= float_fraction * max(|a|, |b|).
  // NaN equals NaN. Default: 0 and 0, exact equality.
  double float_margin = 0;
  double float_fraction = 0;

  // ignore lists paths whose fields (and everything under them) are not
  // compared. A path matches with its indices and keys ("Items[1].Price":
  // that element only) or without them ("Items.Price": every element), in
  // Go or proto names ("items.price"). Default: none.
  std::vector<std::string> ignore;

  // max_diffs stops the comparison after this many differences; 0 means no
  // limit. Default: 100.
  size_t max_diffs = 100;

  // max_value_chars cuts rendered values longer than this. Default: 64.
  size_t max_value_chars = 64;
};

// DiffMessages returns the differences between `primary` and `shadow`, in
// field order (map entries in key order), at most options.max_diffs of
// them; `*truncated`, if given, says whether more were left out. Messages
// of different types give one kChanged difference at path "" naming both
// types.
std::vector<FieldDiff> DiffMessages(const google::protobuf::Message& primary,
                                    const google::protobuf::Message& shadow,
                                    const DiffOptions& options = DiffOptions(),
                                    bool* truncated = nullptr);

}  // namespace bridge

#endif  // BRIDGE_DIFF_DIFF_H_
