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

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "bridge/convert/names.h"
#include "google/protobuf/descriptor.h"
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

  // TimeType is the gob type of Go's time.Time.
  const netrpc::gob::Type* TimeType();

  const GoNames& names() const { return names_; }

 private:
  absl::StatusOr<const netrpc::gob::Type*> ForMessageLocked(
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
  absl::flat_hash_map<const google::protobuf::Descriptor*,
                      absl::flat_hash_map<std::string,
                                          const google::protobuf::FieldDescriptor*>>
      go_fields_ ABSL_GUARDED_BY(mu_);
  // The messages the build in progress has cached, undone if it fails.
  std::vector<const google::protobuf::Descriptor*> added_ ABSL_GUARDED_BY(mu_);
};

}  // namespace bridge

#endif  // BRIDGE_CONVERT_GOB_TYPES_H_
