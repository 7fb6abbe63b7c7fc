// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/test_util.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace netrpc::gob::testing {

std::string Hex(absl::string_view hex) {
  std::string out;
  size_t i = 0;
  while (i < hex.size()) {
    char c = hex[i];
    if (c == ' ' || c == '\n') {
      ++i;
      continue;
    }
    if (i + 1 >= hex.size()) std::abort();
    out.push_back(static_cast<char>(
        std::strtol(std::string(hex.substr(i, 2)).c_str(), nullptr, 16)));
    i += 2;
  }
  return out;
}

std::string ToHex(absl::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (!out.empty()) out.push_back(' ');
    absl::StrAppendFormat(&out, "%02x", c);
  }
  return out;
}

}  // namespace netrpc::gob::testing
