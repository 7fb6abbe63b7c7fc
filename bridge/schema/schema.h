// File: schema.h
//
// Schema is the bridge's view of the protobuf world: the files of one or more
// SchemaSources linked into one DescriptorPool, a DynamicMessageFactory that
// makes messages of any type in it, and lookups by gRPC method path. A Schema
// never changes once built; a reload builds a new one and swaps it into a
// CurrentSchema, while calls in flight keep the snapshot they started with.
//
//   bridge::DescriptorSetSource file("/etc/gateway/arith.pb");
//   absl::StatusOr<std::shared_ptr<const bridge::Schema>> schema =
//       bridge::Schema::Build({&file});
//   if (!schema.ok()) return schema.status();
//   absl::StatusOr<const google::protobuf::MethodDescriptor*> method =
//       (*schema)->FindMethod("/demo.v1.Arith/Multiply");
//   std::unique_ptr<google::protobuf::Message> args =
//       (*schema)->NewMessage(*(*method)->input_type());
//
// Ownership: descriptors and messages made by a Schema point into it. Keep the
// shared_ptr<const Schema> alive as long as any of them.

#ifndef BRIDGE_SCHEMA_SCHEMA_H_
#define BRIDGE_SCHEMA_SCHEMA_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"

#include "bridge/schema/schema_source.h"

namespace bridge {

// Schema is an immutable, linked set of protobuf files. [thread-safe]
class Schema {
 public:
  // Build loads every source, in order, and links all their files. A file
  // that two sources both provide must be the same in both (comments aside).
  // Errors name the source and file at fault: a source's own Load() error, an
  // import that no source provides, a file two sources define differently,
  // or a descriptor that does not link (duplicate symbol, unknown type).
  static absl::StatusOr<std::shared_ptr<const Schema>> Build(
      absl::Span<SchemaSource* const> sources);

  // FromFiles links files that are already loaded; origin names them in
  // errors ("test files").
  static absl::StatusOr<std::shared_ptr<const Schema>> FromFiles(
      std::vector<google::protobuf::FileDescriptorProto> files,
      absl::string_view origin);

  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;

  // FindMethod looks up a gRPC method path, "/demo.v1.Arith/Multiply".
  // kInvalidArgument if path is not of that form, kNotFound (listing what the
  // schema does have) if the service or method is unknown.
  absl::StatusOr<const google::protobuf::MethodDescriptor*> FindMethod(
      absl::string_view path) const;

  // FindMethod looks up a method by the service's full name
  // ("demo.v1.Arith") and the method's name ("Multiply").
  absl::StatusOr<const google::protobuf::MethodDescriptor*> FindMethod(
      absl::string_view service, absl::string_view method) const;

  // FindService looks up a service by its full name, "demo.v1.Arith".
  absl::StatusOr<const google::protobuf::ServiceDescriptor*> FindService(
      absl::string_view service) const;

  // services lists every service in the schema, sorted by full name.
  const std::vector<const google::protobuf::ServiceDescriptor*>& services()
      const {
    return services_;
  }

  // NewMessage returns an empty DynamicMessage of type, which must belong to
  // this schema's pool (a method's input_type() or output_type()).
  std::unique_ptr<google::protobuf::Message> NewMessage(
      const google::protobuf::Descriptor& type) const;

  // pool holds every file of the schema, with the comments the sources gave.
  const google::protobuf::DescriptorPool& pool() const { return *pool_; }

 private:
  Schema();

  // Declared before factory_, so that the factory (whose prototypes point
  // into the pool) is destroyed first.
  std::unique_ptr<google::protobuf::DescriptorPool> pool_;
  std::unique_ptr<google::protobuf::DynamicMessageFactory> factory_;
  std::vector<const google::protobuf::ServiceDescriptor*> services_;
};

// MethodPath returns the gRPC path of method, "/demo.v1.Arith/Multiply".
std::string MethodPath(const google::protobuf::MethodDescriptor& method);

// CurrentSchema holds the Schema that new calls use; a reload Set()s a new
// one while calls in flight finish on the snapshot they Get() at their start.
// [thread-safe]
//
//   bridge::CurrentSchema current(*initial);
//   std::shared_ptr<const bridge::Schema> snapshot = current.Get();  // a call
//   current.Set(*reloaded);                                        // a reload
class CurrentSchema {
 public:
  // CurrentSchema starts with initial, which must not be null.
  explicit CurrentSchema(std::shared_ptr<const Schema> initial);

  // Get returns the current snapshot, never null.
  std::shared_ptr<const Schema> Get() const ABSL_LOCKS_EXCLUDED(mu_);

  // Set makes next, which must not be null, the snapshot of later Get()s.
  void Set(std::shared_ptr<const Schema> next) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const Schema> schema_ ABSL_GUARDED_BY(mu_);
};

}  // namespace bridge

#endif  // BRIDGE_SCHEMA_SCHEMA_H_
