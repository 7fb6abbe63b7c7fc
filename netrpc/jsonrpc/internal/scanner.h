// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: internal/scanner.h
//
// Scanner is Go's encoding/json scanner (scanner.go), ported state for state:
// a byte-at-a-time state machine that checks JSON syntax, reports where
// values, keys and elements begin and end, and fails with Go's exact
// SyntaxError texts ("invalid character 'x' looking for beginning of value").
// It keeps no input, so it can be fed across chunk boundaries: the stream
// framing (stream.h) and CheckValid are built on it.
//
//   Scanner scan;
//   for (char c : text) {
//     if (scan.Step(c) == Scanner::kError) return scan.error();
//   }
//   if (scan.Eof() == Scanner::kError) return scan.error();
//
// Limits: nesting deeper than kMaxNestingDepth (Go's 10000) is a syntax
// error, "invalid character '[' exceeded max depth".
//
// [thread-compatible]

#ifndef NETRPC_JSONRPC_INTERNAL_SCANNER_H_
#define NETRPC_JSONRPC_INTERNAL_SCANNER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace netrpc::jsonrpc::internal {

// kMaxNestingDepth is Go's maxNestingDepth: arrays and objects nested deeper
// are rejected, so that decoding never recurses without bound.
inline constexpr size_t kMaxNestingDepth = 10000;

// Scanner is Go's json scanner. See the file comment.
class Scanner {
 public:
  // Op is what Step says about the byte it was given (Go's scanXxx codes).
  // Values past kSkipSpace stop a scan.
  enum Op : uint8_t {
    kContinue,      // uninteresting byte
    kBeginLiteral,  // end implied by next result != kContinue
    kBeginObject,
    kObjectKey,    // just finished object key (string)
    kObjectValue,  // just finished non-last object value
    kEndObject,    // end object (implies kObjectValue if possible)
    kBeginArray,
    kArrayValue,  // just finished array value
    kEndArray,    // end array (implies kArrayValue if possible)
    kSkipSpace,   // space byte; can skip
    kEnd,         // top-level value ended *before* this byte
    kError,       // syntax error: see error()
  };

  Scanner() { Reset(); }

  // Reset prepares to scan a new top-level value.
  void Reset();

  // Step consumes one byte. After kError every further byte is kError.
  Op Step(uint8_t c) { return step_(*this, c); }

  // StepEndValue is Go's `stateEndValue(s, c)` called directly: the stream
  // framing uses it to learn, right after a closing bracket, whether the
  // top-level value is complete without waiting for another byte.
  Op StepEndValue(uint8_t c);

  // Eof tells the scanner the input has ended: kEnd if a whole value was
  // seen, else kError with "unexpected end of JSON input".
  Op Eof();

  // error is the syntax error's text, Go's SyntaxError.Error().
  const std::string& error() const { return err_; }

  // depth is how many arrays and objects are open.
  size_t depth() const { return parse_state_.size(); }

 private:
  using StepFn = Op (*)(Scanner&, uint8_t);
  enum ParseState : uint8_t {
    kParseObjectKey,
    kParseObjectValue,
    kParseArrayValue
  };

  Op PushParseState(uint8_t c, ParseState state, Op success);
  void PopParseState();
  Op Error(uint8_t c, absl::string_view context);

  static Op BeginValueOrEmpty(Scanner& s, uint8_t c);
  static Op BeginValue(Scanner& s, uint8_t c);
  static Op BeginStringOrEmpty(Scanner& s, uint8_t c);
  static Op BeginString(Scanner& s, uint8_t c);
  static Op EndValue(Scanner& s, uint8_t c);
  static Op EndTop(Scanner& s, uint8_t c);
  static Op InString(Scanner& s, uint8_t c);
  static Op InStringEsc(Scanner& s, uint8_t c);
  static Op InStringEscU(Scanner& s, uint8_t c);
  static Op InStringEscU1(Scanner& s, uint8_t c);
  static Op InStringEscU12(Scanner& s, uint8_t c);
  static Op InStringEscU123(Scanner& s, uint8_t c);
  static Op Neg(Scanner& s, uint8_t c);
  static Op One(Scanner& s, uint8_t c);
  static Op Zero(Scanner& s, uint8_t c);
  static Op Dot(Scanner& s, uint8_t c);
  static Op Dot0(Scanner& s, uint8_t c);
  static Op E(Scanner& s, uint8_t c);
  static Op ESign(Scanner& s, uint8_t c);
  static Op E0(Scanner& s, uint8_t c);
  static Op T(Scanner& s, uint8_t c);
  static Op Tr(Scanner& s, uint8_t c);
  static Op Tru(Scanner& s, uint8_t c);
  static Op F(Scanner& s, uint8_t c);
  static Op Fa(Scanner& s, uint8_t c);
  static Op Fal(Scanner& s, uint8_t c);
  static Op Fals(Scanner& s, uint8_t c);
  static Op N(Scanner& s, uint8_t c);
  static Op Nu(Scanner& s, uint8_t c);
  static Op Nul(Scanner& s, uint8_t c);
  static Op InError(Scanner& s, uint8_t c);

  StepFn step_;
  bool end_top_;
  std::vector<ParseState> parse_state_;
  std::string err_;
};

// IsSpace reports whether c is JSON whitespace (Go's isSpace).
inline bool IsSpace(uint8_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// QuoteChar formats a byte as Go's json quoteChar does for error texts:
// 'x', '\'', '"', '\n', '\x01', 'é' (the byte read as a Latin-1 rune).
std::string QuoteChar(uint8_t c);

// CheckValid checks that `data` is exactly one JSON value, with optional
// surrounding whitespace (Go's checkValid, used by json.Unmarshal). Errors
// are Go's texts, kInvalidArgument: "unexpected end of JSON input",
// "invalid character 'x' after top-level value", ...
absl::Status CheckValid(absl::string_view data);

}  // namespace netrpc::jsonrpc::internal

#endif  // NETRPC_JSONRPC_INTERNAL_SCANNER_H_
