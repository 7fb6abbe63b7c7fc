// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: service.h
//
// Service<T> declares a C++ object's methods as a net/rpc service. C++ has
// no reflection, so where Go's Register discovers methods, a C++ service
// lists them; Go's rules then apply to the list exactly as Go applies them
// to a method set (see Server::Register).
//
//   struct Args { int64_t A = 0, B = 0; };
//   NETRPC_GOB_STRUCT_NAMED(Args, "main.Args", A, B);   // see gob/fields.h
//
//   class Arith {
//    public:
//     absl::Status Multiply(const Args& args, int64_t* reply);   // *Args
//     absl::Status Add(Args args, Reply* reply);                  // Args
//   };
//
//   Arith arith;
//   netrpc::Service<Arith> service("Arith", &arith);
//   service.Method("Multiply", &Arith::Multiply).Method("Add", &Arith::Add);
//   NETRPC_RETURN_IF_ERROR(server.Register(service));
//
// A method is `absl::Status M(A arg, R* reply)`, const or not:
//   * the argument may be taken by value (Go: `args Args`), by const
//     reference or const pointer (Go: `args *Args`); this only changes how
//     the /debug/rpc page spells it;
//   * the reply must be a pointer; the server passes a fresh zero value
//     (an empty map or vector, as Go's reflect.New);
//   * the returned status becomes the response's Error text: its message,
//     verbatim; a non-OK status with an empty message counts as success,
//     as a Go error with empty text does.
// Argument and reply types are gob-encodable: bound structs and the
// built-in types of gob/bind.h (int64_t, std::string, vectors, maps,
// arrays...). /debug/rpc spells them as Go's reflect does, from the
// bindings: "*main.Args", "*map[int]int" (a struct's package comes from its
// NETRPC_GOB_STRUCT_NAMED name).
//
// Go's receiver rule maps to constness: a Service built on a `const T*`
// (Go: Register(value)) offers only const methods; non-const ones are
// skipped and Register's error carries Go's "pass a pointer" hint.
//
// Methods run on the worker pool, several at once: the object must be
// thread-safe. A method marked MethodOptions::inline_ok runs on the I/O
// thread instead and must never block. The object must outlive every Server it is registered with.
//
// ServiceDesc is the type-erased form the server keeps; the bridge builds
// one at run time from descriptors (MethodDesc with its own body factories
// and an asynchronous handler) without any C++ type per method.

#ifndef NETRPC_SERVICE_H_
#define NETRPC_SERVICE_H_

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "netrpc/body.h"
#include "netrpc/gob/bind.h"

namespace netrpc {

// MethodDesc describes one method of a service (Go's methodType).
struct MethodDesc {
  // Done is called exactly once with the method's result, from any thread.
  using Done = std::function<void(absl::Status)>;

  // name is the method's name, the part after the last dot.
  std::string name;
  // arg_type and reply_type are the Go spellings for /debug/rpc and for
  // the exported-type rule, e.g. "*main.Args", "*map[int]int".
  std::string arg_type;
  std::string reply_type;
  // new_arg and new_reply make fresh zero values for one call.
  std::function<std::unique_ptr<Body>()> new_arg;
  std::function<std::unique_ptr<Body>()> new_reply;
  // call runs the method on `arg`, filling `reply`, and calls `done`. It runs
  // on a worker thread (or an I/O thread, see inline_ok) and may finish
  // asynchronously; `arg` and `reply` stay alive until `done` is called.
  // netrpc::CurrentCall() (server.h) describes the caller while `call` runs.
  std::function<void(Body& arg, Body& reply, Done done)> call;
  // inline_ok promises that `call` never blocks and returns quickly: it
  // either finishes at once (a trivially cheap method) or only starts
  // asynchronous work and calls `done` later (the bridge's methods). The
  // server then runs it on the I/O thread that read the request, saving two
  // thread hops, and batches its reply with others read at the same time.
  // A method that may block (locks held long, disk, a synchronous RPC, a
  // sleep) must leave it false: on an I/O thread it would stall every
  // connection of that thread. Default: false.
  bool inline_ok = false;
  // unsuitable, if not empty, says why Go's rules reject the method (logged
  // by Register, which skips it); needs_pointer marks a method skipped only
  // because the receiver is const (Go: a pointer-receiver method).
  std::string unsuitable;
  bool needs_pointer = false;
};

// MethodOptions are per-method hints for Service<T>::Method.
struct MethodOptions {
  // inline_ok: see MethodDesc::inline_ok. Default: false.
  bool inline_ok = false;
};

// ServiceDesc is a service's type name and methods, as Register takes them.
class ServiceDesc {
 public:
  // type_name is the Go name of the receiver type: Register uses it as the
  // service name, RegisterName overrides it.
  explicit ServiceDesc(absl::string_view type_name)
      : type_name_(type_name) {}

  const std::string& type_name() const { return type_name_; }
  const std::vector<MethodDesc>& methods() const { return methods_; }

  // AddMethod adds a method built at run time.
  ServiceDesc& AddMethod(MethodDesc method) {
    methods_.push_back(std::move(method));
    return *this;
  }

 private:
  std::string type_name_;
  std::vector<MethodDesc> methods_;
};

namespace service_internal {

// ArgTraits classifies a method's argument parameter.
template <typename A>
struct ArgTraits {  // by value: Go `args Args`
  using Value = std::decay_t<A>;
  static constexpr bool kPointer = false;
  static constexpr bool kSuitable = std::is_same_v<A, Value>;
  static A Get(Value& v) { return v; }
};
template <typename V>
struct ArgTraits<const V&> {  // Go `args *Args`
  using Value = V;
  static constexpr bool kPointer = true;
  static constexpr bool kSuitable = true;
  static const V& Get(V& v) { return v; }
};
template <typename V>
struct ArgTraits<const V*> {  // Go `args *Args`
  using Value = V;
  static constexpr bool kPointer = true;
  static constexpr bool kSuitable = true;
  static const V* Get(V& v) { return &v; }
};

// ReplyTraits classifies a method's reply parameter; only `R*` qualifies.
template <typename R>
struct ReplyTraits {
  using Value = std::decay_t<std::remove_pointer_t<std::decay_t<R>>>;
  static constexpr bool kPointer = false;
};
template <typename V>
struct ReplyTraits<V*> {
  using Value = V;
  static constexpr bool kPointer = !std::is_const_v<V>;
};

// Unsuitable applies Go's method rules (suitableMethods in server.go) and
// returns Go's log text for the first one broken, or "".
std::string Unsuitable(absl::string_view method, absl::string_view arg_type,
                       absl::string_view reply_type, bool arg_ok,
                       bool reply_pointer);

// IsExported reports whether a Go identifier is exported (upper-case first
// letter).
bool IsExported(absl::string_view name);

// IsExportedOrBuiltinType reports whether a Go type spelling names an
// exported type, a built-in type or an unnamed composite (Go's
// isExportedOrBuiltinType).
bool IsExportedOrBuiltinType(absl::string_view type);

}  // namespace service_internal

// Service declares the methods of a `T` object; see the file comment.
//
// [thread-compatible] Build it on one thread, then Register it.
template <typename T>
class Service : public ServiceDesc {
 public:
  // Service over a mutable object: const and non-const methods qualify
  // (Go: Register(&value)).
  Service(absl::string_view type_name, T* receiver)
      : ServiceDesc(type_name), receiver_(receiver), const_(false) {}

  // Service over a const object: only const methods qualify (Go:
  // Register(value)).
  Service(absl::string_view type_name, const T* receiver)
      : ServiceDesc(type_name),
        receiver_(const_cast<T*>(receiver)),
        const_(true) {}

  // Method declares `fn` as the method `name`. `options.inline_ok` marks a
  // trivially cheap, never-blocking method (see MethodDesc::inline_ok).
  template <typename A, typename R>
  Service& Method(absl::string_view name, absl::Status (T::*fn)(A, R),
                  const MethodOptions& options = {}) {
    return Add<A, R>(name, /*is_const=*/false, options,
                     [fn](T* t, A a, R r) { return (t->*fn)(a, r); });
  }
  template <typename A, typename R>
  Service& Method(absl::string_view name, absl::Status (T::*fn)(A, R) const,
                  const MethodOptions& options = {}) {
    return Add<A, R>(name, /*is_const=*/true, options,
                     [fn](T* t, A a, R r) { return (t->*fn)(a, r); });
  }

 private:
  template <typename A, typename R, typename F>
  Service& Add(absl::string_view name, bool is_const,
               const MethodOptions& options, F invoke) {
    using ArgT = service_internal::ArgTraits<A>;
    using ReplyT = service_internal::ReplyTraits<R>;
    using ArgV = typename ArgT::Value;
    using ReplyV = typename ReplyT::Value;
    MethodDesc m;
    m.name = std::string(name);
    m.arg_type = absl::StrCat(ArgT::kPointer ? "*" : "",
                              gob::Codec<ArgV>::GoString());
    m.reply_type = absl::StrCat(ReplyT::kPointer ? "*" : "",
                                gob::Codec<ReplyV>::GoString());
    m.unsuitable = service_internal::Unsuitable(
        m.name, m.arg_type, m.reply_type, ArgT::kSuitable, ReplyT::kPointer);
    m.needs_pointer = const_ && !is_const;
    m.inline_ok = options.inline_ok;
    m.new_arg = [] { return std::unique_ptr<Body>(new OwnedBody<ArgV>()); };
    m.new_reply = [] {
      return std::unique_ptr<Body>(new OwnedBody<ReplyV>());
    };
    if constexpr (ReplyT::kPointer && ArgT::kSuitable) {
      T* receiver = receiver_;
      m.call = [receiver, invoke](Body& arg, Body& reply, MethodDesc::Done done) {
        ArgV* a = static_cast<ArgV*>(arg.get());
        ReplyV* r = static_cast<ReplyV*>(reply.get());
        done(invoke(receiver, ArgT::Get(*a), r));
      };
    }
    AddMethod(std::move(m));
    return *this;
  }

  T* receiver_;
  bool const_;
};

}  // namespace netrpc

#endif  // NETRPC_SERVICE_H_
