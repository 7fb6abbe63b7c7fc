// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: test_util.h
//
// Helpers for the gob tests: hex byte strings written the way SPEC.md and
// Go's vectors show them ("1f ff 81 03 ..."), and status matchers.

#ifndef NETRPC_GOB_TEST_UTIL_H_
#define NETRPC_GOB_TEST_UTIL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"

namespace netrpc::gob::testing {

// Hex parses bytes written as hex pairs ("1f ff 81"); spaces and newlines
// are ignored.
std::string Hex(absl::string_view hex);

// ToHex renders bytes as "1f ff 81" (lowercase, single spaces).
std::string ToHex(absl::string_view bytes);

// StatusIs matches an absl::Status (or StatusOr) with the given code and
// exact message.
MATCHER_P2(StatusIs, code, message,
           std::string("has code ") + absl::StatusCodeToString(code) +
               " and message \"" + std::string(message) + "\"") {
  const absl::Status& s = arg;
  *result_listener << "status is " << s.ToString();
  return s.code() == code && s.message() == absl::string_view(message);
}

MATCHER(IsOk, "is OK") {
  const absl::Status& s = arg;
  *result_listener << "status is " << s.ToString();
  return s.ok();
}

}  // namespace netrpc::gob::testing

#endif  // NETRPC_GOB_TEST_UTIL_H_
