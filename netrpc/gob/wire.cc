// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/wire.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace netrpc::gob {
namespace {

// The payload that marks ErrNeedMore, so that a caller's own kUnavailable
// errors are never mistaken for it.
constexpr absl::string_view kNeedMoreUrl = "netrpc.gob/need-more";

}  // namespace

absl::Status ErrEOF() { return absl::OutOfRangeError("EOF"); }

absl::Status ErrUnexpectedEOF() { return absl::DataLossError("unexpected EOF"); }

absl::Status ErrNeedMore() {
  // Built once: a copy shares the status's representation (a reference
  // count), where building it allocates every time a read runs dry.
  static const absl::Status* const kNeedMore = [] {
    auto* s = new absl::Status(absl::UnavailableError("gob: need more input"));
    s->SetPayload(kNeedMoreUrl, absl::Cord());
    return s;
  }();
  return *kNeedMore;
}

bool IsNeedMore(const absl::Status& status) {
  return !status.ok() && status.code() == absl::StatusCode::kUnavailable &&
         status.GetPayload(kNeedMoreUrl).has_value();
}

bool IsEOF(const absl::Status& status) {
  return status.code() == absl::StatusCode::kOutOfRange &&
         status.message() == "EOF";
}

absl::Status UintError(const uint8_t* at, const uint8_t* end) {
  if (at >= end) return absl::InvalidArgumentError("EOF");
  int n = -static_cast<int8_t>(*at);
  if (n > 8) {
    return absl::InvalidArgumentError(
        "gob: encoded unsigned integer out of range");
  }
  return absl::InvalidArgumentError(
      absl::StrCat("gob: invalid uint data length ", n,
                   ": exceeds input size ", end - at - 1));
}

FrameResult ParseFrame(absl::string_view buf, Frame* frame) {
  const uint8_t* begin = reinterpret_cast<const uint8_t*>(buf.data());
  const uint8_t* p = begin;
  const uint8_t* end = begin + buf.size();
  if (p == end) {
    frame->need = 1;
    return FrameResult::kNeedMore;
  }
  uint64_t length = 0;
  switch (ReadUint(&p, end, &length)) {
    case UintResult::kOk:
      break;
    case UintResult::kShort:
      // The first byte says how long the prefix is.
      frame->need = 1 + static_cast<size_t>(-static_cast<int8_t>(*begin));
      return FrameResult::kNeedMore;
    case UintResult::kTooLong:
      return FrameResult::kBadUint;
  }
  frame->prefix = static_cast<size_t>(p - begin);
  frame->length = length;
  uint64_t available = static_cast<uint64_t>(end - p);
  if (available < length) {
    // Saturate: the caller rejects lengths above its limit before waiting.
    frame->need = length > SIZE_MAX - frame->prefix
                      ? SIZE_MAX
                      : frame->prefix + static_cast<size_t>(length);
    return FrameResult::kNeedMore;
  }
  return FrameResult::kComplete;
}

void AppendMessage(std::string* out, absl::string_view body) {
  AppendUint(out, body.size());
  out->append(body.data(), body.size());
}

bool IsExportedName(absl::string_view name) {
  if (name.empty()) return false;
  unsigned char c = static_cast<unsigned char>(name[0]);
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  // Decode one UTF-8 rune of two bytes; longer runes are not checked.
  if ((c & 0xe0) != 0xc0 || name.size() < 2) return false;
  unsigned char c1 = static_cast<unsigned char>(name[1]);
  if ((c1 & 0xc0) != 0x80) return false;
  uint32_t r = ((c & 0x1f) << 6) | (c1 & 0x3f);
  if (r >= 0xc0 && r <= 0xde) return r != 0xd7;  // Latin-1 capitals, not ×
  if (r >= 0x391 && r <= 0x3a9) return r != 0x3a2;  // Greek capitals
  if (r >= 0x400 && r <= 0x42f) return true;        // Cyrillic capitals
  return false;
}

}  // namespace netrpc::gob
