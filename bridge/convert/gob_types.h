// File: gob_types.h
//
// GobTypes derives gob type descriptions from protobuf descriptors, so the
// bridge can send a Go peer a value of a type it has never seen declared in
// C++: the type definitions a Go net/rpc client or server expects, with Go
// field names (see names.h), built once per message type and cached.
//
//   bridge::GobTypes types(names);
//   NETRPC_ASSIGN_OR_RETURN(const netrpc::gob::Type* t,
//                           types.For(Args::descriptor()));
//
// The mapping (DESIGN.md's contract):
//
//   protobuf                                   gob / Go
//   message                                    struct, fields by Go name
//   message with (netrpc.options.v1.unwrap)    its single field's type
//   int32 int64 sint* sfixed* enum             int
//   uint32 uint64 fixed32 fixed64              uint
//   float double                               float
//   bool / string / bytes                      bool / string / []byte
//   repeated T                                 []T
//   map<K, V>                                  map[K]V
//   google.protobuf.Timestamp                  time.Time (GobEncoder "Time")
//   google.protobuf.Duration                   time.Duration (int)
//   google.protobuf.*Value wrappers            the wrapped scalar (Go *T)
//
// Any other well-known type (Any, Struct, Value, ...) has no gob form and is
// an error naming the field.

#ifndef BRIDGE_CONVERT_GOB_TYPES_H_
#define BRIDGE_CONVERT_GOB_TYPES_H_

#include <array>
#include <atomic>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/descriptor.h"

#include "bridge/convert/names.h"
#include "netrpc/gob/type.h"

namespace bridge {

// WellKnown classifies the message types the mapping treats specially.
enum class WellKnown {
  kNone,       // an ordinary message: a gob struct
  kTimestamp,  // google.protobuf.Timestamp
  kDuration,   // google.protobuf.Duration
  kWrapper,    // google.protobuf.{Double,Float,Int64,...,Bytes}Value
  kUnsupported,
};

// ClassifyMessage returns how the mapping treats `message`.
WellKnown ClassifyMessage(const google::protobuf::Descriptor* message);

// MessageIndex is what GobTypes knows of a message whose gob type it has
// built: how the mapping treats it and, for a gob struct, its fields by Go
// name. It spares a converter classifying the message and hashing every
// field name. [immutable, thread-safe]
class MessageIndex {
 public:
  // well_known is ClassifyMessage(message).
  WellKnown well_known() const { return well_known_; }

  // unwrapped is GoNames::Unwrapped(message) for an ordinary message.
  bool unwrapped() const { return unwrapped_; }

  // is_struct: the message is a gob struct (an ordinary message, not
  // unwrapped), whose fields Find finds.
  bool is_struct() const { return type_ != nullptr; }

  // Find returns the field whose Go name is go_name, or nullptr. *next is
  // the index of the field to try first, and is set past the field found:
  // Go sends a struct's fields in declaration order, which is the proto's,
  // so one string comparison usually does. Start a struct with *next = 0.
  // Requires is_struct().
  const google::protobuf::FieldDescriptor* Find(absl::string_view go_name,
                                                int* next) const {
    const std::vector<netrpc::gob::Type::Field>& fields = type_->fields();
    if (static_cast<size_t>(*next) < fields.size() &&
        fields[*next].name == go_name) {
      return message_->field((*next)++);
    }
    return FindByName(go_name, next);
  }

 private:
  friend class GobTypes;

  const google::protobuf::FieldDescriptor* FindByName(absl::string_view go_name,
                                                      int* next) const;

  const google::protobuf::Descriptor* message_ = nullptr;
  WellKnown well_known_ = WellKnown::kNone;
  bool unwrapped_ = false;
  // A struct's gob type, whose field i is message_->field(i); else null.
  const netrpc::gob::Type* type_ = nullptr;
  absl::flat_hash_map<std::string, const google::protobuf::FieldDescriptor*>
      by_name_;
};

// GobTypes caches the gob type of every message it is asked about. It owns
// the types, so it must outlive every Value and Encoder that uses them.
// [thread-safe]
class GobTypes {
 public:
  explicit GobTypes(GoNames names) : names_(std::move(names)) {}

  // For returns the gob type that stands for `message` on the net/rpc side.
  absl::StatusOr<const netrpc::gob::Type*> For(
      const google::protobuf::Descriptor* message);

  // FieldByGoName returns the field of `message` whose Go name is go_name,
  // or nullptr.
  const google::protobuf::FieldDescriptor* FieldByGoName(
      const google::protobuf::Descriptor* message, absl::string_view go_name);

  // Index returns the index of `message`, building its gob type first if
  // need be, or nullptr if that fails. The index lives as long as this
  // GobTypes; after the first call for a message, looking it up usually
  // takes no lock.
  const MessageIndex* Index(const google::protobuf::Descriptor* message);

  // TimeType is the gob type of Go's time.Time.
  const netrpc::gob::Type* TimeType();

  const GoNames& names() const { return names_; }

 private:
  absl::StatusOr<const netrpc::gob::Type*> ForMessageLocked(
      const google::protobuf::Descriptor* message)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<const netrpc::gob::Type*> ForStructLocked(
      const google::protobuf::Descriptor* message)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<const netrpc::gob::Type*> ForFieldLocked(
      const google::protobuf::FieldDescriptor* field, bool element)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const netrpc::gob::Type* TimeTypeLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const GoNames names_;
  absl::Mutex mu_;
  netrpc::gob::TypeArena arena_ ABSL_GUARDED_BY(mu_);
  const netrpc::gob::Type* time_ ABSL_GUARDED_BY(mu_) = nullptr;
  absl::flat_hash_map<const google::protobuf::Descriptor*,
                      const netrpc::gob::Type*>
      types_ ABSL_GUARDED_BY(mu_);
  // A node map: Index hands out pointers to its values.
  absl::node_hash_map<const google::protobuf::Descriptor*, MessageIndex>
      indexes_ ABSL_GUARDED_BY(mu_);
  // Index's lock-free path: a direct-mapped cache of indexes_ values.
  // It only holds indexes that a completed For published, which are never
  // erased.
  std::array<std::atomic<const MessageIndex*>, 64> recent_{};
  // The messages the build in progress has cached, undone if it fails.
  std::vector<const google::protobuf::Descriptor*> added_ ABSL_GUARDED_BY(mu_);
  // The unwrapped messages being built since the last struct: meeting one
  // again means a value that contains itself, with no struct to break it.
  std::vector<const google::protobuf::Descriptor*> unwrapping_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace bridge

#endif  // BRIDGE_CONVERT_GOB_TYPES_H_
