// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/jsonrpc/internal/decode.h"

#include <limits>
#include <utility>

#include "absl/strings/charconv.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#include "netrpc/jsonrpc/internal/scanner.h"
#include "netrpc/jsonrpc/internal/utf8.h"

namespace netrpc::jsonrpc::internal {

// ---------------------------------------------------------------------------
// Reader

void Reader::SkipSpace() {
  while (p_ < end_ && IsSpace(static_cast<uint8_t>(*p_))) ++p_;
}

Reader::Kind Reader::Peek() {
  SkipSpace();
  if (p_ == end_) return Kind::kEnd;
  switch (*p_) {
    case 'n':
      return Kind::kNull;
    case 't':
    case 'f':
      return Kind::kBool;
    case '"':
      return Kind::kString;
    case '[':
      return Kind::kArray;
    case '{':
      return Kind::kObject;
    default:
      return Kind::kNumber;
  }
}

absl::string_view Reader::Literal() {
  SkipSpace();
  const char* start = p_;
  if (p_ == end_) return absl::string_view();
  switch (*p_) {
    case '"':
      for (++p_; p_ < end_ && *p_ != '"'; ++p_) {
        if (*p_ == '\\' && p_ + 1 < end_) ++p_;
      }
      if (p_ < end_) ++p_;  // the closing quote
      break;
    case 't':
    case 'n':
      p_ += std::min<ptrdiff_t>(4, end_ - p_);
      break;
    case 'f':
      p_ += std::min<ptrdiff_t>(5, end_ - p_);
      break;
    default:
      while (p_ < end_ &&
             (('0' <= *p_ && *p_ <= '9') || *p_ == '.' || *p_ == 'e' ||
              *p_ == 'E' || *p_ == '+' || *p_ == '-')) {
        ++p_;
      }
      if (p_ == start) ++p_;  // not JSON: make progress anyway
  }
  return absl::string_view(start, p_ - start);
}

absl::string_view Reader::Value() {
  Kind kind = Peek();
  if (kind != Kind::kArray && kind != Kind::kObject) return Literal();
  const char* start = p_;
  size_t depth = 0;
  while (p_ < end_) {
    char c = *p_;
    if (c == '"') {
      Literal();
      continue;
    }
    ++p_;
    if (c == '[' || c == '{') {
      ++depth;
    } else if ((c == ']' || c == '}') && --depth == 0) {
      break;
    }
  }
  return absl::string_view(start, p_ - start);
}

void Reader::Enter() {
  SkipSpace();
  if (p_ < end_) ++p_;
}

bool Reader::More() {
  SkipSpace();
  if (p_ == end_) return false;
  if (*p_ == ']' || *p_ == '}') {
    ++p_;
    return false;
  }
  if (*p_ == ',') {
    ++p_;
    SkipSpace();
  }
  return p_ < end_;
}

absl::string_view Reader::Key() {
  absl::string_view key = Literal();
  SkipSpace();
  if (p_ < end_ && *p_ == ':') ++p_;
  return key;
}

absl::string_view KindName(Reader::Kind kind) {
  switch (kind) {
    case Reader::Kind::kBool:
      return "bool";
    case Reader::Kind::kString:
      return "string";
    case Reader::Kind::kNumber:
      return "number";
    case Reader::Kind::kArray:
      return "array";
    case Reader::Kind::kObject:
      return "object";
    case Reader::Kind::kNull:
    case Reader::Kind::kEnd:
      break;
  }
  return "null";
}

// ---------------------------------------------------------------------------
// DecodeState

void DecodeState::TypeError(absl::string_view what, absl::string_view go_type) {
  if (!saved_.empty()) return;
  // Go's UnmarshalTypeError.Error(), with addErrorContext applied when the
  // error is saved.
  if (fields_.empty()) {
    saved_ = absl::StrCat("json: cannot unmarshal ", what,
                          " into Go value of type ", go_type);
  } else {
    saved_ = absl::StrCat("json: cannot unmarshal ", what,
                          " into Go struct field ", struct_, ".",
                          absl::StrJoin(fields_, "."), " of type ", go_type);
  }
}

void DecodeState::SaveError(std::string text) {
  if (saved_.empty()) saved_ = std::move(text);
}

void DecodeState::Fail(absl::Status status) {
  if (fail_.ok()) fail_ = std::move(status);
}

absl::Status DecodeState::status() const {
  if (!fail_.ok()) return fail_;
  if (!saved_.empty()) return absl::InvalidArgumentError(saved_);
  return absl::OkStatus();
}

DecodeState::DepthScope::DepthScope(DecodeState& st) : st_(st) {
  if (++st.depth_ > kMaxDecodeDepth) {
    st.Fail(absl::InvalidArgumentError(absl::StrCat(
        "jsonrpc: JSON nested deeper than ", kMaxDecodeDepth, " levels")));
  }
}

DecodeState::FieldScope::FieldScope(DecodeState& st,
                                    absl::string_view struct_name,
                                    absl::string_view field)
    : st_(st), saved_struct_(st.struct_), saved_depth_(st.fields_.size()) {
  st.struct_ = struct_name;
  st.fields_.push_back(field);
}

DecodeState::FieldScope::~FieldScope() {
  st_.fields_.resize(saved_depth_);
  st_.struct_ = saved_struct_;
}

// ---------------------------------------------------------------------------
// Literals

namespace {

// Hex4 reads the four hex digits of a \u escape at s[i], or returns -1.
int32_t Hex4(absl::string_view s, size_t i) {
  if (i + 4 > s.size()) return -1;
  int32_t r = 0;
  for (size_t j = i; j < i + 4; ++j) {
    char c = s[j];
    int d;
    if ('0' <= c && c <= '9') {
      d = c - '0';
    } else if ('a' <= c && c <= 'f') {
      d = c - 'a' + 10;
    } else if ('A' <= c && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return -1;
    }
    r = r * 16 + d;
  }
  return r;
}

}  // namespace

std::string Unquote(absl::string_view literal) {
  absl::string_view s = literal;
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
    s = s.substr(1, s.size() - 2);
  }
  std::string out;
  out.reserve(s.size());
  size_t r = 0;
  while (r < s.size()) {
    uint8_t c = static_cast<uint8_t>(s[r]);
    if (c == '\\' && r + 1 < s.size()) {
      char e = s[r + 1];
      r += 2;
      switch (e) {
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          int32_t rr = Hex4(s, r);
          if (rr < 0) break;  // cannot happen in valid JSON
          r += 4;
          if (rr >= 0xD800 && rr < 0xE000) {
            // A surrogate: Go pairs it with a following \u escape, else
            // it stands for U+FFFD.
            int32_t rr1 = -1;
            if (r + 1 < s.size() && s[r] == '\\' && s[r + 1] == 'u') {
              rr1 = Hex4(s, r + 2);
            }
            if (rr < 0xDC00 && rr1 >= 0xDC00 && rr1 < 0xE000) {
              r += 6;
              AppendRune(0x10000 + ((rr - 0xD800) << 10) + (rr1 - 0xDC00),
                         &out);
              break;
            }
            rr = kRuneError;
          }
          AppendRune(static_cast<char32_t>(rr), &out);
          break;
        }
        default:  // " \ / and, in Go, '
          out.push_back(e);
      }
      continue;
    }
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++r;
      continue;
    }
    char32_t rune;
    size_t size = DecodeRune(s.substr(r), &rune);
    AppendRune(rune, &out);
    r += size;
  }
  return out;
}

bool ParseUint(absl::string_view s, int bits, uint64_t* out) {
  if (s.empty()) return false;
  uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (n > (std::numeric_limits<uint64_t>::max() - d) / 10) return false;
    n = n * 10 + d;
  }
  if (bits < 64 && n > (uint64_t{1} << bits) - 1) return false;
  *out = n;
  return true;
}

bool ParseInt(absl::string_view s, int bits, int64_t* out) {
  bool neg = !s.empty() && s[0] == '-';
  uint64_t u;
  if (!ParseUint(neg ? s.substr(1) : s, 64, &u)) return false;
  uint64_t limit = uint64_t{1} << (bits - 1);  // |min|; max is limit - 1
  if (neg ? u > limit : u >= limit) return false;
  *out = neg ? static_cast<int64_t>(0 - u) : static_cast<int64_t>(u);
  return true;
}

bool ParseFloat(absl::string_view s, int bits, double* out) {
  const char* end = s.data() + s.size();
  absl::from_chars_result r;
  double value;
  if (bits == 32) {
    float f = 0;
    r = absl::from_chars(s.data(), end, f);
    value = f;
  } else {
    r = absl::from_chars(s.data(), end, value);
  }
  if (r.ptr != end) return false;
  if (r.ec == std::errc::result_out_of_range) {
    // Abseil reports underflow as zero, overflow as the largest finite
    // value; Go reads the first as zero and rejects the second.
    if (value != 0) return false;
  } else if (r.ec != std::errc()) {
    return false;
  }
  *out = value;
  return true;
}

absl::Status DecodeBase64(absl::string_view src, std::string* out) {
  // Go's decodeQuantum loop for StdEncoding (padded, not strict).
  auto decode = [](uint8_t c) -> int {
    if ('A' <= c && c <= 'Z') return c - 'A';
    if ('a' <= c && c <= 'z') return c - 'a' + 26;
    if ('0' <= c && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  auto corrupt = [](size_t at) {
    return absl::InvalidArgumentError(
        absl::StrCat("illegal base64 data at input byte ", at));
  };
  auto is_newline = [](char c) { return c == '\n' || c == '\r'; };
  std::string dst;
  size_t si = 0;
  while (si < src.size()) {
    uint8_t dbuf[4] = {0, 0, 0, 0};
    int dlen = 4;
    size_t garbage_at = 0;  // non-zero: bytes follow the padding
    for (int j = 0; j < 4; ++j) {
      if (si == src.size()) {
        if (j == 0) {  // only newlines were left
          dlen = 0;
          break;
        }
        return corrupt(si - j);  // padding is required
      }
      uint8_t in = static_cast<uint8_t>(src[si++]);
      int v = decode(in);
      if (v >= 0) {
        dbuf[j] = static_cast<uint8_t>(v);
        continue;
      }
      if (is_newline(in)) {
        --j;
        continue;
      }
      if (in != '=') return corrupt(si - 1);
      // Padding: legal only as the last one or two characters of a quantum.
      if (j == 0 || j == 1) return corrupt(si - 1);
      if (j == 2) {
        while (si < src.size() && is_newline(src[si])) ++si;
        if (si == src.size()) return corrupt(src.size());
        if (src[si] != '=') return corrupt(si - 1);
        ++si;
      }
      while (si < src.size() && is_newline(src[si])) ++si;
      if (si < src.size()) garbage_at = si;
      dlen = j;
      break;
    }
    if (garbage_at != 0) return corrupt(garbage_at);
    if (dlen == 0) break;
    uint32_t val = uint32_t{dbuf[0]} << 18 | uint32_t{dbuf[1]} << 12 |
                   uint32_t{dbuf[2]} << 6 | uint32_t{dbuf[3]};
    const char b[3] = {static_cast<char>(val >> 16),
                       static_cast<char>(val >> 8), static_cast<char>(val)};
    dst.append(b, dlen - 1);
  }
  *out = std::move(dst);
  return absl::OkStatus();
}

bool FoldEqual(absl::string_view name, absl::string_view key) {
  constexpr uint8_t kCaseMask = static_cast<uint8_t>(~0x20);
  // Go's foldFunc picks the comparison from the field name.
  bool non_letter = false;
  bool special = false;
  bool ascii = true;
  for (char ch : name) {
    uint8_t b = static_cast<uint8_t>(ch);
    if (b >= 0x80) {
      ascii = false;
      break;
    }
    uint8_t upper = b & kCaseMask;
    if (upper < 'A' || upper > 'Z') {
      non_letter = true;
    } else if (upper == 'K' || upper == 'S') {
      special = true;
    }
  }
  if (special || !ascii) {
    // equalFoldRight: the key may spell k as U+212A and s as U+017F. (Go
    // uses bytes.EqualFold for non-ASCII names; Go field names declared
    // here are ASCII.)
    size_t t = 0;
    for (char ch : name) {
      uint8_t sb = static_cast<uint8_t>(ch);
      if (t == key.size()) return false;
      uint8_t tb = static_cast<uint8_t>(key[t]);
      if (tb < 0x80) {
        if (sb != tb) {
          uint8_t upper = sb & kCaseMask;
          if (upper < 'A' || upper > 'Z' || upper != (tb & kCaseMask)) {
            return false;
          }
        }
        ++t;
        continue;
      }
      char32_t tr;
      size_t size = DecodeRune(key.substr(t), &tr);
      if ((sb == 's' || sb == 'S') && tr == 0x017F) {
        t += size;
      } else if ((sb == 'k' || sb == 'K') && tr == 0x212A) {
        t += size;
      } else {
        return false;
      }
    }
    return t == key.size();
  }
  if (name.size() != key.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    uint8_t sb = static_cast<uint8_t>(name[i]);
    uint8_t tb = static_cast<uint8_t>(key[i]);
    if (non_letter) {
      // asciiEqualFold
      if (sb == tb) continue;
      bool letter = ('a' <= sb && sb <= 'z') || ('A' <= sb && sb <= 'Z');
      if (!letter || (sb & kCaseMask) != (tb & kCaseMask)) return false;
    } else if ((sb & kCaseMask) != (tb & kCaseMask)) {
      // simpleLetterEqualFold
      return false;
    }
  }
  return true;
}

void DecodeStruct(Reader& r, DecodeState& st, absl::string_view struct_name,
                  absl::Span<const absl::string_view> names,
                  absl::FunctionRef<void(size_t)> decode_field) {
  DecodeState::DepthScope depth(st);
  if (!depth.ok()) {
    r.Skip();
    return;
  }
  r.Enter();
  while (!st.failed() && r.More()) {
    std::string key = Unquote(r.Key());
    size_t found = names.size();
    for (size_t i = 0; i < names.size() && found == names.size(); ++i) {
      if (names[i] == key) found = i;
    }
    for (size_t i = 0; i < names.size() && found == names.size(); ++i) {
      if (FoldEqual(names[i], key)) found = i;
    }
    if (found == names.size()) {
      r.Skip();
      continue;
    }
    DecodeState::FieldScope scope(st, struct_name, names[found]);
    decode_field(found);
  }
}

}  // namespace netrpc::jsonrpc::internal
