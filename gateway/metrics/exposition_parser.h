// File: exposition_parser.h
//
// A strict parser of Prometheus text format 0.0.4, for tests: it checks what
// a scraper relies on and turns a /metrics page back into values, so a test
// can assert on a count rather than on a line.
//
//   absl::StatusOr<Exposition> page = ParseExposition(registry.Text());
//   ASSERT_TRUE(page.ok()) << page.status();
//   EXPECT_EQ(page->Value("netrpc_gateway_calls_total",
//                         {{"route", "Arith.Multiply"}, {"code", "OK"}, ...}),
//             3);
//
// Checked: every sample follows a # HELP then # TYPE pair of its family; a
// sample's name is the family's (histograms: name_bucket, _sum, _count);
// label names are valid and label values use only the escapes \\ \" \n;
// values parse as floats (NaN, +Inf, -Inf included); no family or series
// appears twice; counters end in _total; each histogram series has ascending
// "le" buckets ending in "+Inf", non-decreasing counts, and a _count equal to
// its +Inf bucket; the text ends with a newline.
//
// Thread-safety: pure functions and values.

#ifndef GATEWAY_METRICS_EXPOSITION_PARSER_H_
#define GATEWAY_METRICS_EXPOSITION_PARSER_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gateway {

// Sample is one parsed sample line; labels in the order written, unescaped.
struct Sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

// ParsedFamily is one family: its # HELP (unescaped), # TYPE and samples.
struct ParsedFamily {
  std::string name;
  std::string help;
  std::string type;
  std::vector<Sample> samples;
};

// Exposition is a parsed page.
struct Exposition {
  std::vector<ParsedFamily> families;

  // Find returns the family called name, or nullptr.
  const ParsedFamily* Find(absl::string_view name) const;

  // Value returns the value of the sample with exactly this name and these
  // labels (in any order), or -1 if there is none (no metric here is
  // negative).
  double Value(absl::string_view sample_name,
               const std::map<std::string, std::string>& labels = {}) const;
};

// ParseExposition parses and checks text; the error names the line.
absl::StatusOr<Exposition> ParseExposition(absl::string_view text);

}  // namespace gateway

#endif  // GATEWAY_METRICS_EXPOSITION_PARSER_H_
