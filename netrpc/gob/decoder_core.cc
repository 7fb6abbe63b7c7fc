// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include <deque>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "netrpc/gob/codec_internal.h"
#include "netrpc/gob/type_internal.h"

namespace netrpc::gob::internal {
namespace {

constexpr absl::string_view kErrBadType =
    "gob: unknown type id or corrupted data";

// Compaction threshold: consumed bytes are dropped from the front of the
// input buffer once they are at least this many and half the buffer.
constexpr size_t kCompactBytes = 4096;

// Go truncates type ids to int32 (typeId); so do we.
TypeId ToTypeId(int64_t v) {
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v)));
}

// Negate as Go's int32 typeId does (wrapping at the minimum).
TypeId NegateTypeId(TypeId id) {
  return static_cast<int32_t>(0u - static_cast<uint32_t>(id));
}

}  // namespace

std::string GoQuote(absl::string_view s, size_t max_bytes) {
  std::string out = "\"";
  size_t n = 0;
  for (unsigned char c : s) {
    if (n++ == max_bytes) break;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out.push_back(static_cast<char>(c));
        } else {
          absl::StrAppend(&out, "\\x", absl::Hex(c, absl::kZeroPad2));
        }
    }
  }
  out.push_back('"');
  return out;
}

bool ContainsInterface(const Type* t) {
  return TypeAccess::contains_interface(t);
}

void DecState::Fail(absl::Status status) {
  if (!failed) {
    failed = true;
    dec->SetError(std::move(status));
  }
  p = end;
}

void DecState::FailDepth() {
  Fail(absl::ResourceExhaustedError(
      absl::StrCat("gob: value nesting exceeds DecoderOptions::max_depth (",
                   dec->options().max_depth, ")")));
}

void DecState::FailBudget() {
  Fail(absl::ResourceExhaustedError(absl::StrCat(
      "gob: value needs more memory than DecoderOptions::max_alloc_bytes (",
      dec->options().max_alloc_bytes, ")")));
}

bool DecState::ChargeCount(uint64_t count, size_t elem_size,
                           absl::FunctionRef<std::string()> elem_name) {
  if (elem_size == 0) elem_size = 1;
  if (count > budget / elem_size) {
    Fail(absl::ResourceExhaustedError(absl::StrCat(
        "gob: ", elem_name(), " slice too big: ", count, " elements of ",
        elem_size, " bytes")));
    return false;
  }
  budget -= count * elem_size;
  return true;
}

DecoderCore::DecoderCore(const DecoderOptions& options) : options_(options) {}

void DecoderCore::Compact() {
  if (start_ == buf_.size()) {
    buf_.clear();
    start_ = 0;
  } else if (start_ >= kCompactBytes && start_ * 2 >= buf_.size()) {
    buf_.erase(0, start_);
    start_ = 0;
  }
}

void DecoderCore::Append(absl::string_view data) {
  Compact();
  buf_.append(data.data(), data.size());
}

char* DecoderCore::AppendBuffer(size_t n) {
  Compact();
  size_t old = buf_.size();
  buf_.resize(old + n);
  return &buf_[old];
}

void DecoderCore::CommitAppend(size_t reserved, size_t written) {
  if (written < reserved) buf_.resize(buf_.size() - (reserved - written));
}

bool DecoderCore::Ready() const {
  return closed_ || !broken_.ok() || buffered() >= need_;
}

DecoderCore::Mark DecoderCore::MakeMark() const {
  return {pos_,          def_log_.size(),  resolved_log_.size(),
          plan_mark(),   arena_.size(),    def_bytes_};
}

void DecoderCore::Rollback(const Mark& m) {
  pos_ = m.pos;
  for (size_t i = m.defs; i < def_log_.size(); ++i) defs_.erase(def_log_[i]);
  def_log_.resize(m.defs);
  def_bytes_ = m.def_bytes;
  for (size_t i = m.resolved; i < resolved_log_.size(); ++i) {
    resolved_.erase(resolved_log_[i]);
  }
  resolved_log_.resize(m.resolved);
  RollbackPlans(m.plans);
  TypeAccess::Truncate(&arena_, m.arena);
}

absl::Status DecoderCore::Attempt(AttemptBody body, bool precheck) {
  if (!broken_.ok()) return broken_;
  attempt_status_ = absl::OkStatus();
  pos_ = start_;
  Mark mark = MakeMark();
  DecState st;
  st.dec = this;
  st.depth_left = options_.max_depth;
  st.budget = options_.max_alloc_bytes;

  TypeId id = TypeSequence(st, /*in_interface=*/false);
  const Type* type = st.ok() ? Resolve(st, id) : nullptr;
  if (st.ok() && precheck && type != nullptr && ContainsInterface(type)) {
    // Make sure every message of the value is here before the body writes
    // into caller memory: walk it once, then undo the walk.
    Mark before = MakeMark();
    DecState probe = st;
    SkipTopValue(probe, type);
    bool need_more = probe.failed && IsNeedMore(attempt_status_);
    Rollback(before);
    attempt_status_ = absl::OkStatus();
    if (need_more) st.Fail(ErrNeedMore());
  }
  if (st.ok()) body(st, type);

  absl::Status status = std::move(attempt_status_);
  attempt_status_ = absl::OkStatus();
  if (IsNeedMore(status)) {
    Rollback(mark);
    return status;
  }
  // Consume every message read, even on error: Go drops the rest of the
  // current message and the stream goes on with the next one.
  start_ = pos_;
  need_ = 1;
  return status;
}

bool DecoderCore::LoadMessage(DecState& st, bool first) {
  absl::string_view rest(buf_.data() + pos_, buf_.size() - pos_);
  Frame frame;
  FrameResult r = ParseFrame(rest, &frame);
  if (r == FrameResult::kBadUint) {
    broken_ = absl::InvalidArgumentError(
        "gob: encoded unsigned integer out of range");
    st.Fail(broken_);
    return false;
  }
  if (frame.prefix != 0) {
    if (frame.length >= kGoTooBig) {
      broken_ = absl::InvalidArgumentError("invalid message length");
      st.Fail(broken_);
      return false;
    }
    if (frame.length > options_.max_message_size) {
      broken_ = absl::ResourceExhaustedError(absl::StrCat(
          "gob: message of ", frame.length,
          " bytes exceeds DecoderOptions::max_message_size (",
          options_.max_message_size, ")"));
      st.Fail(broken_);
      return false;
    }
  }
  if (r == FrameResult::kNeedMore) {
    if (!closed_) {
      need_ = (pos_ - start_) + frame.need;
      st.Fail(ErrNeedMore());
    } else if (first && rest.empty()) {
      st.Fail(ErrEOF());
    } else {
      broken_ = ErrUnexpectedEOF();
      st.Fail(broken_);
    }
    return false;
  }
  st.p = reinterpret_cast<const uint8_t*>(buf_.data()) + pos_ + frame.prefix;
  st.end = st.p + frame.length;
  pos_ += frame.prefix + static_cast<size_t>(frame.length);
  return true;
}

TypeId DecoderCore::TypeSequence(DecState& st, bool in_interface) {
  bool first = !in_interface;
  for (;;) {
    if (st.p == st.end) {
      if (!LoadMessage(st, first)) return -1;
      if (st.p == st.end) {
        // An empty message: Go reads io.EOF from the empty buffer.
        st.FailText("EOF");
        return -1;
      }
    }
    first = false;
    TypeId id = ToTypeId(st.Int());
    if (!st.ok()) return -1;
    if (id >= 0) return id;
    DefineType(st, NegateTypeId(id));
    if (!st.ok()) return -1;
    if (st.p != st.end) {
      if (!in_interface) {
        st.FailText("extra data in buffer");
        return -1;
      }
      // Go's layout: a definition inside an interface may be followed by
      // the byte count of a sub-message.
      st.Uint();
      if (!st.ok()) return -1;
    }
  }
}

void DecoderCore::DefineType(DecState& st, TypeId id) {
  if (id < kFirstUserId || defs_.contains(id)) {
    st.FailText("gob: duplicate type received");
    return;
  }
  if (defs_.size() >= options_.max_types) {
    st.Fail(absl::ResourceExhaustedError(
        absl::StrCat("gob: stream defines more than DecoderOptions::max_types (",
                     options_.max_types, ") types")));
    return;
  }
  def_bytes_ += st.remaining();
  if (def_bytes_ > options_.max_type_bytes) {
    st.Fail(absl::ResourceExhaustedError(absl::StrCat(
        "gob: type definitions exceed DecoderOptions::max_type_bytes (",
        options_.max_type_bytes, ")")));
    return;
  }
  WireType wire;
  absl::Status s = ParseWireType(&st.p, st.end, &wire);
  if (!s.ok()) {
    st.Fail(std::move(s));
    return;
  }
  defs_.emplace(id, std::move(wire));
  def_log_.push_back(id);
}

const Type* DecoderCore::Resolve(DecState& st, TypeId id) {
  if (const Type* t = PredefinedType(id)) return t;
  auto found = resolved_.find(id);
  if (found != resolved_.end()) return found->second;
  if (!defs_.contains(id)) return nullptr;

  // Every definition reachable from id must exist before anything is built.
  std::vector<TypeId> order;
  absl::flat_hash_set<TypeId> seen;
  std::vector<TypeId> stack = {id};
  auto known = [&](TypeId c) {
    return PredefinedType(c) != nullptr || resolved_.contains(c);
  };
  while (!stack.empty()) {
    TypeId x = stack.back();
    stack.pop_back();
    if (known(x) || !seen.insert(x).second) continue;
    auto d = defs_.find(x);
    if (d == defs_.end() || d->second.kind == Kind::kInvalid) {
      st.FailText(kErrBadType);
      return nullptr;
    }
    order.push_back(x);
    const WireType& w = d->second;
    switch (w.kind) {
      case Kind::kStruct:
        for (const WireType::Field& f : w.fields) stack.push_back(f.id);
        break;
      case Kind::kSlice:
      case Kind::kArray:
        stack.push_back(w.elem);
        break;
      case Kind::kMap:
        stack.push_back(w.key);
        stack.push_back(w.elem);
        break;
      default:
        break;
    }
  }

  absl::flat_hash_map<TypeId, Type*> built;
  for (TypeId x : order) {
    const WireType& w = defs_.find(x)->second;
    Type* t = TypeAccess::NewShell(&arena_, w.kind, w.name);
    built[x] = t;
    resolved_[x] = t;
    resolved_log_.push_back(x);
  }
  auto get = [&](TypeId c) -> const Type* {
    if (const Type* p = PredefinedType(c)) return p;
    return resolved_.find(c)->second;
  };
  // Parents of each new type, to spread "contains an interface" upwards.
  absl::flat_hash_map<const Type*, std::vector<Type*>> parents;
  std::deque<Type*> marked;
  auto link = [&](Type* parent, const Type* child) {
    if (ContainsInterface(child)) {
      if (!ContainsInterface(parent)) {
        TypeAccess::SetContainsInterface(parent, true);
        marked.push_back(parent);
      }
    } else {
      parents[child].push_back(parent);
    }
  };
  for (TypeId x : order) {
    const WireType& w = defs_.find(x)->second;
    Type* t = built[x];
    switch (w.kind) {
      case Kind::kStruct:
        for (const WireType::Field& f : w.fields) {
          const Type* ft = get(f.id);
          TypeAccess::AddField(t, f.name, ft);
          link(t, ft);
        }
        break;
      case Kind::kSlice:
        TypeAccess::SetElem(t, get(w.elem));
        link(t, t->elem());
        break;
      case Kind::kArray:
        TypeAccess::SetElem(t, get(w.elem));
        TypeAccess::SetLen(t, w.len);
        link(t, t->elem());
        break;
      case Kind::kMap:
        TypeAccess::SetKey(t, get(w.key));
        TypeAccess::SetElem(t, get(w.elem));
        link(t, t->key());
        link(t, t->elem());
        break;
      default:
        break;
    }
  }
  while (!marked.empty()) {
    Type* t = marked.front();
    marked.pop_front();
    auto it = parents.find(t);
    if (it == parents.end()) continue;
    for (Type* parent : it->second) {
      if (!ContainsInterface(parent)) {
        TypeAccess::SetContainsInterface(parent, true);
        marked.push_back(parent);
      }
    }
  }
  return built[id];
}

bool DecoderCore::ReadInterfaceName(DecState& st, absl::string_view* name,
                                    bool skipping) {
  uint64_t n = st.Uint();
  if (!st.ok()) return false;
  if (skipping) {
    if (n > st.remaining()) {
      st.FailText("gob: bad interface encoding: name too large for buffer");
      return false;
    }
  } else {
    if (n > (uint64_t{1} << 31)) {
      st.FailText(absl::StrCat("gob: invalid type name length ", n));
      return false;
    }
    if (n > st.remaining()) {
      st.FailText(absl::StrCat("gob: invalid type name length ", n,
                               ": exceeds input size"));
      return false;
    }
  }
  *name = absl::string_view(reinterpret_cast<const char*>(st.p), n);
  st.p += n;
  if (!skipping && n > 1024) {
    st.FailText(absl::StrCat("gob: name too long (", n,
                             " bytes): ", GoQuote(*name, 20), "..."));
    return false;
  }
  return true;
}

const Type* DecoderCore::ReadConcreteType(DecState& st, bool skipping) {
  TypeId id = TypeSequence(st, /*in_interface=*/true);
  if (!st.ok()) return nullptr;
  if (skipping) {
    // Go drops the byte-counted value without looking at it; we walk it
    // when its type is known (Go's own nested layout needs that) and drop
    // it by its count otherwise.
    DecState quiet = st;
    const Type* t = Resolve(quiet, id);
    if (!quiet.ok()) attempt_status_ = absl::OkStatus();
    if (t != nullptr) {
      st.Uint();
      return st.ok() ? t : nullptr;
    }
    uint64_t n;
    if (!st.Length(&n)) {
      st.FailText("gob: bad interface encoding: data length too large for buffer");
      return nullptr;
    }
    st.p += n;
    return nullptr;
  }
  st.Uint();  // the byte count: not needed to decode
  if (!st.ok()) return nullptr;
  const Type* t = Resolve(st, id);
  if (st.ok() && t == nullptr) st.FailText(kErrBadType);
  return st.ok() ? t : nullptr;
}

const Plan* DecoderCore::FindPlan(PlanKind kind, const Type* remote,
                                  const void* tag) const {
  auto it = plans_.find(PlanKey{kind, remote, tag});
  return it == plans_.end() ? nullptr : it->second;
}

void DecoderCore::AddPlan(PlanKind kind, const Type* remote, const void* tag,
                          const Plan* plan) {
  PlanKey key{kind, remote, tag};
  plans_[key] = plan;
  plan_log_.push_back(key);
}

Plan* DecoderCore::NewPlan(std::string ovfl) {
  plan_arena_.push_back(std::make_unique<Plan>());
  Plan* p = plan_arena_.back().get();
  p->ovfl = std::move(ovfl);
  return p;
}

void DecoderCore::RollbackPlans(const PlanMark& mark) {
  for (size_t i = mark.log; i < plan_log_.size(); ++i) {
    plans_.erase(plan_log_[i]);
  }
  plan_log_.resize(mark.log);
  plan_arena_.resize(mark.arena);
}

const WireType* DecoderCore::Definition(TypeId id) const {
  auto it = defs_.find(id);
  return it == defs_.end() ? nullptr : &it->second;
}

std::string DecoderCore::TypeString(const Type* t) {
  return t == nullptr ? "unknown type" : t->name();
}

}  // namespace netrpc::gob::internal
