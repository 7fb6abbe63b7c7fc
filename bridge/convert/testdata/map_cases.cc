#include "bridge/convert/testdata/map_cases.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace bridge::map_cases {

namespace gob = ::netrpc::gob;

void ExpectLastValuesWon(const gob::Value& user) {
  const gob::Value& tags = *user.Field("Tags");
  ASSERT_EQ(tags.size(), 41u);
  for (size_t i = 0; i < 40; ++i) {
    EXPECT_EQ(tags.map_key(i).string_value(), absl::StrCat("k", i));
  }
  EXPECT_EQ(tags.map_value(0).int_value(), 100);
  EXPECT_EQ(tags.map_value(1).int_value(), 1);
  EXPECT_EQ(tags.map_value(39).int_value(), 239);
  EXPECT_EQ(tags.map_key(40).string_value(), "new");
  const gob::Value& by_id = *user.Field("ById");
  ASSERT_EQ(by_id.size(), 40u);
  EXPECT_EQ(by_id.map_key(17).int_value(), -3);
  EXPECT_EQ(by_id.map_value(17).Field("Name")->string_value(), "x");
}

std::string BigKey(int64_t i) {
  return absl::StrCat(std::string(32, 'k'), absl::Dec(i, absl::kZeroPad8));
}

size_t WrongBigEntries(const gob::Value& tags) {
  size_t wrong = 0;
  for (int64_t i = 0; i < kBigEntries; ++i) {
    const size_t at = static_cast<size_t>(i);
    wrong += tags.map_key(at).string_value() != BigKey(i) ||
             tags.map_value(at).int_value() != (i % 3 == 0 ? -i : i);
  }
  return wrong;
}

}  // namespace bridge::map_cases
