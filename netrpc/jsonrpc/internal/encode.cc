// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/jsonrpc/internal/encode.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

#include "netrpc/jsonrpc/internal/scanner.h"
#include "netrpc/jsonrpc/internal/utf8.h"

namespace netrpc::jsonrpc::internal {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Decimal is a float's shortest round-trip digits: value = 0.digits × 10^dp
// (Go's decimalSlice).
struct Decimal {
  bool neg = false;
  std::string digits;
  int dp = 0;
};

// ShortestDecimal takes the digits from std::to_chars's shortest scientific
// form ("-1.2345e+20"), which Go's shortest formatting agrees with. Fixed
// form is not used: for large values it prints exact, not shortest, digits.
Decimal ShortestDecimal(double f, int bits) {
  char buf[64];
  std::to_chars_result r =
      bits == 32 ? std::to_chars(buf, buf + sizeof(buf), static_cast<float>(f),
                                 std::chars_format::scientific)
                 : std::to_chars(buf, buf + sizeof(buf), f,
                                 std::chars_format::scientific);
  absl::string_view s(buf, r.ptr - buf);
  Decimal d;
  if (!s.empty() && s[0] == '-') {
    d.neg = true;
    s.remove_prefix(1);
  }
  size_t e = s.find('e');
  for (char c : s.substr(0, e)) {
    if (c != '.') d.digits.push_back(c);
  }
  d.dp = std::atoi(std::string(s.substr(e + 1)).c_str()) + 1;
  if (d.digits == "0") {
    d.digits.clear();  // Go's decimal for zero has no digits
    d.dp = 0;
  }
  return d;
}

// AppendE is Go's fmtE with the shortest digits: d.ddde±XX.
void AppendE(const Decimal& d, std::string* out) {
  if (d.neg) out->push_back('-');
  out->push_back(d.digits.empty() ? '0' : d.digits[0]);
  if (d.digits.size() > 1) {
    out->push_back('.');
    out->append(d.digits, 1, std::string::npos);
  }
  int exp = d.digits.empty() ? 0 : d.dp - 1;
  out->push_back('e');
  out->push_back(exp < 0 ? '-' : '+');
  if (exp < 0) exp = -exp;
  if (exp < 10) out->push_back('0');
  absl::StrAppend(out, exp);
}

// AppendF is Go's fmtF with the shortest digits: no exponent, as many
// fraction digits as the digits need.
void AppendF(const Decimal& d, std::string* out) {
  if (d.neg) out->push_back('-');
  int nd = static_cast<int>(d.digits.size());
  if (d.dp > 0) {
    int m = d.dp < nd ? d.dp : nd;
    out->append(d.digits, 0, m);
    out->append(d.dp - m, '0');
  } else {
    out->push_back('0');
  }
  int prec = nd - d.dp;
  if (prec > 0) {
    out->push_back('.');
    for (int i = 1; i <= prec; ++i) {
      int j = d.dp + i - 1;
      out->push_back(j >= 0 && j < nd ? d.digits[j] : '0');
    }
  }
}

}  // namespace

void AppendString(absl::string_view s, std::string* out) {
  out->push_back('"');
  size_t start = 0;
  size_t i = 0;
  while (i < s.size()) {
    uint8_t b = static_cast<uint8_t>(s[i]);
    if (b < 0x80) {
      // Go's htmlSafeSet: printable ASCII but " \ < > &.
      if (b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' &&
          b != '&') {
        ++i;
        continue;
      }
      out->append(s.data() + start, i - start);
      out->push_back('\\');
      switch (b) {
        case '\\':
        case '"':
          out->push_back(static_cast<char>(b));
          break;
        case '\n':
          out->push_back('n');
          break;
        case '\r':
          out->push_back('r');
          break;
        case '\t':
          out->push_back('t');
          break;
        default:
          out->append("u00");
          out->push_back(kHex[b >> 4]);
          out->push_back(kHex[b & 0xF]);
      }
      start = ++i;
      continue;
    }
    char32_t r;
    size_t size = DecodeRune(s.substr(i), &r);
    if (r == kRuneError && size == 1) {
      out->append(s.data() + start, i - start);
      out->append("\\ufffd");
      start = ++i;
      continue;
    }
    if (r == 0x2028 || r == 0x2029) {
      out->append(s.data() + start, i - start);
      out->append("\\u202");
      out->push_back(kHex[r & 0xF]);
      i += size;
      start = i;
      continue;
    }
    i += size;
  }
  out->append(s.data() + start, s.size() - start);
  out->push_back('"');
}

absl::Status AppendFloat(double f, int bits, std::string* out) {
  if (std::isnan(f) || std::isinf(f)) {
    return absl::InvalidArgumentError(
        absl::StrCat("json: unsupported value: ", FormatFloatG(f, bits)));
  }
  // Go: like ES6's number to string, with Go's float32 cut-offs compared in
  // float32.
  double abs = std::fabs(f);
  bool exp_form = abs != 0 && (bits == 32 ? (static_cast<float>(abs) < 1e-6f ||
                                             static_cast<float>(abs) >= 1e21f)
                                          : (abs < 1e-6 || abs >= 1e21));
  Decimal d = ShortestDecimal(f, bits);
  if (!exp_form) {
    AppendF(d, out);
    return absl::OkStatus();
  }
  size_t start = out->size();
  AppendE(d, out);
  // Go cleans up e-09 to e-9 (only negative exponents can be that small).
  size_t n = out->size() - start;
  if (n >= 4 && (*out)[out->size() - 4] == 'e' &&
      (*out)[out->size() - 3] == '-' && (*out)[out->size() - 2] == '0') {
    out->erase(out->size() - 2, 1);
  }
  return absl::OkStatus();
}

std::string FormatFloatG(double f, int bits) {
  if (std::isnan(f)) return "NaN";
  if (std::isinf(f)) return f > 0 ? "+Inf" : "-Inf";
  Decimal d = ShortestDecimal(f, bits);
  std::string out;
  // Go's %g with the shortest digits decides on exponent -4 and 6 digits.
  int exp = d.dp - 1;
  if (exp < -4 || exp >= 6) {
    AppendE(d, &out);
  } else {
    AppendF(d, &out);
  }
  return out;
}

void AppendBase64(absl::string_view bytes, std::string* out) {
  std::string encoded;
  absl::Base64Escape(bytes, &encoded);
  out->push_back('"');
  out->append(encoded);
  out->push_back('"');
}

void AppendCompact(absl::string_view raw, std::string* out) {
  Scanner scan;
  size_t start = 0;
  auto flush = [&](size_t i) {
    if (start < i) out->append(raw.data() + start, i - start);
  };
  for (size_t i = 0; i < raw.size(); ++i) {
    uint8_t c = static_cast<uint8_t>(raw[i]);
    if (c == '<' || c == '>' || c == '&') {
      flush(i);
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xF]);
      start = i + 1;
    }
    // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
    if (c == 0xE2 && i + 2 < raw.size() &&
        static_cast<uint8_t>(raw[i + 1]) == 0x80 &&
        (static_cast<uint8_t>(raw[i + 2]) & ~1) == 0xA8) {
      flush(i);
      out->append("\\u202");
      out->push_back(kHex[static_cast<uint8_t>(raw[i + 2]) & 0xF]);
      start = i + 3;
    }
    Scanner::Op op = scan.Step(c);
    if (op >= Scanner::kSkipSpace) {
      if (op == Scanner::kError) break;
      flush(i);
      start = i + 1;
    }
  }
  flush(raw.size());
}

}  // namespace netrpc::jsonrpc::internal
