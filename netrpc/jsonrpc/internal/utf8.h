// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: internal/utf8.h
//
// Go's unicode/utf8 DecodeRune and EncodeRune, which encoding/json uses to
// decide what is valid UTF-8 (and so what becomes U+FFFD): surrogates,
// overlong forms and values past U+10FFFF are invalid, and an invalid
// sequence counts as one bad byte.

#ifndef NETRPC_JSONRPC_INTERNAL_UTF8_H_
#define NETRPC_JSONRPC_INTERNAL_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace netrpc::jsonrpc::internal {

inline constexpr char32_t kRuneError = 0xFFFD;

// DecodeRune decodes the first rune of `s` (non-empty) into `*r` and returns
// its length; an invalid sequence gives kRuneError and length 1.
inline size_t DecodeRune(absl::string_view s, char32_t* r) {
  auto b = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  uint8_t c0 = b(0);
  if (c0 < 0x80) {
    *r = c0;
    return 1;
  }
  // Go's acceptRanges: the valid range of the second byte per first byte.
  size_t n = 0;
  uint8_t lo = 0x80, hi = 0xBF;
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    n = 2;
  } else if (c0 >= 0xE0 && c0 <= 0xEF) {
    n = 3;
    if (c0 == 0xE0) lo = 0xA0;
    if (c0 == 0xED) hi = 0x9F;
  } else if (c0 >= 0xF0 && c0 <= 0xF4) {
    n = 4;
    if (c0 == 0xF0) lo = 0x90;
    if (c0 == 0xF4) hi = 0x8F;
  }
  *r = kRuneError;
  if (n == 0 || s.size() < n) return 1;
  if (b(1) < lo || b(1) > hi) return 1;
  for (size_t i = 2; i < n; ++i) {
    if (b(i) < 0x80 || b(i) > 0xBF) return 1;
  }
  char32_t v = c0 & (0xFF >> (n + 1));
  for (size_t i = 1; i < n; ++i) v = (v << 6) | (b(i) & 0x3F);
  *r = v;
  return n;
}

// AppendRune appends the UTF-8 encoding of `r` (kRuneError if `r` is not a
// valid rune: a surrogate or past U+10FFFF).
inline void AppendRune(char32_t r, std::string* out) {
  if ((r >= 0xD800 && r <= 0xDFFF) || r > 0x10FFFF) r = kRuneError;
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

}  // namespace netrpc::jsonrpc::internal

#endif  // NETRPC_JSONRPC_INTERNAL_UTF8_H_
