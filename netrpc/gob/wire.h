// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: wire.h
//
// The gob primitives: the unsigned, signed, float and length-prefixed
// encodings that every other part of the codec is made of (Go's encode.go and
// decode.go, "Types and Values" in doc.go), plus the message framing and the
// Go error values that cross the API.
//
//   unsigned  x < 128: one byte x; else -n (n = 1..8) then n big-endian bytes
//   signed    bit 0 = sign; the rest is i or ^i shifted left by one
//   float     float64 bits, byte-reversed, sent as unsigned
//   string    unsigned length, then the bytes (no UTF-8 check)
//   message   unsigned length N, then N bytes
//
// Example:
//
//   std::string out;
//   netrpc::gob::AppendInt(&out, -65);   // out == "\xff\x81"
//
// Everything here is a pure function; thread-safe.

#ifndef NETRPC_GOB_WIRE_H_
#define NETRPC_GOB_WIRE_H_

#include <cstdint>
#include <cstring>
#include <string>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace netrpc::gob {

// kGoTooBig is Go's `tooBig` on 64-bit platforms (8 GiB): a message length
// at or above it is "invalid message length" whatever our own limits say.
inline constexpr uint64_t kGoTooBig = uint64_t{1} << 33;

// kMaxUintLength is the longest encoding of an unsigned integer.
inline constexpr size_t kMaxUintLength = 9;

// ErrEOF is Go's io.EOF: a clean end of stream before any message of the
// next value. Code kOutOfRange, message "EOF".
absl::Status ErrEOF();

// ErrUnexpectedEOF is Go's io.ErrUnexpectedEOF: the stream ended inside a
// value's messages. Code kDataLoss, message "unexpected EOF".
absl::Status ErrUnexpectedEOF();

// ErrNeedMore reports that the buffered bytes do not yet hold everything the
// next value needs and that nothing was consumed. Code kUnavailable.
absl::Status ErrNeedMore();

// IsNeedMore reports whether status came from ErrNeedMore.
bool IsNeedMore(const absl::Status& status);

// IsEOF reports whether status is a clean end of stream (ErrEOF).
bool IsEOF(const absl::Status& status);

// AppendUint appends the gob unsigned encoding of x.
inline void AppendUint(std::string* out, uint64_t x) {
  if (x <= 0x7f) {
    out->push_back(static_cast<char>(x));
    return;
  }
  char buf[kMaxUintLength];
  int n = 8 - __builtin_clzll(x) / 8;  // bytes needed, 1..8
  buf[0] = static_cast<char>(-n);
  for (int i = n; i >= 1; --i) {
    buf[i] = static_cast<char>(x & 0xff);
    x >>= 8;
  }
  out->append(buf, n + 1);
}

// UintFromInt maps a signed integer to the unsigned integer gob sends.
inline uint64_t UintFromInt(int64_t i) {
  return i < 0 ? (~static_cast<uint64_t>(i) << 1) | 1
               : static_cast<uint64_t>(i) << 1;
}

// IntFromUint is the inverse of UintFromInt.
inline int64_t IntFromUint(uint64_t u) {
  uint64_t v = u >> 1;
  return static_cast<int64_t>((u & 1) ? ~v : v);
}

// AppendInt appends the gob signed encoding of i.
inline void AppendInt(std::string* out, int64_t i) {
  AppendUint(out, UintFromInt(i));
}

// FloatBits returns the unsigned integer gob sends for f: the float64 bits
// with their bytes reversed, so that small integers encode in few bytes.
inline uint64_t FloatBits(double f) {
  uint64_t u;
  std::memcpy(&u, &f, sizeof u);
  return __builtin_bswap64(u);
}

// FloatFromBits is the inverse of FloatBits.
inline double FloatFromBits(uint64_t u) {
  u = __builtin_bswap64(u);
  double f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

// AppendFloat appends the gob encoding of f.
inline void AppendFloat(std::string* out, double f) {
  AppendUint(out, FloatBits(f));
}

// AppendString appends a length-prefixed byte string (gob string or []byte).
inline void AppendString(std::string* out, absl::string_view s) {
  AppendUint(out, s.size());
  out->append(s.data(), s.size());
}

// UintResult tells how reading an unsigned integer went.
enum class UintResult {
  kOk,
  kShort,     // the input ends inside the integer
  kTooLong,   // length byte announces more than 8 bytes
};

// ReadUint decodes an unsigned integer at *p (not past end), advancing *p.
// Non-minimal encodings are accepted, like Go.
inline UintResult ReadUint(const uint8_t** p, const uint8_t* end,
                           uint64_t* x) {
  if (ABSL_PREDICT_FALSE(*p >= end)) return UintResult::kShort;
  uint8_t b = *(*p)++;
  if (ABSL_PREDICT_TRUE(b <= 0x7f)) {
    *x = b;
    return UintResult::kOk;
  }
  int n = -static_cast<int8_t>(b);
  if (n > 8) return UintResult::kTooLong;
  if (end - *p < n) return UintResult::kShort;
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | (*p)[i];
  *p += n;
  *x = v;
  return UintResult::kOk;
}

// UintError returns Go's error for a ReadUint that failed at `at`: "EOF" when
// no byte is left, else "gob: encoded unsigned integer out of range" or
// "gob: invalid uint data length N: exceeds input size M". Code kInvalidArgument:
// the bytes of a complete message do not hold what they announce.
absl::Status UintError(const uint8_t* at, const uint8_t* end);

// FrameResult tells whether a complete message starts at some offset.
enum class FrameResult {
  kComplete,  // prefix and body are all present
  kNeedMore,  // more bytes are needed; see Frame::need
  kBadUint,   // "gob: encoded unsigned integer out of range"
};

// Frame describes the message that starts at the front of a buffer.
struct Frame {
  size_t prefix = 0;    // bytes in the length prefix
  uint64_t length = 0;  // bytes in the body (valid once the prefix is read)
  size_t need = 0;      // kNeedMore: total bytes wanted from the front
};

// ParseFrame looks at the message at the front of buf.
FrameResult ParseFrame(absl::string_view buf, Frame* frame);

// AppendMessage appends uint(len(body)) followed by body.
void AppendMessage(std::string* out, absl::string_view body);

// IsExportedName reports whether a Go field name is exported (starts with an
// upper-case letter). ASCII, Latin-1, Greek and Cyrillic capitals count;
// other scripts are treated as unexported (Go consults full Unicode tables).
bool IsExportedName(absl::string_view name);

}  // namespace netrpc::gob

#endif  // NETRPC_GOB_WIRE_H_
