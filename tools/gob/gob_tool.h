// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: gob_tool.h
//
// The commands of the `gob` tool over streams, so that they can be tested
// without a process:
//
//   gob dump [--types] [FILE]   one JSON line per value (debug.h), with
//                               --types each type definition first as
//                               {"type_id":65,"def":{...}}
//   gob recode [FILE]           decode every value into the dynamic model and
//                               encode it again as a fresh stream
//
//   std::istringstream in(stream);
//   std::ostringstream out;
//   absl::Status s = gob_tool::Dump(in, out, {.types = true});
//
// Both read the input incrementally, write each value as soon as it is
// decoded, and stop at the first error (returned; the values before it are
// already written). A clean end of input is OK.

#ifndef TOOLS_GOB_GOB_TOOL_H_
#define TOOLS_GOB_GOB_TOOL_H_

#include <istream>
#include <ostream>

#include "absl/status/status.h"

namespace gob_tool {

struct DumpOptions {
  // types prints each type definition before the first value after it.
  bool types = false;
};

// Dump writes one JSON line per value of the gob stream `in`.
absl::Status Dump(std::istream& in, std::ostream& out,
                  const DumpOptions& options);

// Recode writes the values of `in` again as a fresh gob stream.
absl::Status Recode(std::istream& in, std::ostream& out);

}  // namespace gob_tool

#endif  // TOOLS_GOB_GOB_TOOL_H_
