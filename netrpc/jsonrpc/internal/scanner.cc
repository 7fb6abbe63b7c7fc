// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// A line-by-line port of Go 1.19's encoding/json/scanner.go: one static
// function per Go state function, so that the two can be read side by side.

#include "netrpc/jsonrpc/internal/scanner.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace netrpc::jsonrpc::internal {
namespace {

bool IsHex(uint8_t c) {
  return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') ||
         ('A' <= c && c <= 'F');
}

}  // namespace

std::string QuoteChar(uint8_t c) {
  // Go: special cases, then strconv.Quote(string(rune(c))) between single
  // quotes. A byte >= 0x80 is quoted as the Latin-1 rune of the same value.
  switch (c) {
    case '\'':
      return "'\\''";
    case '"':
      return "'\"'";
    case '\\':
      return "'\\\\'";
    case '\a':
      return "'\\a'";
    case '\b':
      return "'\\b'";
    case '\f':
      return "'\\f'";
    case '\n':
      return "'\\n'";
    case '\r':
      return "'\\r'";
    case '\t':
      return "'\\t'";
    case '\v':
      return "'\\v'";
  }
  if (c < 0x20 || c == 0x7f) return absl::StrFormat("'\\x%02x'", c);
  if (c < 0x80) return std::string{'\'', static_cast<char>(c), '\''};
  // strconv.IsPrint for Latin-1: 0xa1..0xff except the soft hyphen.
  if (c < 0xa1 || c == 0xad) return absl::StrFormat("'\\u%04x'", c);
  return std::string{'\'', static_cast<char>(0xc0 | (c >> 6)),
                     static_cast<char>(0x80 | (c & 0x3f)), '\''};
}

void Scanner::Reset() {
  step_ = &BeginValue;
  parse_state_.clear();
  err_.clear();
  end_top_ = false;
}

Scanner::Op Scanner::StepEndValue(uint8_t c) { return EndValue(*this, c); }

Scanner::Op Scanner::Eof() {
  if (!err_.empty()) return kError;
  if (end_top_) return kEnd;
  step_(*this, ' ');
  if (end_top_) return kEnd;
  if (err_.empty()) {
    step_ = &InError;
    err_ = "unexpected end of JSON input";
  }
  return kError;
}

Scanner::Op Scanner::PushParseState(uint8_t c, ParseState state, Op success) {
  parse_state_.push_back(state);
  if (parse_state_.size() <= kMaxNestingDepth) return success;
  return Error(c, "exceeded max depth");
}

void Scanner::PopParseState() {
  parse_state_.pop_back();
  if (parse_state_.empty()) {
    step_ = &EndTop;
    end_top_ = true;
  } else {
    step_ = &EndValue;
  }
}

Scanner::Op Scanner::Error(uint8_t c, absl::string_view context) {
  step_ = &InError;
  err_ = absl::StrCat("invalid character ", QuoteChar(c), " ", context);
  return kError;
}

Scanner::Op Scanner::BeginValueOrEmpty(Scanner& s, uint8_t c) {
  if (IsSpace(c)) return kSkipSpace;
  if (c == ']') return EndValue(s, c);
  return BeginValue(s, c);
}

Scanner::Op Scanner::BeginValue(Scanner& s, uint8_t c) {
  if (IsSpace(c)) return kSkipSpace;
  switch (c) {
    case '{':
      s.step_ = &BeginStringOrEmpty;
      return s.PushParseState(c, kParseObjectKey, kBeginObject);
    case '[':
      s.step_ = &BeginValueOrEmpty;
      return s.PushParseState(c, kParseArrayValue, kBeginArray);
    case '"':
      s.step_ = &InString;
      return kBeginLiteral;
    case '-':
      s.step_ = &Neg;
      return kBeginLiteral;
    case '0':
      s.step_ = &Zero;
      return kBeginLiteral;
    case 't':
      s.step_ = &T;
      return kBeginLiteral;
    case 'f':
      s.step_ = &F;
      return kBeginLiteral;
    case 'n':
      s.step_ = &N;
      return kBeginLiteral;
  }
  if ('1' <= c && c <= '9') {
    s.step_ = &One;
    return kBeginLiteral;
  }
  return s.Error(c, "looking for beginning of value");
}

Scanner::Op Scanner::BeginStringOrEmpty(Scanner& s, uint8_t c) {
  if (IsSpace(c)) return kSkipSpace;
  if (c == '}') {
    s.parse_state_.back() = kParseObjectValue;
    return EndValue(s, c);
  }
  return BeginString(s, c);
}

Scanner::Op Scanner::BeginString(Scanner& s, uint8_t c) {
  if (IsSpace(c)) return kSkipSpace;
  if (c == '"') {
    s.step_ = &InString;
    return kBeginLiteral;
  }
  return s.Error(c, "looking for beginning of object key string");
}

Scanner::Op Scanner::EndValue(Scanner& s, uint8_t c) {
  if (s.parse_state_.empty()) {
    s.step_ = &EndTop;
    s.end_top_ = true;
    return EndTop(s, c);
  }
  if (IsSpace(c)) {
    s.step_ = &EndValue;
    return kSkipSpace;
  }
  switch (s.parse_state_.back()) {
    case kParseObjectKey:
      if (c == ':') {
        s.parse_state_.back() = kParseObjectValue;
        s.step_ = &BeginValue;
        return kObjectKey;
      }
      return s.Error(c, "after object key");
    case kParseObjectValue:
      if (c == ',') {
        s.parse_state_.back() = kParseObjectKey;
        s.step_ = &BeginString;
        return kObjectValue;
      }
      if (c == '}') {
        s.PopParseState();
        return kEndObject;
      }
      return s.Error(c, "after object key:value pair");
    case kParseArrayValue:
      if (c == ',') {
        s.step_ = &BeginValue;
        return kArrayValue;
      }
      if (c == ']') {
        s.PopParseState();
        return kEndArray;
      }
      return s.Error(c, "after array element");
  }
  return s.Error(c, "");
}

Scanner::Op Scanner::EndTop(Scanner& s, uint8_t c) {
  // Go records the error for the next call but still reports the end: the
  // value before this byte is complete.
  if (!IsSpace(c)) s.Error(c, "after top-level value");
  return kEnd;
}

Scanner::Op Scanner::InString(Scanner& s, uint8_t c) {
  if (c == '"') {
    s.step_ = &EndValue;
    return kContinue;
  }
  if (c == '\\') {
    s.step_ = &InStringEsc;
    return kContinue;
  }
  if (c < 0x20) return s.Error(c, "in string literal");
  return kContinue;
}

Scanner::Op Scanner::InStringEsc(Scanner& s, uint8_t c) {
  switch (c) {
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
    case '\\':
    case '/':
    case '"':
      s.step_ = &InString;
      return kContinue;
    case 'u':
      s.step_ = &InStringEscU;
      return kContinue;
  }
  return s.Error(c, "in string escape code");
}

Scanner::Op Scanner::InStringEscU(Scanner& s, uint8_t c) {
  if (IsHex(c)) {
    s.step_ = &InStringEscU1;
    return kContinue;
  }
  return s.Error(c, "in \\u hexadecimal character escape");
}

Scanner::Op Scanner::InStringEscU1(Scanner& s, uint8_t c) {
  if (IsHex(c)) {
    s.step_ = &InStringEscU12;
    return kContinue;
  }
  return s.Error(c, "in \\u hexadecimal character escape");
}

Scanner::Op Scanner::InStringEscU12(Scanner& s, uint8_t c) {
  if (IsHex(c)) {
    s.step_ = &InStringEscU123;
    return kContinue;
  }
  return s.Error(c, "in \\u hexadecimal character escape");
}

Scanner::Op Scanner::InStringEscU123(Scanner& s, uint8_t c) {
  if (IsHex(c)) {
    s.step_ = &InString;
    return kContinue;
  }
  return s.Error(c, "in \\u hexadecimal character escape");
}

Scanner::Op Scanner::Neg(Scanner& s, uint8_t c) {
  if (c == '0') {
    s.step_ = &Zero;
    return kContinue;
  }
  if ('1' <= c && c <= '9') {
    s.step_ = &One;
    return kContinue;
  }
  return s.Error(c, "in numeric literal");
}

Scanner::Op Scanner::One(Scanner& s, uint8_t c) {
  if ('0' <= c && c <= '9') {
    s.step_ = &One;
    return kContinue;
  }
  return Zero(s, c);
}

Scanner::Op Scanner::Zero(Scanner& s, uint8_t c) {
  if (c == '.') {
    s.step_ = &Dot;
    return kContinue;
  }
  if (c == 'e' || c == 'E') {
    s.step_ = &E;
    return kContinue;
  }
  return EndValue(s, c);
}

Scanner::Op Scanner::Dot(Scanner& s, uint8_t c) {
  if ('0' <= c && c <= '9') {
    s.step_ = &Dot0;
    return kContinue;
  }
  return s.Error(c, "after decimal point in numeric literal");
}

Scanner::Op Scanner::Dot0(Scanner& s, uint8_t c) {
  if ('0' <= c && c <= '9') return kContinue;
  if (c == 'e' || c == 'E') {
    s.step_ = &E;
    return kContinue;
  }
  return EndValue(s, c);
}

Scanner::Op Scanner::E(Scanner& s, uint8_t c) {
  if (c == '+' || c == '-') {
    s.step_ = &ESign;
    return kContinue;
  }
  return ESign(s, c);
}

Scanner::Op Scanner::ESign(Scanner& s, uint8_t c) {
  if ('0' <= c && c <= '9') {
    s.step_ = &E0;
    return kContinue;
  }
  return s.Error(c, "in exponent of numeric literal");
}

Scanner::Op Scanner::E0(Scanner& s, uint8_t c) {
  if ('0' <= c && c <= '9') return kContinue;
  return EndValue(s, c);
}

Scanner::Op Scanner::T(Scanner& s, uint8_t c) {
  if (c == 'r') {
    s.step_ = &Tr;
    return kContinue;
  }
  return s.Error(c, "in literal true (expecting 'r')");
}

Scanner::Op Scanner::Tr(Scanner& s, uint8_t c) {
  if (c == 'u') {
    s.step_ = &Tru;
    return kContinue;
  }
  return s.Error(c, "in literal true (expecting 'u')");
}

Scanner::Op Scanner::Tru(Scanner& s, uint8_t c) {
  if (c == 'e') {
    s.step_ = &EndValue;
    return kContinue;
  }
  return s.Error(c, "in literal true (expecting 'e')");
}

Scanner::Op Scanner::F(Scanner& s, uint8_t c) {
  if (c == 'a') {
    s.step_ = &Fa;
    return kContinue;
  }
  return s.Error(c, "in literal false (expecting 'a')");
}

Scanner::Op Scanner::Fa(Scanner& s, uint8_t c) {
  if (c == 'l') {
    s.step_ = &Fal;
    return kContinue;
  }
  return s.Error(c, "in literal false (expecting 'l')");
}

Scanner::Op Scanner::Fal(Scanner& s, uint8_t c) {
  if (c == 's') {
    s.step_ = &Fals;
    return kContinue;
  }
  return s.Error(c, "in literal false (expecting 's')");
}

Scanner::Op Scanner::Fals(Scanner& s, uint8_t c) {
  if (c == 'e') {
    s.step_ = &EndValue;
    return kContinue;
  }
  return s.Error(c, "in literal false (expecting 'e')");
}

Scanner::Op Scanner::N(Scanner& s, uint8_t c) {
  if (c == 'u') {
    s.step_ = &Nu;
    return kContinue;
  }
  return s.Error(c, "in literal null (expecting 'u')");
}

Scanner::Op Scanner::Nu(Scanner& s, uint8_t c) {
  if (c == 'l') {
    s.step_ = &Nul;
    return kContinue;
  }
  return s.Error(c, "in literal null (expecting 'l')");
}

Scanner::Op Scanner::Nul(Scanner& s, uint8_t c) {
  if (c == 'l') {
    s.step_ = &EndValue;
    return kContinue;
  }
  return s.Error(c, "in literal null (expecting 'l')");
}

Scanner::Op Scanner::InError(Scanner&, uint8_t) { return kError; }

absl::Status CheckValid(absl::string_view data) {
  Scanner scan;
  for (char c : data) {
    if (scan.Step(static_cast<uint8_t>(c)) == Scanner::kError) {
      return absl::InvalidArgumentError(scan.error());
    }
  }
  if (scan.Eof() == Scanner::kError) {
    return absl::InvalidArgumentError(scan.error());
  }
  return absl::OkStatus();
}

}  // namespace netrpc::jsonrpc::internal
