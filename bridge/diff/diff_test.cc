#include "bridge/diff/diff.h"

#include <cmath>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "bridge/convert/names.h"
#include "bridge/convert/testdata/mapping.pb.h"

namespace bridge {
namespace {

using testdata::Inner;
using testdata::Node;
using testdata::User;

std::vector<std::string> Strings(const std::vector<FieldDiff>& diffs) {
  std::vector<std::string> out;
  for (const FieldDiff& d : diffs) out.push_back(d.ToString());
  return out;
}

User Base() {
  User u;
  u.set_user_id(42);
  u.set_display_name("Zoë");
  u.mutable_profile()->set_name("p");
  u.mutable_profile()->add_vals(1);
  for (const char* name : {"a", "b", "c"}) u.add_items()->set_name(name);
  (*u.mutable_tags())["disk"] = 1;
  (*u.mutable_tags())["cpu"] = 2;
  (*u.mutable_by_id())[3].set_name("three");
  u.mutable_created()->set_seconds(1257894000);
  u.mutable_ttl()->set_seconds(1);
  u.set_score(1.5);
  u.set_color(testdata::RED);
  return u;
}

class DiffTest : public ::testing::Test {
 protected:
  DiffOptions GoNamed() {
    DiffOptions o;
    o.names = &names_;
    return o;
  }
  GoNames names_;
};

TEST_F(DiffTest, EqualMessagesHaveNoDiffs) {
  EXPECT_TRUE(DiffMessages(Base(), Base()).empty());
  EXPECT_TRUE(DiffMessages(User(), User()).empty());
}

TEST_F(DiffTest, ChangedScalarsByProtoAndGoNames) {
  User b = Base();
  b.set_score(1.75);
  b.set_user_id(43);
  b.set_color(testdata::GREEN);
  b.set_display_name("Zoe");
  EXPECT_EQ(Strings(DiffMessages(Base(), b)),
            (std::vector<std::string>{
                "user_id: 42 -> 43 (changed)",
                "display_name: \"Zoë\" -> \"Zoe\" (changed)",
                "color: RED -> GREEN (changed)",
                "score: 1.5 -> 1.75 (changed)",
            }));
  EXPECT_EQ(Strings(DiffMessages(Base(), b, GoNamed())),
            (std::vector<std::string>{
                "UserID: 42 -> 43 (changed)",
                "DisplayName: \"Zoë\" -> \"Zoe\" (changed)",
                "Color: RED -> GREEN (changed)",
                "Score: 1.5 -> 1.75 (changed)",
            }));
}

TEST_F(DiffTest, RepeatedElementsByIndex) {
  User b = Base();
  b.mutable_items(2)->set_name("C");
  b.mutable_items(1)->add_vals(9);
  b.add_items()->set_name("d");
  std::vector<FieldDiff> diffs = DiffMessages(Base(), b, GoNamed());
  EXPECT_EQ(Strings(diffs), (std::vector<std::string>{
                                "Items[1].Vals[0]: 9 (only in shadow)",
                                "Items[2].Name: \"c\" -> \"C\" (changed)",
                                "Items[3]: {name: \"d\"} (only in shadow)",
                            }));
  EXPECT_EQ(diffs[1],
            (FieldDiff{"Items[2].Name", DiffKind::kChanged, "\"c\"", "\"C\""}));
  User shorter = Base();
  shorter.mutable_items()->RemoveLast();
  EXPECT_EQ(
      Strings(DiffMessages(Base(), shorter)),
      (std::vector<std::string>{"items[2]: {name: \"c\"} (only in primary)"}));
}

TEST_F(DiffTest, MapEntriesByKeyInKeyOrder) {
  User b = Base();
  (*b.mutable_tags())["disk"] = 5;
  b.mutable_tags()->erase("cpu");
  (*b.mutable_tags())["a-new"] = 0;
  (*b.mutable_by_id())[3].set_name("THREE");
  (*b.mutable_by_id())[-7].set_name("minus");
  EXPECT_EQ(Strings(DiffMessages(Base(), b, GoNamed())),
            (std::vector<std::string>{
                "Tags[\"a-new\"]: 0 (only in shadow)",
                "Tags[\"cpu\"]: 2 (only in primary)",
                "Tags[\"disk\"]: 1 -> 5 (changed)",
                "ById[-7]: {name: \"minus\"} (only in shadow)",
                "ById[3].Name: \"three\" -> \"THREE\" (changed)",
            }));
}

TEST_F(DiffTest, MessagePresence) {
  User b = Base();
  b.clear_profile();
  User c;
  c.mutable_profile();  // set, empty
  EXPECT_EQ(Strings(DiffMessages(Base(), b, GoNamed())),
            (std::vector<std::string>{
                "Profile: {name: \"p\" vals: 1} (only in primary)"}));
  EXPECT_EQ(Strings(DiffMessages(User(), c)),
            (std::vector<std::string>{"profile: {} (only in shadow)"}));
}

TEST_F(DiffTest, WellKnownTypesAreOneValue) {
  User b = Base();
  b.mutable_created()->set_nanos(500000000);
  b.mutable_ttl()->set_nanos(500000000);
  EXPECT_EQ(Strings(DiffMessages(Base(), b, GoNamed())),
            (std::vector<std::string>{
                "Created: 2009-11-10T23:00:00Z -> 2009-11-10T23:00:00.5Z "
                "(changed)",
                "Ttl: 1s -> 1.5s (changed)",
            }));
}

TEST_F(DiffTest, FloatTolerance) {
  User a;
  a.set_score(100);
  a.set_ratio(0.1f);
  User b;
  b.set_score(100.001);
  b.set_ratio(0.1f);
  EXPECT_EQ(Strings(DiffMessages(a, b)),
            (std::vector<std::string>{"score: 100 -> 100.001 (changed)"}));
  DiffOptions margin;
  margin.float_margin = 0.01;
  EXPECT_TRUE(DiffMessages(a, b, margin).empty());
  DiffOptions fraction;
  fraction.float_fraction = 1e-5;
  EXPECT_TRUE(DiffMessages(a, b, fraction).empty());
  fraction.float_fraction = 1e-6;
  EXPECT_EQ(DiffMessages(a, b, fraction).size(), 1u);
  a.set_score(std::nan(""));
  b.set_score(std::nan(""));
  EXPECT_TRUE(DiffMessages(a, b).empty());
  b.set_ratio(0.2f);
  EXPECT_EQ(Strings(DiffMessages(a, b)),
            (std::vector<std::string>{"ratio: 0.1 -> 0.2 (changed)"}));
}

TEST_F(DiffTest, IgnoredPaths) {
  User b = Base();
  b.mutable_items(0)->set_name("A");
  b.mutable_items(2)->set_name("C");
  b.mutable_profile()->set_name("q");
  b.set_score(2);
  (*b.mutable_tags())["disk"] = 9;

  DiffOptions all_names = GoNamed();
  all_names.ignore = {"Items.Name", "Profile", "score", "Tags[\"disk\"]"};
  EXPECT_TRUE(DiffMessages(Base(), b, all_names).empty());

  DiffOptions one = GoNamed();
  one.ignore = {"Items[0].Name", "Profile.Name", "Score", "tags"};
  EXPECT_EQ(
      Strings(DiffMessages(Base(), b, one)),
      (std::vector<std::string>{"Items[2].Name: \"c\" -> \"C\" (changed)"}));
}

TEST_F(DiffTest, MaxDiffsAndTruncated) {
  User a;
  User b;
  for (int i = 0; i < 10; ++i) {
    a.add_names("x");
    b.add_names("y");
  }
  DiffOptions o;
  o.max_diffs = 3;
  bool truncated = false;
  std::vector<FieldDiff> diffs = DiffMessages(a, b, o, &truncated);
  EXPECT_EQ(diffs.size(), 3u);
  EXPECT_TRUE(truncated);
  EXPECT_EQ(diffs.back().path, "names[2]");
  o.max_diffs = 10;
  EXPECT_EQ(DiffMessages(a, b, o, &truncated).size(), 10u);
  EXPECT_FALSE(truncated);
  o.max_diffs = 0;
  EXPECT_EQ(DiffMessages(a, b, o, &truncated).size(), 10u);
}

TEST_F(DiffTest, LongValuesAreCut) {
  User a;
  a.set_display_name(std::string(200, 'x'));
  a.set_avatar(std::string(100, '\xff'));
  a.mutable_profile()->set_name(std::string(50, '\n'));
  User b;
  DiffOptions o;
  o.max_value_chars = 10;
  std::vector<FieldDiff> diffs = DiffMessages(a, b, o);
  ASSERT_EQ(diffs.size(), 3u);
  EXPECT_EQ(diffs[0].primary, "\"xxxxxxxxxx\"… (200 bytes)");
  EXPECT_EQ(diffs[0].shadow, "\"\"");
  EXPECT_EQ(
      diffs[1].primary,
      "\"\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\"… (100 bytes)");
  // An escape in a message's text is not split.
  EXPECT_EQ(diffs[2].primary, "{name: \"\\n… (110 chars)");
  // UTF-8 is not cut inside a character.
  a.set_display_name("ééééééé");
  diffs = DiffMessages(a, b, o);
  EXPECT_EQ(diffs[0].primary, "\"ééééé\"… (14 bytes)");
}

TEST_F(DiffTest, RecursiveMessages) {
  Node a;
  a.mutable_next()->mutable_next()->set_val(3);
  Node b = a;
  b.mutable_next()->mutable_next()->mutable_next()->set_val(4);
  EXPECT_EQ(
      Strings(DiffMessages(a, b, GoNamed())),
      (std::vector<std::string>{"Next.Next.Next: {val: 4} (only in shadow)"}));
}

TEST_F(DiffTest, DifferentTypes) {
  EXPECT_EQ(Strings(DiffMessages(User(), Inner())),
            (std::vector<std::string>{
                "(message): bridge.testdata.User -> bridge.testdata.Inner "
                "(changed)"}));
}

}  // namespace
}  // namespace bridge
