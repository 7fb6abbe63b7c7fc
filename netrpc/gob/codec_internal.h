// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: codec_internal.h
//
// The engines behind Encoder and Decoder, shared by the typed bindings
// (bind.h) and the dynamic model (value.h). Not for use outside netrpc/gob.
//
// Encoding. EncoderCore follows Go's encoder.go: type ids are allocated in
// Go's order (types.go newTypeObject), definitions are sent outer type first
// (sendType), and every message is built in a buffer whose first
// kMessageHead bytes are reserved for the length prefix, so a finished
// message is written with a single append.
//
// Decoding. DecoderCore owns the input buffer, the stream's type table and the
// compiled decode plans. A decode is one *attempt*: it reads definitions until
// a value message, resolves the value's type, runs a body (typed, dynamic or
// skip) and then either commits (consumes the messages read, keeps the types
// defined) or, if the input ran out, rolls everything back so that the same
// attempt can be repeated once more bytes have arrived.
//
// Errors inside an attempt are sticky in DecState (Go's dec.err): the first
// failure sets DecState::failed, moves the read position to the end of the
// message so every loop stops, and the attempt returns that status.

#ifndef NETRPC_GOB_CODEC_INTERNAL_H_
#define NETRPC_GOB_CODEC_INTERNAL_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "netrpc/gob/options.h"
#include "netrpc/gob/type.h"
#include "netrpc/gob/value.h"
#include "netrpc/gob/wire.h"

namespace netrpc::gob::internal {

// TagOf<T>() is a unique address per C++ type, used as a map key.
template <typename T>
struct TagHolder {
  static constexpr char kTag = 0;
};
template <typename T>
constexpr const void* TagOf() {
  return &TagHolder<T>::kTag;
}

// ContainsInterface reports whether values of t may hold an interface value
// (and may therefore span several messages). Only meaningful for types built
// by a DecoderCore and for the predefined types.
bool ContainsInterface(const Type* t);

// Describer builds the gob Types of C++ types in Go's order and with Go's
// names (bind.h's Codec<T>::Describe). A type is registered before its
// components are described, so recursive types terminate. Not thread-safe.
class Describer {
 public:
  Describer() = default;
  Describer(const Describer&) = delete;
  Describer& operator=(const Describer&) = delete;

  // Find returns the type already described for tag, or nullptr.
  const Type* Find(const void* tag) const {
    auto it = types_.find(tag);
    return it == types_.end() ? nullptr : it->second;
  }
  // Declare creates and registers the type for tag; fill it in afterwards.
  Type* Declare(const void* tag, Kind kind, absl::string_view name);
  void SetElem(Type* t, const Type* elem);
  void SetKey(Type* t, const Type* key);
  void SetLen(Type* t, int64_t len);
  void AddField(Type* t, absl::string_view name, const Type* type);

 private:
  TypeArena arena_;
  absl::flat_hash_map<const void*, const Type*> types_;
};

// ---------------------------------------------------------------------------
// Encoding.

class EncoderCore;

// kMessageHead is the room reserved at the front of a message buffer for the
// length prefix (Go's maxLength).
inline constexpr size_t kMessageHead = kMaxUintLength;

// EncState is where a value is being encoded: the message (or interface
// payload) buffer and the encoder whose type tables it uses.
struct EncState {
  EncoderCore* enc;
  std::string* b;
  int depth_left;

  bool ok() const;
  void Fail(absl::Status status);
  // Enter and Leave bracket a nested struct, container or interface.
  bool Enter();
  void Leave() { ++depth_left; }
};

class EncoderCore {
 public:
  explicit EncoderCore(const EncoderOptions& options);
  EncoderCore(const EncoderCore&) = delete;
  EncoderCore& operator=(const EncoderCore&) = delete;

  // Encode writes the definitions `type` needs that this stream has not yet
  // seen, then one value message whose body is `body` (Go's EncodeValue). On
  // error no part of the value message is written; complete definition
  // messages written before the failure stay, as in Go.
  absl::Status Encode(const Type* type,
                      absl::FunctionRef<void(EncState&)> body,
                      std::string* out);

  // EncodeInterface writes a non-nil interface value: the name, the
  // definitions `concrete` needs (per EncoderOptions::interface_layout), its
  // id, and the byte-counted concrete value written by `body` (which must
  // encode it as a top-level value: a struct, or 00 then a singleton).
  void EncodeInterface(EncState& st, absl::string_view name,
                       const Type* concrete,
                       absl::FunctionRef<void(EncState&)> body);

  Describer& describer() { return describer_; }

  // TopType returns the type Encoder::Encode<T> described for `tag` (one
  // address per T) on an earlier call, or nullptr; SetTopType records it.
  // A stream encodes a few types over and over (an RPC's header and body):
  // this spares describing them again.
  const Type* TopType(const void* tag) const {
    for (const TopEntry& e : top_) {
      if (e.tag == tag) return e.type;
    }
    return nullptr;
  }
  void SetTopType(const void* tag, const Type* type) {
    top_[top_next_++ % top_.size()] = TopEntry{tag, type};
  }

  bool ok() const { return err_.ok(); }
  void Fail(absl::Status status) {
    if (err_.ok()) err_ = std::move(status);
  }

 private:
  friend struct EncState;

  TypeId IdOf(const Type* t);
  void AllocIds(const Type* t);
  void SetId(const Type* t);
  bool HasId(const Type* t) const;
  // SendType writes the definition of t and of everything it refers to that
  // is not yet sent, each as a message built in b and written to w.
  void SendType(std::string* w, std::string* b, const Type* t);
  void SendTypeDescriptor(std::string* w, std::string* b, const Type* t);
  void WriteMessage(std::string* w, std::string* b);
  std::string* AcquireBuffer();
  void ReleaseBuffer(std::string* b);

  EncoderOptions options_;
  Describer describer_;
  absl::flat_hash_map<uint64_t, TypeId> ids_;  // by Type::serial()
  absl::flat_hash_set<uint64_t> building_;     // AllocIds in progress
  absl::flat_hash_set<uint64_t> sent_;
  std::vector<uint64_t> sent_log_;  // to forget definitions lost on error
  TypeId last_id_ = kFirstUserId;
  std::vector<std::string*> writers_;  // Go's enc.w stack
  std::string message_;
  std::string pending_defs_;  // kUpFront: definitions met inside the value
  bool in_value_ = false;
  std::vector<std::unique_ptr<std::string>> pool_;
  absl::Status err_;
  // Types whose definitions this stream has sent (or that need none), with
  // their ids, by Type::serial(): Encode skips IdOf and SendType for them.
  // An entry never goes stale: ids are never reassigned, and a failed
  // Encode forgets only definitions it sent itself.
  struct SentEntry {
    uint64_t serial = 0;  // 0: empty (serials start at 1)
    TypeId id = 0;
  };
  std::array<SentEntry, 4> hot_{};
  size_t hot_next_ = 0;
  struct TopEntry {
    const void* tag = nullptr;
    const Type* type = nullptr;
  };
  std::array<TopEntry, 4> top_{};
  size_t top_next_ = 0;
};

inline bool EncState::ok() const { return enc->ok(); }
inline void EncState::Fail(absl::Status status) { enc->Fail(std::move(status)); }
inline bool EncState::Enter() {
  if (ABSL_PREDICT_FALSE(--depth_left < 0)) {
    Fail(absl::ResourceExhaustedError(
        "gob: value nesting exceeds EncoderOptions::max_depth"));
    return false;
  }
  return true;
}

// Dynamic values (dynamic.cc).

// EncodeTopValue encodes v as a top-level value: a struct, or 00 followed by
// a singleton.
void EncodeTopValue(EncState& st, const Value& v);

// ---------------------------------------------------------------------------
// Decoding.

class DecoderCore;

// Plan is a compiled decoder for one (remote type, C++ type) pair: Go's
// decEngine. Plans live as long as the DecoderCore that compiled them.
struct Plan {
  struct Step {
    int local = -1;              // index of the C++ field, -1 to skip
    const Plan* plan = nullptr;  // plan for the field
    const Type* remote = nullptr;
  };
  std::string ovfl;            // name in `value for "<ovfl>" out of range`
  const Plan* elem = nullptr;  // slice, array or map element
  const Plan* key = nullptr;   // map key
  std::vector<Step> steps;     // struct: one per remote field
  int matched = 0;             // struct: fields with a local match
};

// DecState is the read position and the sticky error of one attempt.
struct DecState {
  const uint8_t* p = nullptr;
  const uint8_t* end = nullptr;
  DecoderCore* dec = nullptr;
  int depth_left = 0;
  uint64_t budget = 0;
  bool failed = false;

  bool ok() const { return !failed; }
  size_t remaining() const { return static_cast<size_t>(end - p); }

  // Fail records the first error of the attempt and stops all reading.
  void Fail(absl::Status status);
  void FailText(absl::string_view text) {
    Fail(absl::InvalidArgumentError(text));
  }

  uint64_t Uint() {
    if (ABSL_PREDICT_TRUE(p < end && *p <= 0x7f)) return *p++;
    const uint8_t* at = p;
    uint64_t x = 0;
    if (ReadUint(&p, end, &x) != UintResult::kOk) {
      Fail(UintError(at, end));
      return 0;
    }
    return x;
  }
  int64_t Int() { return IntFromUint(Uint()); }

  // Length reads a byte count that fits in the rest of the message (Go's
  // getLength); false if it does not (no error recorded: callers use Go's
  // context-specific texts).
  bool Length(uint64_t* n) {
    *n = Uint();
    return ok() && *n <= remaining();
  }

  bool Enter() {
    if (ABSL_PREDICT_FALSE(--depth_left < 0)) {
      FailDepth();
      return false;
    }
    return true;
  }
  void Leave() { ++depth_left; }

  // Charge accounts for memory about to be allocated from wire counts.
  bool Charge(uint64_t bytes) {
    if (ABSL_PREDICT_FALSE(bytes > budget)) {
      FailBudget();
      return false;
    }
    budget -= bytes;
    return true;
  }
  // ChargeCount charges count elements of elem_size bytes, failing with Go's
  // "slice too big" wording if they exceed the budget.
  bool ChargeCount(uint64_t count, size_t elem_size,
                   absl::FunctionRef<std::string()> elem_name);

  void FailDepth();
  void FailBudget();
};

// NextField reads the next field number of a struct with n wire fields into
// *num (which starts at -1): Go's decodeStruct loop. False at the end of the
// struct (a zero delta, or the end of the message: a missing terminator is
// tolerated) or on error.
inline bool NextField(DecState& st, size_t n, int64_t* num) {
  if (st.p >= st.end) return false;
  uint64_t delta = st.Uint();
  if (ABSL_PREDICT_FALSE(!st.ok()) || delta == 0) return false;
  if (ABSL_PREDICT_FALSE(delta >= static_cast<uint64_t>(
                                      static_cast<int64_t>(n) - *num))) {
    st.FailText(delta >= (uint64_t{1} << 63)
                    ? "gob: decode: corrupted data: negative delta"
                    : "gob: bad data: field numbers out of bounds");
    return false;
  }
  *num += static_cast<int64_t>(delta);
  return true;
}

// GoQuote quotes s like Go's %q (at most max_bytes of it, like %.Nq).
std::string GoQuote(absl::string_view s, size_t max_bytes = SIZE_MAX);

// AttemptBody decodes one value whose type sequence has been read. `type` is
// null when the value's own type id is undefined (the body picks Go's text).
using AttemptBody = absl::FunctionRef<void(DecState&, const Type* type)>;

class DecoderCore {
 public:
  explicit DecoderCore(const DecoderOptions& options);
  DecoderCore(const DecoderCore&) = delete;
  DecoderCore& operator=(const DecoderCore&) = delete;

  // Input.
  void Append(absl::string_view data);
  char* AppendBuffer(size_t n);
  void CommitAppend(size_t reserved, size_t written);
  void CloseInput() { closed_ = true; }
  bool Ready() const;
  size_t buffered() const { return buf_.size() - start_; }

  // Attempt runs one decode (see the file comment). With precheck, a value
  // whose type may hold interfaces is first skipped to make sure all of its
  // messages are buffered, so that `body` never sees NeedMore.
  absl::Status Attempt(AttemptBody body, bool precheck);

  // broken is the error that ended the stream, or OK.
  const absl::Status& broken() const { return broken_; }

  // Building blocks for bodies.

  // TypeSequence reads definitions until a value id and returns it (Go's
  // decodeTypeSequence); on error it returns -1 with st failed. In an
  // interface it may load further messages.
  TypeId TypeSequence(DecState& st, bool in_interface);

  // Resolve returns the Type for id, null if id itself is undefined; a
  // definition referring to an undefined id fails st.
  const Type* Resolve(DecState& st, TypeId id);

  // ReadInterfaceName reads an interface value's name; false on error.
  // An empty name is a nil interface.
  bool ReadInterfaceName(DecState& st, absl::string_view* name,
                         bool skipping);

  // ReadConcreteType reads the type sequence and byte count after a
  // non-empty interface name and returns the concrete type (null on error).
  // For skipping, an undefined concrete type is dropped by its byte count as
  // Go does, and the return is null with st still ok.
  const Type* ReadConcreteType(DecState& st, bool skipping);

  // Plans.
  enum class PlanKind { kStruct, kTop, kConcrete };
  const Plan* FindPlan(PlanKind kind, const Type* remote,
                       const void* tag) const;
  void AddPlan(PlanKind kind, const Type* remote, const void* tag,
               const Plan* plan);
  Plan* NewPlan(std::string ovfl);
  struct PlanMark {
    size_t log;
    size_t arena;
  };
  PlanMark plan_mark() const { return {plan_log_.size(), plan_arena_.size()}; }
  void RollbackPlans(const PlanMark& mark);

  const DecoderOptions& options() const { return options_; }

  // Definitions received so far, in order, and each one's wire form.
  const std::vector<TypeId>& definition_order() const { return def_log_; }
  const WireType* Definition(TypeId id) const;

  // TypeString names a remote type in Go's error texts.
  static std::string TypeString(const Type* t);

  void SetError(absl::Status status) {
    if (attempt_status_.ok()) attempt_status_ = std::move(status);
  }

 private:
  struct Mark {
    size_t pos;
    size_t defs;
    size_t resolved;
    PlanMark plans;
    size_t arena;
    uint64_t def_bytes;
  };
  struct PlanKey {
    PlanKind kind;
    const Type* remote;
    const void* tag;
    bool operator==(const PlanKey& o) const {
      return kind == o.kind && remote == o.remote && tag == o.tag;
    }
    template <typename H>
    friend H AbslHashValue(H h, const PlanKey& k) {
      return H::combine(std::move(h), k.kind, k.remote, k.tag);
    }
  };

  Mark MakeMark() const;
  void Rollback(const Mark& m);
  // LoadMessage points st at the next buffered message; false with st
  // failed (NeedMore, EOF, framing errors).
  bool LoadMessage(DecState& st, bool first);
  void DefineType(DecState& st, TypeId id);
  void Compact();

  DecoderOptions options_;
  std::string buf_;
  size_t start_ = 0;  // first unconsumed byte
  size_t pos_ = 0;    // next message during an attempt
  size_t need_ = 1;   // bytes from start_ the last NeedMore wanted
  bool closed_ = false;
  absl::Status broken_;
  absl::Status attempt_status_;

  absl::flat_hash_map<TypeId, WireType> defs_;
  std::vector<TypeId> def_log_;
  uint64_t def_bytes_ = 0;
  absl::flat_hash_map<TypeId, const Type*> resolved_;
  std::vector<TypeId> resolved_log_;
  TypeArena arena_;

  absl::flat_hash_map<PlanKey, const Plan*> plans_;
  std::vector<PlanKey> plan_log_;
  std::vector<std::unique_ptr<Plan>> plan_arena_;
};

// Dynamic values and skipping (dynamic.cc).

// DecodeTopValue decodes a top-level value of type t into *out.
void DecodeTopValue(DecState& st, const Type* t, Value* out);

// SkipTopValue discards a top-level value of type t.
void SkipTopValue(DecState& st, const Type* t);

// SkipValue discards a value of type t (a struct field, an element).
void SkipValue(DecState& st, const Type* t);

}  // namespace netrpc::gob::internal

#endif  // NETRPC_GOB_CODEC_INTERNAL_H_
