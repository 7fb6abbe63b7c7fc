// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/jsonrpc/internal/any.h"

#include <map>
#include <optional>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

#include "netrpc/jsonrpc/internal/encode.h"

namespace netrpc::jsonrpc::internal {
namespace {

// Format appends the %v text of the next value of `r`. The text is a Cord
// so that a member's text moves into its enclosing object's without a
// copy: with objects nested N deep, copying would cost N times the input.
// Nesting is bounded by kMaxDecodeDepth.
void Format(Reader& r, DecodeState& st, absl::Cord* out) {
  Reader::Kind kind = r.Peek();
  std::optional<DecodeState::DepthScope> depth;
  if (kind == Reader::Kind::kArray || kind == Reader::Kind::kObject) {
    depth.emplace(st);
    if (!depth->ok()) {
      r.Skip();
      return;
    }
  }
  switch (kind) {
    case Reader::Kind::kArray: {
      // []any prints as [a b c].
      out->Append("[");
      r.Enter();
      bool first = true;
      while (r.More()) {
        if (!first) out->Append(" ");
        first = false;
        Format(r, st, out);
      }
      out->Append("]");
      return;
    }
    case Reader::Kind::kObject: {
      // map[string]any: a repeated key keeps its last value; fmt prints the
      // keys sorted.
      std::map<std::string, absl::Cord> members;
      r.Enter();
      while (r.More()) {
        std::string key = Unquote(r.Key());
        absl::Cord value;
        Format(r, st, &value);
        members.insert_or_assign(std::move(key), std::move(value));
      }
      out->Append("map[");
      bool first = true;
      for (auto& [key, value] : members) {
        if (!first) out->Append(" ");
        first = false;
        out->Append(key);
        out->Append(":");
        out->Append(std::move(value));
      }
      out->Append("]");
      return;
    }
    case Reader::Kind::kString:
      out->Append(Unquote(r.Literal()));
      return;
    case Reader::Kind::kNumber: {
      absl::string_view lit = r.Literal();
      double f;
      if (ParseFloat(lit, 64, &f)) {
        out->Append(FormatFloatG(f, 64));
      } else {
        st.TypeError(absl::StrCat("number ", lit), "float64");
        out->Append("<nil>");
      }
      return;
    }
    case Reader::Kind::kBool:
      out->Append(r.Literal());
      return;
    case Reader::Kind::kNull:
    case Reader::Kind::kEnd:
      r.Skip();
      out->Append("<nil>");
      return;
  }
}

}  // namespace

void DecodeAny(Reader& r, DecodeState& st, Any* out) {
  out->kind = r.Peek();
  out->string_value.clear();
  out->formatted.clear();
  if (out->kind == Reader::Kind::kString) {
    out->string_value = Unquote(r.Literal());
    out->formatted = out->string_value;
    return;
  }
  absl::Cord formatted;
  Format(r, st, &formatted);
  out->formatted = std::string(formatted);
}

}  // namespace netrpc::jsonrpc::internal
