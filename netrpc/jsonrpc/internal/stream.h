// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: internal/stream.h
//
// ValueStream splits a byte stream into top-level JSON values the way Go's
// json.Decoder does (stream.go, readValue): any whitespace, or none, between
// values; values arriving in any chunking; a value ends at its closing
// bracket or quote, or, for a bare number or literal, at the next byte or
// the end of input. Bytes are appended as they arrive and scanned once.
//
//   ValueStream stream(options);
//   stream.Append(bytes);
//   absl::string_view value;
//   absl::Status s = stream.Next(&value);   // NeedMoreInput() until whole
//
// Errors are sticky, as Go's Decoder.err: a syntax error (Go's text) ends the
// stream, and so does a value longer than max_value_bytes.
//
// [thread-compatible]

#ifndef NETRPC_JSONRPC_INTERNAL_STREAM_H_
#define NETRPC_JSONRPC_INTERNAL_STREAM_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

#include "netrpc/jsonrpc/internal/scanner.h"

namespace netrpc::jsonrpc::internal {

// ValueStream is the read half of Go's json.Decoder. See the file comment.
class ValueStream {
 public:
  // max_value_bytes bounds one value, leading whitespace included (and, for
  // a bare number or literal, the byte that ends it).
  explicit ValueStream(size_t max_value_bytes)
      : max_value_bytes_(max_value_bytes) {}

  // Append adds bytes read from the connection.
  void Append(absl::string_view data);

  // SetEOF says no more bytes will come.
  void SetEOF() { eof_ = true; }

  // Next finds the next whole value and points `*value` at it (valid until
  // the next call of any method). It may carry leading whitespace. Errors:
  // NeedMoreInput() when the value is not all there (nothing is lost);
  // EOFError() at the end of input between values; UnexpectedEOFError()
  // when input ends inside one; kInvalidArgument with Go's syntax error
  // text; kResourceExhausted for an oversized value.
  absl::Status Next(absl::string_view* value);

 private:
  const size_t max_value_bytes_;
  std::string buf_;
  size_t start_ = 0;       // where the value being scanned begins in buf_
  size_t pos_ = 0;         // the next byte of buf_ to scan
  bool scanning_ = false;  // scan_ holds a value in progress
  bool eof_ = false;
  Scanner scan_;
  absl::Status err_;  // sticky
};

}  // namespace netrpc::jsonrpc::internal

#endif  // NETRPC_JSONRPC_INTERNAL_STREAM_H_
