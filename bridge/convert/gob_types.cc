#include "bridge/convert/gob_types.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

#include "netrpc/base/status_macros.h"

namespace bridge {

namespace gob = ::netrpc::gob;
using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;

WellKnown ClassifyMessage(const Descriptor* message) {
  const std::string& name = message->full_name();
  if (!absl::StartsWith(name, "google.protobuf.")) return WellKnown::kNone;
  if (name == "google.protobuf.Timestamp") return WellKnown::kTimestamp;
  if (name == "google.protobuf.Duration") return WellKnown::kDuration;
  if (absl::EndsWith(name, "Value") && message->field_count() == 1 &&
      message->field(0)->name() == "value" &&
      !message->field(0)->is_repeated() &&
      message->field(0)->type() != FieldDescriptor::TYPE_MESSAGE &&
      message->field(0)->type() != FieldDescriptor::TYPE_ENUM) {
    return WellKnown::kWrapper;
  }
  return WellKnown::kUnsupported;
}

const gob::Type* GobTypes::TimeType() {
  absl::MutexLock lock(&mu_);
  return TimeTypeLocked();
}

const gob::Type* GobTypes::TimeTypeLocked() {
  if (time_ == nullptr) {
    time_ = arena_.NewExternal(gob::Kind::kGobEncoder, "Time");
  }
  return time_;
}

absl::StatusOr<const gob::Type*> GobTypes::For(const Descriptor* message) {
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = types_.find(message);
    if (it != types_.end()) return it->second;
  }
  absl::MutexLock lock(&mu_);
  added_.clear();
  absl::StatusOr<const gob::Type*> t = ForMessageLocked(message);
  if (!t.ok()) {
    // Forget every type this failed build cached: some refer to structs
    // whose field lists it left unfinished.
    for (const Descriptor* d : added_) {
      types_.erase(d);
      indexes_.erase(d);
    }
  }
  added_.clear();
  return t;
}

absl::StatusOr<const gob::Type*> GobTypes::ForMessageLocked(
    const Descriptor* message) {
  auto it = types_.find(message);
  if (it != types_.end()) return it->second;

  const WellKnown well_known = ClassifyMessage(message);
  const gob::Type* t = nullptr;
  bool unwrapped = false;
  switch (well_known) {
    case WellKnown::kTimestamp:
      t = TimeTypeLocked();
      break;
    case WellKnown::kDuration:
      t = gob::IntType();
      break;
    case WellKnown::kWrapper: {
      NETRPC_ASSIGN_OR_RETURN(t, ForFieldLocked(message->field(0), false));
      break;
    }
    case WellKnown::kUnsupported:
      return absl::InvalidArgumentError(absl::StrCat(
          "bridge: ", message->full_name(),
          " has no gob equivalent; use a message of your own instead"));
    case WellKnown::kNone: {
      if (!names_.Unwrapped(message)) return ForStructLocked(message);
      if (std::find(unwrapping_.begin(), unwrapping_.end(), message) !=
          unwrapping_.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "bridge: ", message->full_name(),
            " is unwrapped, and its field ", message->field(0)->full_name(),
            " leads back to it through unwrapped messages only: the Go "
            "value would contain itself; unwrap one of them less"));
      }
      unwrapping_.push_back(message);
      absl::StatusOr<const gob::Type*> inner =
          ForFieldLocked(message->field(0), false);
      unwrapping_.pop_back();
      NETRPC_ASSIGN_OR_RETURN(t, std::move(inner));
      unwrapped = true;
      break;
    }
  }
  added_.push_back(message);
  types_[message] = t;
  MessageIndex& index = indexes_[message];
  index.message_ = message;
  index.well_known_ = well_known;
  index.unwrapped_ = unwrapped;
  return t;
}

absl::StatusOr<const gob::Type*> GobTypes::ForStructLocked(
    const Descriptor* message) {
  // Register the struct before its fields so that recursive messages refer
  // to it, as Go gives a struct its id before building its fields.
  gob::Type* st = arena_.NewStruct(names_.Message(message));
  types_[message] = st;
  added_.push_back(message);
  MessageIndex index;
  index.message_ = message;
  index.type_ = st;
  // A struct breaks any cycle of unwrapped messages around it.
  std::vector<const Descriptor*> outer_unwrapping;
  outer_unwrapping.swap(unwrapping_);
  absl::Cleanup restore = [&] { unwrapping_.swap(outer_unwrapping); };
  for (int i = 0; i < message->field_count(); ++i) {
    const FieldDescriptor* field = message->field(i);
    std::string go_name = names_.Field(field);
    absl::StatusOr<const gob::Type*> ft = ForFieldLocked(field, false);
    absl::Status added =
        ft.ok() ? arena_.AddField(st, go_name, *ft) : ft.status();
    if (!added.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("bridge: field ", field->full_name(), " (Go name ",
                       go_name, "): ", added.message()));
    }
    index.by_name_.emplace(std::move(go_name), field);
  }
  indexes_[message] = std::move(index);
  return st;
}

absl::StatusOr<const gob::Type*> GobTypes::ForFieldLocked(
    const FieldDescriptor* field, bool element) {
  if (field->is_map()) {
    const Descriptor* entry = field->message_type();
    NETRPC_ASSIGN_OR_RETURN(const gob::Type* key,
                            ForFieldLocked(entry->map_key(), true));
    NETRPC_ASSIGN_OR_RETURN(const gob::Type* value,
                            ForFieldLocked(entry->map_value(), true));
    return arena_.NewMap(key, value);
  }
  if (field->is_repeated() && !element) {
    NETRPC_ASSIGN_OR_RETURN(const gob::Type* elem, ForFieldLocked(field, true));
    return arena_.NewSlice(elem);
  }
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_ENUM:
      return gob::IntType();
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
      return gob::UintType();
    case FieldDescriptor::CPPTYPE_FLOAT:
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return gob::FloatType();
    case FieldDescriptor::CPPTYPE_BOOL:
      return gob::BoolType();
    case FieldDescriptor::CPPTYPE_STRING:
      return field->type() == FieldDescriptor::TYPE_BYTES ? gob::BytesType()
                                                          : gob::StringType();
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return ForMessageLocked(field->message_type());
  }
  return absl::InternalError("bridge: unknown field type");
}

const FieldDescriptor* MessageIndex::FindByName(absl::string_view go_name,
                                                int* next) const {
  auto it = by_name_.find(go_name);
  if (it == by_name_.end()) return nullptr;
  *next = it->second->index() + 1;
  return it->second;
}

const FieldDescriptor* GobTypes::FieldByGoName(const Descriptor* message,
                                               absl::string_view go_name) {
  const MessageIndex* index = Index(message);
  int next = 0;
  return index == nullptr || !index->is_struct() ? nullptr
                                                 : index->Find(go_name, &next);
}

const MessageIndex* GobTypes::Index(const Descriptor* message) {
  std::atomic<const MessageIndex*>& slot =
      recent_[(reinterpret_cast<uintptr_t>(message) >> 4) % recent_.size()];
  const MessageIndex* index = slot.load(std::memory_order_acquire);
  if (index != nullptr && index->message_ == message) return index;
  // Otherwise one lookup under one lock once the message's type is built;
  // before that, build it and look again.
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      absl::ReaderMutexLock lock(&mu_);
      auto it = indexes_.find(message);
      if (it != indexes_.end()) {
        slot.store(&it->second, std::memory_order_release);
        return &it->second;
      }
    }
    if (attempt == 0 && !For(message).ok()) return nullptr;
  }
  return nullptr;
}

}  // namespace bridge
