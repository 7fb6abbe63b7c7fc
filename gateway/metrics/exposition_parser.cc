#include "gateway/metrics/exposition_parser.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace gateway {
namespace {

bool IsName(absl::string_view s, bool colon_ok) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (!(absl::ascii_isalpha(c) || c == '_' || (colon_ok && c == ':') ||
          (i > 0 && absl::ascii_isdigit(c)))) {
      return false;
    }
  }
  return true;
}

bool ParseValue(absl::string_view s, double* out) {
  if (s == "+Inf") {
    *out = std::numeric_limits<double>::infinity();
    return true;
  }
  if (s == "-Inf") {
    *out = -std::numeric_limits<double>::infinity();
    return true;
  }
  if (s == "NaN") {
    *out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  // Anything else must be a plain number; SimpleAtod would also take "inf".
  for (char c : s) {
    if (!(absl::ascii_isdigit(c) || c == '.' || c == 'e' || c == '-' ||
          c == '+')) {
      return false;
    }
  }
  return absl::SimpleAtod(s, out);
}

// ParseLabels parses `a="x",b="y"` (the text between the braces).
absl::Status ParseLabels(absl::string_view s, Sample* sample) {
  size_t i = 0;
  while (i < s.size()) {
    size_t eq = s.find('=', i);
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError("label without '='");
    }
    absl::string_view name = s.substr(i, eq - i);
    if (!IsName(name, false)) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad label name \"", name, "\""));
    }
    if (eq + 1 >= s.size() || s[eq + 1] != '"') {
      return absl::InvalidArgumentError("label value not quoted");
    }
    std::string value;
    size_t j = eq + 2;
    bool closed = false;
    while (j < s.size()) {
      char c = s[j];
      if (c == '"') {
        closed = true;
        break;
      }
      if (c == '\n') return absl::InvalidArgumentError("raw newline in value");
      if (c == '\\') {
        if (j + 1 >= s.size()) {
          return absl::InvalidArgumentError("dangling backslash");
        }
        char e = s[j + 1];
        if (e == '\\') {
          value += '\\';
        } else if (e == '"') {
          value += '"';
        } else if (e == 'n') {
          value += '\n';
        } else {
          return absl::InvalidArgumentError(
              absl::StrCat("bad escape \\", std::string(1, e)));
        }
        j += 2;
        continue;
      }
      value += c;
      ++j;
    }
    if (!closed) return absl::InvalidArgumentError("unterminated label value");
    for (const auto& [n, v] : sample->labels) {
      if (n == name) {
        return absl::InvalidArgumentError(
            absl::StrCat("label \"", name, "\" twice"));
      }
    }
    sample->labels.emplace_back(std::string(name), std::move(value));
    i = j + 1;
    if (i == s.size()) break;
    if (s[i] != ',' || i + 1 == s.size()) {
      return absl::InvalidArgumentError("labels not separated by one ','");
    }
    ++i;
  }
  return absl::OkStatus();
}

std::string UnescapeHelp(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() &&
        (s[i + 1] == '\\' || s[i + 1] == 'n')) {
      out += s[i + 1] == 'n' ? '\n' : '\\';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

// SeriesKey is a sample's labels without "le", sorted, for grouping.
std::string SeriesKey(const Sample& s) {
  std::vector<std::string> parts;
  for (const auto& [n, v] : s.labels) {
    if (n != "le") parts.push_back(absl::StrCat(n, "=", v));
  }
  std::sort(parts.begin(), parts.end());
  return absl::StrJoin(parts, "\x1f");
}

absl::Status CheckHistogram(const ParsedFamily& f) {
  struct Series {
    std::vector<std::pair<double, double>> buckets;  // le, count
    double count = -1;
    bool sum = false;
  };
  std::map<std::string, Series> series;
  for (const Sample& s : f.samples) {
    Series& h = series[SeriesKey(s)];
    if (s.name == f.name + "_bucket") {
      double le = 0;
      bool has_le = false;
      for (const auto& [n, v] : s.labels) {
        if (n == "le") has_le = ParseValue(v, &le);
      }
      if (!has_le) {
        return absl::InvalidArgumentError(
            absl::StrCat(f.name, ": bucket without a valid le"));
      }
      if (!h.buckets.empty() && !(h.buckets.back().first < le)) {
        return absl::InvalidArgumentError(
            absl::StrCat(f.name, ": le values not ascending"));
      }
      if (!h.buckets.empty() && s.value < h.buckets.back().second) {
        return absl::InvalidArgumentError(
            absl::StrCat(f.name, ": bucket counts decrease"));
      }
      h.buckets.emplace_back(le, s.value);
    } else if (s.name == f.name + "_count") {
      h.count = s.value;
    } else if (s.name == f.name + "_sum") {
      h.sum = true;
    }
  }
  for (const auto& [key, h] : series) {
    if (h.buckets.empty() || !std::isinf(h.buckets.back().first)) {
      return absl::InvalidArgumentError(
          absl::StrCat(f.name, ": series without a +Inf bucket"));
    }
    if (!h.sum || h.count < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(f.name, ": series without _sum or _count"));
    }
    if (h.count != h.buckets.back().second) {
      return absl::InvalidArgumentError(
          absl::StrCat(f.name, ": _count differs from the +Inf bucket"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

const ParsedFamily* Exposition::Find(absl::string_view name) const {
  for (const ParsedFamily& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

double Exposition::Value(
    absl::string_view sample_name,
    const std::map<std::string, std::string>& labels) const {
  for (const ParsedFamily& f : families) {
    for (const Sample& s : f.samples) {
      if (s.name != sample_name || s.labels.size() != labels.size()) continue;
      std::map<std::string, std::string> got(s.labels.begin(), s.labels.end());
      if (got == labels) return s.value;
    }
  }
  return -1;
}

absl::StatusOr<Exposition> ParseExposition(absl::string_view text) {
  Exposition out;
  if (text.empty()) return out;
  if (text.back() != '\n') {
    return absl::InvalidArgumentError("exposition: no final newline");
  }
  text.remove_suffix(1);
  std::set<std::string> series_seen;
  int line_no = 0;
  ParsedFamily* family = nullptr;
  bool want_type = false;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    auto fail = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("exposition: line ", line_no, " \"", line, "\": ", why));
    };
    if (absl::StartsWith(line, "# HELP ")) {
      absl::string_view rest = line.substr(7);
      size_t sp = rest.find(' ');
      absl::string_view name = rest.substr(0, sp);
      if (!IsName(name, true)) return fail("bad metric name");
      if (out.Find(name) != nullptr) return fail("family seen before");
      if (want_type) return fail("# HELP without # TYPE before it");
      out.families.push_back(ParsedFamily());
      family = &out.families.back();
      family->name = std::string(name);
      family->help = sp == absl::string_view::npos
                         ? ""
                         : UnescapeHelp(rest.substr(sp + 1));
      want_type = true;
      continue;
    }
    if (absl::StartsWith(line, "# TYPE ")) {
      std::vector<absl::string_view> parts =
          absl::StrSplit(line.substr(7), ' ');
      if (parts.size() != 2) return fail("want \"# TYPE name type\"");
      if (!want_type || family == nullptr || family->name != parts[0]) {
        return fail("# TYPE not right after its # HELP");
      }
      if (parts[1] != "counter" && parts[1] != "gauge" &&
          parts[1] != "histogram" && parts[1] != "summary" &&
          parts[1] != "untyped") {
        return fail("unknown type");
      }
      if (parts[1] == "counter" && !absl::EndsWith(parts[0], "_total")) {
        return fail("counter name does not end in _total");
      }
      family->type = std::string(parts[1]);
      want_type = false;
      continue;
    }
    if (absl::StartsWith(line, "#")) return fail("unexpected comment");
    if (family == nullptr || want_type) return fail("sample before # TYPE");
    Sample sample;
    size_t brace = line.find('{');
    size_t space;
    if (brace != absl::string_view::npos) {
      size_t close = line.rfind('}');
      if (close == absl::string_view::npos || close < brace) {
        return fail("unclosed '{'");
      }
      sample.name = std::string(line.substr(0, brace));
      if (absl::Status s =
              ParseLabels(line.substr(brace + 1, close - brace - 1), &sample);
          !s.ok()) {
        return fail(s.message());
      }
      if (close + 1 >= line.size() || line[close + 1] != ' ') {
        return fail("no space before the value");
      }
      space = close + 1;
    } else {
      space = line.find(' ');
      if (space == absl::string_view::npos) return fail("no value");
      sample.name = std::string(line.substr(0, space));
    }
    if (!ParseValue(line.substr(space + 1), &sample.value)) {
      return fail("bad value");
    }
    bool name_ok = sample.name == family->name;
    if (family->type == "histogram") {
      name_ok = sample.name == family->name + "_bucket" ||
                sample.name == family->name + "_sum" ||
                sample.name == family->name + "_count";
    }
    if (!name_ok) return fail("sample does not belong to the family above");
    std::vector<std::string> parts;
    for (const auto& [n, v] : sample.labels) {
      parts.push_back(absl::StrCat(n, "=", v));
    }
    std::sort(parts.begin(), parts.end());
    if (!series_seen
             .insert(absl::StrCat(sample.name, "{",
                                  absl::StrJoin(parts, "\x1f"), "}"))
             .second) {
      return fail("series seen before");
    }
    family->samples.push_back(std::move(sample));
  }
  if (want_type) return absl::InvalidArgumentError("exposition: # HELP at end");
  for (const ParsedFamily& f : out.families) {
    if (f.type == "histogram") {
      if (absl::Status s = CheckHistogram(f); !s.ok()) return s;
    }
  }
  return out;
}

}  // namespace gateway
