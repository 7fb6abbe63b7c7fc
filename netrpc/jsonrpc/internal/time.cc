// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// ParseTime is Go 1.19's time.parse (format.go) specialised to the one
// layout UnmarshalJSON uses, `"2006-01-02T15:04:05Z07:00"`, keeping Go's
// order of checks and its quirks, so that error texts match Go's.

#include "netrpc/jsonrpc/internal/time.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace netrpc::jsonrpc::internal {
namespace {

constexpr absl::string_view kLayout = "\"2006-01-02T15:04:05Z07:00\"";

// Quote is time's quote(): `"` and `\` escaped, other bytes outside
// printable ASCII as \xNN.
std::string Quote(absl::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    uint8_t c = static_cast<uint8_t>(ch);
    if (c >= 0x80 || c < 0x20) {
      absl::StrAppendFormat(&out, "\\x%02x", c);
    } else {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(ch);
    }
  }
  out.push_back('"');
  return out;
}

bool IsDigit(absl::string_view s, size_t i) {
  return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

// GetNum is Go's getnum: one or two digits (two if fixed), consumed on
// success only.
bool GetNum(absl::string_view* s, bool fixed, int* n) {
  *n = 0;
  if (!IsDigit(*s, 0)) return false;
  if (!IsDigit(*s, 1)) {
    if (fixed) return false;
    *n = (*s)[0] - '0';
    s->remove_prefix(1);
    return true;
  }
  *n = ((*s)[0] - '0') * 10 + ((*s)[1] - '0');
  s->remove_prefix(2);
  return true;
}

// Atoi is time's atoi: an optional sign and digits, nothing else ("" is 0).
bool Atoi(absl::string_view s, int64_t* x) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    if (v > (uint64_t{1} << 63) / 10) return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
    if (v > (uint64_t{1} << 63)) return false;
  }
  *x = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

bool Skip(absl::string_view* value, char prefix) {
  if (value->empty() || (*value)[0] != prefix) return false;
  value->remove_prefix(1);
  return true;
}

int DaysIn(int month, int64_t year) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

absl::Status AppendTime(absl::Time t, std::string* out) {
  absl::CivilSecond cs = absl::ToCivilSecond(t, absl::UTCTimeZone());
  if (cs.year() < 0 || cs.year() >= 10000) {
    return absl::InvalidArgumentError(
        "json: error calling MarshalJSON for type time.Time: "
        "Time.MarshalJSON: year outside of range [0,9999]");
  }
  absl::Duration sub = t - absl::FromCivil(cs, absl::UTCTimeZone());
  int64_t nanos = absl::IDivDuration(sub, absl::Nanoseconds(1), &sub);
  absl::StrAppendFormat(out, "\"%04d-%02d-%02dT%02d:%02d:%02d", cs.year(),
                        cs.month(), cs.day(), cs.hour(), cs.minute(),
                        cs.second());
  if (nanos != 0) {
    std::string frac = absl::StrFormat(".%09d", nanos);
    while (frac.back() == '0') frac.pop_back();
    out->append(frac);
  }
  out->append("Z\"");
  return absl::OkStatus();
}

absl::Status ParseTime(absl::string_view raw, absl::Time* t) {
  if (raw == "null") return absl::OkStatus();
  absl::string_view value = raw;
  // Go's ParseError texts: "cannot parse <rest> as <layout element>", or a
  // message about the whole value.
  auto cannot = [&](absl::string_view elem) {
    return absl::InvalidArgumentError(
        absl::StrCat("parsing time ", Quote(raw), " as ", Quote(kLayout),
                     ": cannot parse ", Quote(value), " as ", Quote(elem)));
  };
  auto message = [&](absl::string_view msg) {
    return absl::InvalidArgumentError(
        absl::StrCat("parsing time ", Quote(raw), msg));
  };
  auto range = [&](absl::string_view what) {
    return message(absl::StrCat(": ", what, " out of range"));
  };

  if (!Skip(&value, '"')) return cannot("\"");
  // 2006
  int64_t year = 0;
  if (value.size() < 4 || !IsDigit(value, 0)) return cannot("2006");
  absl::string_view digits = value.substr(0, 4);
  value.remove_prefix(4);
  if (!Atoi(digits, &year)) return cannot("2006");
  // -01
  if (!Skip(&value, '-')) return cannot("-");
  int month = 0;
  if (!GetNum(&value, true, &month)) return cannot("01");
  if (month <= 0 || month > 12) return range("month");
  // -02: any two digits; the day is checked against the month at the end.
  if (!Skip(&value, '-')) return cannot("-");
  int day = 0;
  if (!GetNum(&value, true, &day)) return cannot("02");
  // T15: one or two digits.
  if (!Skip(&value, 'T')) return cannot("T");
  int hour = 0;
  bool ok = GetNum(&value, false, &hour);
  if (hour >= 24) return range("hour");
  if (!ok) return cannot("15");
  // :04
  if (!Skip(&value, ':')) return cannot(":");
  int minute = 0;
  ok = GetNum(&value, true, &minute);
  if (minute >= 60) return range("minute");
  if (!ok) return cannot("04");
  // :05, then a fraction the layout does not name, which Go accepts.
  if (!Skip(&value, ':')) return cannot(":");
  int second = 0;
  ok = GetNum(&value, true, &second);
  if (second >= 60) return range("second");
  int64_t nanos = 0;
  if (value.size() >= 2 && (value[0] == '.' || value[0] == ',') &&
      IsDigit(value, 1)) {
    size_t n = 2;
    while (IsDigit(value, n)) ++n;
    // Go keeps nine digits, scales them to nanoseconds and drops the rest;
    // its error from the seconds is overwritten here.
    size_t used = n > 10 ? 10 : n;
    ok = Atoi(value.substr(1, used - 1), &nanos);
    for (size_t i = used; i < 10; ++i) nanos *= 10;
    value.remove_prefix(n);
  }
  if (!ok) return cannot("05");
  // Z07:00
  int64_t offset = 0;
  if (!value.empty() && value[0] == 'Z') {
    value.remove_prefix(1);
  } else {
    if (value.size() < 6 || value[3] != ':') return cannot("Z07:00");
    char sign = value[0];
    absl::string_view hh = value.substr(1, 2);
    absl::string_view mm = value.substr(4, 2);
    value.remove_prefix(6);
    int64_t h = 0, m = 0;
    if (!Atoi(hh, &h) || !Atoi(mm, &m)) return cannot("Z07:00");
    offset = (h * 60 + m) * 60;
    if (sign == '-') {
      offset = -offset;
    } else if (sign != '+') {
      return cannot("Z07:00");
    }
  }
  if (!Skip(&value, '"')) return cannot("\"");
  if (!value.empty()) {
    return message(absl::StrCat(": extra text: ", Quote(value)));
  }
  if (day < 1 || day > DaysIn(month, year)) return range("day");
  *t =
      absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                      absl::UTCTimeZone()) +
      absl::Nanoseconds(nanos) - absl::Seconds(offset);
  return absl::OkStatus();
}

}  // namespace netrpc::jsonrpc::internal
