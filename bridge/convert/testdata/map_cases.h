// The map cases both converters' tests decode, from protobuf wire bytes
// (wire_to_gob_test) and from JSON (json_value_test): the same contents,
// checked by the same expectations.

#ifndef BRIDGE_CONVERT_TESTDATA_MAP_CASES_H_
#define BRIDGE_CONVERT_TESTDATA_MAP_CASES_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "netrpc/gob/value.h"

namespace bridge::map_cases {

// Repeated keys past the size where maps are indexed, in a
// bridge.testdata.User: Tags gets "k0".."k39" = i, then k39 = 139,
// k0 = 100, k39 = 239 and new = 7; ById gets -20..19 = Inner{}, then
// -3 = Inner{Name: "x"}. ExpectLastValuesWon checks that each repeated key
// kept its first place and took its last value.
void ExpectLastValuesWon(const netrpc::gob::Value& user);

// A map too big for a search per entry: kBigEntries keys BigKey(i), alike
// but for their last bytes, with value i; then every third key again with
// value -i.
constexpr int64_t kBigEntries = 200000;
std::string BigKey(int64_t i);
// WrongBigEntries counts the entries of the decoded map that are not the
// expected key and last value, in order.
size_t WrongBigEntries(const netrpc::gob::Value& tags);

}  // namespace bridge::map_cases

#endif  // BRIDGE_CONVERT_TESTDATA_MAP_CASES_H_
