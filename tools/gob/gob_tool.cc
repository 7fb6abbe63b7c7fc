// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "tools/gob/gob_tool.h"

#include <string>

#include "absl/functional/function_ref.h"
#include "netrpc/gob/debug.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/encoder.h"

namespace gob_tool {
namespace {

using netrpc::gob::Decoder;
using netrpc::gob::Value;

constexpr size_t kChunk = 64 * 1024;

// ForEachValue decodes the values of `in` one by one, reading more input
// only when the decoder asks for it, and calls `on_value` for each.
absl::Status ForEachValue(std::istream& in, Decoder& dec,
                          absl::FunctionRef<absl::Status(const Value&)> on_value) {
  for (;;) {
    if (!dec.Ready()) {
      char* buf = dec.PrepareAppend(kChunk);
      in.read(buf, kChunk);
      dec.CommitAppend(static_cast<size_t>(in.gcount()));
      if (in.gcount() == 0) {
        if (in.bad()) return absl::DataLossError("gob: read error");
        dec.CloseInput();
      }
      continue;
    }
    Value v;
    absl::Status s = dec.DecodeValue(&v);
    if (netrpc::gob::IsNeedMore(s)) continue;
    if (netrpc::gob::IsEOF(s)) return absl::OkStatus();
    if (!s.ok()) return s;
    absl::Status r = on_value(v);
    if (!r.ok()) return r;
  }
}

}  // namespace

absl::Status Dump(std::istream& in, std::ostream& out,
                  const DumpOptions& options) {
  Decoder dec;
  size_t printed = 0;
  return ForEachValue(in, dec, [&](const Value& v) {
    if (options.types) {
      const auto& ids = dec.definitions();
      for (; printed < ids.size(); ++printed) {
        out << netrpc::gob::WireTypeToJson(ids[printed],
                                           *dec.Definition(ids[printed]))
            << "\n";
      }
    }
    out << netrpc::gob::ValueToJson(v) << "\n";
    out.flush();
    return absl::OkStatus();
  });
}

absl::Status Recode(std::istream& in, std::ostream& out) {
  Decoder dec;
  netrpc::gob::Encoder enc;
  std::string buf;
  return ForEachValue(in, dec, [&](const Value& v) {
    buf.clear();
    absl::Status s = enc.EncodeValue(v, &buf);
    out << buf;  // definitions written before a failure belong to the stream
    out.flush();
    return s;
  });
}

}  // namespace gob_tool
