// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/jsonrpc/internal/stream.h"

#include "absl/strings/str_cat.h"

#include "netrpc/codec.h"
#include "netrpc/errors.h"

namespace netrpc::jsonrpc::internal {

void ValueStream::Append(absl::string_view data) {
  // Drop consumed bytes once they dominate, so that a long-lived connection
  // keeps a buffer the size of one value, and each byte moves O(1) times.
  if (start_ > 0 && start_ >= buf_.size() / 2) {
    buf_.erase(0, start_);
    pos_ -= start_;
    start_ = 0;
  }
  buf_.append(data.data(), data.size());
}

absl::Status ValueStream::Next(absl::string_view* value) {
  if (!err_.ok()) return err_;
  if (!scanning_) {
    scan_.Reset();
    pos_ = start_;
    scanning_ = true;
  }
  size_t end = 0;
  bool done = false;
  while (!done && pos_ < buf_.size()) {
    // The limit is checked before each byte, so that where the input was
    // cut into pieces cannot change what is reported.
    if (pos_ - start_ >= max_value_bytes_) {
      err_ = absl::ResourceExhaustedError(absl::StrCat(
          "jsonrpc: message longer than ", max_value_bytes_, " bytes"));
      return err_;
    }
    Scanner::Op op = scan_.Step(static_cast<uint8_t>(buf_[pos_]));
    if (op == Scanner::kEnd) {
      // Go sees the end one byte late; that byte is not part of the value.
      end = pos_;
      done = true;
    } else if (op == Scanner::kError) {
      err_ = absl::InvalidArgumentError(scan_.error());
      return err_;
    } else {
      ++pos_;
      // Go invents a space rather than wait for a byte that may never come:
      // a closing bracket at depth 0 ends the value at once.
      if ((op == Scanner::kEndObject || op == Scanner::kEndArray) &&
          scan_.StepEndValue(' ') == Scanner::kEnd) {
        end = pos_;
        done = true;
      }
    }
  }
  if (!done) {
    if (!eof_) return NeedMoreInput();
    if (scan_.Step(' ') == Scanner::kEnd) {
      end = buf_.size();
    } else {
      bool blank = true;
      for (size_t i = start_; i < buf_.size(); ++i) {
        blank = blank && IsSpace(static_cast<uint8_t>(buf_[i]));
      }
      err_ = blank ? EOFError() : UnexpectedEOFError();
      return err_;
    }
  }
  *value = absl::string_view(buf_).substr(start_, end - start_);
  start_ = end;
  scanning_ = false;
  return absl::OkStatus();
}

}  // namespace netrpc::jsonrpc::internal
