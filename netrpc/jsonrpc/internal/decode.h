// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: internal/decode.h
//
// The byte-level pieces of Go's JSON decoder (decode.go), shared by every
// typed decoder in bind.h: a Reader that walks JSON text already checked by
// the Scanner, the DecodeState that collects errors the way Go does, and
// Go's conversions of literals (unquoting, integers, floats, base64).
//
//   NETRPC_RETURN_IF_ERROR(CheckValid(json));
//   Reader r(json);
//   DecodeState st;
//   if (r.Peek() == Reader::Kind::kNumber) ...
//   return st.status();
//
// Errors follow Go: a value of the wrong JSON kind is a type error that is
// saved (the first one wins) while decoding goes on, so the rest of the
// value is still stored; an error of an Unmarshaler (time.Time) stops at
// once. Texts are Go's: "json: cannot unmarshal string into Go struct field
// Args.A of type int".

#ifndef NETRPC_JSONRPC_INTERNAL_DECODE_H_
#define NETRPC_JSONRPC_INTERNAL_DECODE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace netrpc::jsonrpc::internal {

// Reader walks valid JSON text (see CheckValid): it never validates, but it
// stays within the text whatever it holds.
//
// [thread-compatible]
class Reader {
 public:
  // Kind is the JSON kind of the next value.
  enum class Kind : uint8_t {
    kNull,
    kBool,
    kString,
    kNumber,
    kArray,
    kObject,
    kEnd,  // nothing left
  };

  explicit Reader(absl::string_view json)
      : p_(json.data()), end_(json.data() + json.size()) {}

  // Peek skips whitespace and returns the kind of the next value.
  Kind Peek();

  // Literal consumes a string (quotes included), number, true, false or
  // null and returns its text.
  absl::string_view Literal();

  // Value consumes any value and returns its text.
  absl::string_view Value();

  // Skip consumes any value.
  void Skip() { Value(); }

  // Enter consumes the '[' or '{' that opens an array or object.
  void Enter();

  // More, inside an array or object, reports whether another element or
  // member follows (consuming the comma), or consumes the closing bracket
  // and returns false.
  bool More();

  // Key consumes an object member's key and colon and returns the key's
  // literal (quotes included).
  absl::string_view Key();

 private:
  void SkipSpace();

  const char* p_;
  const char* end_;
};

// kMaxDecodeDepth bounds how deeply arrays and objects nest in a value that
// is decoded into C++ types, which costs a few stack frames per level (the
// scanner's limit, Go's 10000, would need about 25 MB of stack). Go has no
// such limit; only a recursive type (a struct holding a pointer to itself)
// or a response's "error" can nest this deep.
inline constexpr size_t kMaxDecodeDepth = 1000;

// KindName is how Go's type errors name a JSON kind: "string", "number",
// "bool", "array", "object" (null never fails).
absl::string_view KindName(Reader::Kind kind);

// DecodeState collects a decode's errors and its field context (Go's
// decodeState.savedError and errorContext).
//
// [thread-compatible]
class DecodeState {
 public:
  // TypeError saves Go's UnmarshalTypeError for a JSON `what` ("string",
  // "number 1.5") that does not fit a Go value of type `go_type`, naming
  // the struct field being decoded, if any.
  void TypeError(absl::string_view what, absl::string_view go_type);

  // SaveError saves another error text (base64's), unless one is saved.
  void SaveError(std::string text);

  // Fail records an error that ends decoding at once (an Unmarshaler's);
  // decoders stop as soon as failed().
  void Fail(absl::Status status);
  bool failed() const { return !fail_.ok(); }

  // status is the result: the failure, else the first saved error, else OK.
  absl::Status status() const;

  // DepthScope enters an array or object; past kMaxDecodeDepth it fails
  // the decode (ok() is then false and the value should be skipped).
  class DepthScope {
   public:
    explicit DepthScope(DecodeState& st);
    ~DepthScope() { --st_.depth_; }
    DepthScope(const DepthScope&) = delete;
    DepthScope& operator=(const DepthScope&) = delete;
    bool ok() const { return !st_.failed(); }

   private:
    DecodeState& st_;
  };

  // FieldScope enters a struct field for error messages (Go: the struct
  // type's Name() and the path of field names from the top).
  class FieldScope {
   public:
    FieldScope(DecodeState& st, absl::string_view struct_name,
               absl::string_view field);
    ~FieldScope();
    FieldScope(const FieldScope&) = delete;
    FieldScope& operator=(const FieldScope&) = delete;

   private:
    DecodeState& st_;
    absl::string_view saved_struct_;
    size_t saved_depth_;
  };

 private:
  absl::Status fail_;
  std::string saved_;  // empty: none yet
  size_t depth_ = 0;
  absl::string_view struct_;
  std::vector<absl::string_view> fields_;
};

// Unquote decodes a string literal (quotes included) as Go's unquoteBytes:
// escapes resolved, invalid UTF-8 and lone surrogates become U+FFFD.
std::string Unquote(absl::string_view literal);

// ParseInt, ParseUint and ParseFloat read a number literal as Go's
// strconv does for the decoder; false if it is not an integer or does not
// fit in `bits` (8..64), or overflows a float of `bits` (32 or 64).
// A float that underflows reads as zero, as Go's.
bool ParseInt(absl::string_view s, int bits, int64_t* out);
bool ParseUint(absl::string_view s, int bits, uint64_t* out);
bool ParseFloat(absl::string_view s, int bits, double* out);

// DecodeBase64 decodes standard, padded base64 as Go's
// base64.StdEncoding.Decode (ignoring \r and \n); on failure it returns
// Go's text, "illegal base64 data at input byte N".
absl::Status DecodeBase64(absl::string_view s, std::string* out);

// FoldEqual reports whether an object key matches a field name the way
// Go's decoder does when no name matches exactly: ASCII letters in any
// case, and the Kelvin sign and long s for k and s.
bool FoldEqual(absl::string_view name, absl::string_view key);

// DecodeStruct decodes the object at `r` into a struct with the JSON field
// names `names` (Go's object() for a struct): a member goes to the field its
// key names exactly, else to the first that FoldEqual matches, else is
// skipped; `decode_field(i)` decodes the member's value (at `r`) into field
// i, with i in the error context.
void DecodeStruct(Reader& r, DecodeState& st, absl::string_view struct_name,
                  absl::Span<const absl::string_view> names,
                  absl::FunctionRef<void(size_t)> decode_field);

}  // namespace netrpc::jsonrpc::internal

#endif  // NETRPC_JSONRPC_INTERNAL_DECODE_H_
