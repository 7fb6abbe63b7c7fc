// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "netrpc/gob/codec_internal.h"
#include "netrpc/gob/type_internal.h"

namespace netrpc::gob::internal {

Type* Describer::Declare(const void* tag, Kind kind, absl::string_view name) {
  Type* t = TypeAccess::NewShell(&arena_, kind, std::string(name));
  types_[tag] = t;
  return t;
}

void Describer::SetElem(Type* t, const Type* elem) {
  TypeAccess::SetElem(t, elem);
}

void Describer::SetKey(Type* t, const Type* key) { TypeAccess::SetKey(t, key); }

void Describer::SetLen(Type* t, int64_t len) { TypeAccess::SetLen(t, len); }

void Describer::AddField(Type* t, absl::string_view name, const Type* type) {
  TypeAccess::AddField(t, std::string(name), type);
}

EncoderCore::EncoderCore(const EncoderOptions& options) : options_(options) {}

bool EncoderCore::HasId(const Type* t) const {
  return t->predefined_id() != 0 || ids_.contains(t->serial());
}

void EncoderCore::SetId(const Type* t) {
  if (HasId(t)) return;
  ids_[t->serial()] = ++last_id_;
}

// AllocIds gives t and the types it reaches their ids in the order Go's
// newTypeObject does: a struct before its fields, a slice, array or map after
// its components, a field or slice element still under construction (a
// cycle) at the point where Go's "if gt.id() == 0 { setTypeId(gt) }" fires.
void EncoderCore::AllocIds(const Type* t) {
  if (!ok()) return;
  if (t == nullptr) {
    Fail(absl::InvalidArgumentError("gob: type with a missing component"));
    return;
  }
  if (HasId(t) || !building_.insert(t->serial()).second) return;
  switch (t->kind()) {
    case Kind::kStruct:
      SetId(t);
      for (const Type::Field& f : t->fields()) {
        AllocIds(f.type);
        if (!ok()) return;
        SetId(f.type);
      }
      break;
    case Kind::kSlice:
      AllocIds(t->elem());
      if (!ok()) return;
      SetId(t);
      SetId(t->elem());
      break;
    case Kind::kArray:
      AllocIds(t->elem());
      SetId(t);
      break;
    case Kind::kMap:
      AllocIds(t->key());
      AllocIds(t->elem());
      SetId(t);
      break;
    case Kind::kGobEncoder:
    case Kind::kBinaryMarshaler:
    case Kind::kTextMarshaler:
      SetId(t);
      break;
    default:
      Fail(absl::InvalidArgumentError(absl::StrCat(
          "gob: cannot send a definition of ", KindName(t->kind()),
          " type ", t->String())));
      break;
  }
}

TypeId EncoderCore::IdOf(const Type* t) {
  if (t == nullptr) {
    Fail(absl::InvalidArgumentError("gob: cannot encode nil value"));
    return 0;
  }
  if (t->predefined_id() != 0) return t->predefined_id();
  auto it = ids_.find(t->serial());
  if (it != ids_.end()) return it->second;
  AllocIds(t);
  building_.clear();
  it = ids_.find(t->serial());
  return it == ids_.end() ? 0 : it->second;
}

void EncoderCore::WriteMessage(std::string* w, std::string* b) {
  size_t len = b->size() - kMessageHead;
  if (len >= options_.max_message_size || len >= kGoTooBig) {
    Fail(absl::ResourceExhaustedError("gob: encoder: message too big"));
    b->resize(kMessageHead);
    return;
  }
  std::string prefix;  // at most 9 bytes: no allocation
  AppendUint(&prefix, len);
  size_t k = prefix.size();
  std::memcpy(&(*b)[kMessageHead - k], prefix.data(), k);
  w->append(b->data() + kMessageHead - k, len + k);
  b->resize(kMessageHead);
}

void EncoderCore::SendType(std::string* w, std::string* b, const Type* t) {
  if (!ok() || t == nullptr || t->predefined_id() != 0 ||
      sent_.contains(t->serial())) {
    return;
  }
  WireType wire;
  wire.kind = t->kind();
  wire.name = t->name();
  wire.id = IdOf(t);
  switch (t->kind()) {
    case Kind::kStruct:
      wire.fields.reserve(t->fields().size());
      for (const Type::Field& f : t->fields()) {
        wire.fields.push_back({f.name, IdOf(f.type)});
      }
      break;
    case Kind::kSlice:
      wire.elem = IdOf(t->elem());
      break;
    case Kind::kArray:
      wire.elem = IdOf(t->elem());
      wire.len = t->len();
      break;
    case Kind::kMap:
      wire.key = IdOf(t->key());
      wire.elem = IdOf(t->elem());
      break;
    default:
      break;
  }
  if (!ok()) return;
  AppendInt(b, -wire.id);
  AppendWireType(wire, b);
  WriteMessage(w, b);
  if (!ok()) return;
  sent_.insert(t->serial());
  sent_log_.push_back(t->serial());
  // Then what it refers to, in Go's sendActualType order.
  switch (t->kind()) {
    case Kind::kStruct:
      for (const Type::Field& f : t->fields()) SendType(w, b, f.type);
      break;
    case Kind::kSlice:
    case Kind::kArray:
      SendType(w, b, t->elem());
      break;
    case Kind::kMap:
      SendType(w, b, t->key());
      SendType(w, b, t->elem());
      break;
    default:
      break;
  }
}

void EncoderCore::SendTypeDescriptor(std::string* w, std::string* b,
                                     const Type* t) {
  SendType(w, b, t);
}

std::string* EncoderCore::AcquireBuffer() {
  std::string* b;
  if (pool_.empty()) {
    b = new std::string();
  } else {
    b = pool_.back().release();
    pool_.pop_back();
  }
  b->assign(kMessageHead, '\0');
  return b;
}

void EncoderCore::ReleaseBuffer(std::string* b) {
  pool_.emplace_back(b);
}

absl::Status EncoderCore::Encode(const Type* type,
                                 absl::FunctionRef<void(EncState&)> body,
                                 std::string* out) {
  err_ = absl::OkStatus();
  writers_.assign(1, out);
  message_.assign(kMessageHead, '\0');
  pending_defs_.clear();
  in_value_ = false;

  TypeId id = 0;
  bool hot = false;
  if (type != nullptr) {
    for (const SentEntry& e : hot_) {
      if (e.serial == type->serial()) {
        id = e.id;
        hot = true;
        break;
      }
    }
  }
  if (!hot) {
    id = IdOf(type);
    SendTypeDescriptor(out, &message_, type);
    if (!ok()) return err_;
  }

  size_t defs_end = out->size();
  size_t sent_mark = sent_log_.size();
  in_value_ = true;
  AppendInt(&message_, id);
  EncState st{this, &message_, options_.max_depth};
  body(st);
  if (ok() && !pending_defs_.empty()) out->append(pending_defs_);
  if (ok()) WriteMessage(out, &message_);
  in_value_ = false;
  writers_.clear();
  if (ok() && !hot &&
      (type->predefined_id() != 0 || sent_.contains(type->serial()))) {
    hot_[hot_next_++ % hot_.size()] = SentEntry{type->serial(), id};
  }
  if (!ok()) {
    // Drop the value, including any part Go's layout flushed early, and
    // forget the definitions that went with it.
    out->resize(defs_end);
    for (size_t i = sent_mark; i < sent_log_.size(); ++i) {
      sent_.erase(sent_log_[i]);
    }
    sent_log_.resize(sent_mark);
  }
  return err_;
}

void EncoderCore::EncodeInterface(EncState& st, absl::string_view name,
                                  const Type* concrete,
                                  absl::FunctionRef<void(EncState&)> body) {
  if (!st.Enter()) return;
  AppendString(st.b, name);
  TypeId id = IdOf(concrete);
  if (!ok()) return;
  if (options_.interface_layout == InterfaceLayout::kUpFront && in_value_) {
    std::string* scratch = AcquireBuffer();
    SendTypeDescriptor(&pending_defs_, scratch, concrete);
    ReleaseBuffer(scratch);
  } else {
    // Go flushes the partial message in st.b together with the first
    // definition; the value then continues in a fresh message.
    SendTypeDescriptor(writers_.back(), st.b, concrete);
  }
  AppendInt(st.b, id);
  writers_.push_back(st.b);
  std::string* data = AcquireBuffer();
  EncState inner{this, data, st.depth_left};
  body(inner);
  writers_.pop_back();
  if (ok()) WriteMessage(st.b, data);
  ReleaseBuffer(data);
  st.Leave();
}

}  // namespace netrpc::gob::internal
