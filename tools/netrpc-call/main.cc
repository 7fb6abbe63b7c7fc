// netrpc-call: grpcurl for Go's net/rpc. Calls one method of a net/rpc
// server (gob over TCP or HTTP CONNECT, or jsonrpc) or of its gRPC
// replacement, with the argument as JSON, and prints the reply as JSON the
// way Go's encoding/json writes the Go value. See README.md.
//
//   netrpc-call 127.0.0.1:1234 Arith.Multiply '{"A":7,"B":8}'      # 56
//   netrpc-call --grpc --descriptor_set=arith.pb --unwrap=demo.v1.Product
//       127.0.0.1:50051 Arith.Multiply '{"A":7,"B":8}'             # 56
//   netrpc-call --list 127.0.0.1:8080
//
// Exit status: 0 the reply was printed; 1 the server answered with an error
// (printed as "error: TEXT" on stderr); 2 the call could not be made
// (usage, schema, connection, timeout; "netrpc-call: ..." on stderr).

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <typeinfo>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bridge/convert/gob_to_proto.h"
#include "bridge/convert/json_value.h"
#include "bridge/convert/proto_to_gob.h"
#include "bridge/dynamic_body.h"
#include "bridge/grpc/generic_client.h"
#include "bridge/grpc/status.h"
#include "bridge/mapping.h"
#include "bridge/schema/descriptor_set_source.h"
#include "bridge/schema/schema.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "netrpc/body.h"
#include "netrpc/client.h"
#include "netrpc/errors.h"
#include "netrpc/http.h"
#include "netrpc/jsonrpc/client_codec.h"
#include "netrpc/jsonrpc/internal/encode.h"
#include "netrpc/jsonrpc/internal/scanner.h"
#include "proto/config/v1/bridge.pb.h"
#include "tools/netrpc-call/config.h"
#include "tools/netrpc-call/debug_list.h"
#include "tools/netrpc-call/go_package.h"
#include "tools/netrpc-call/infer.h"

ABSL_FLAG(std::string, http, "",
          "call over HTTP CONNECT (Go's rpc.DialHTTPPath) on this RPC path; "
          "--http alone means /_goRPC_");
ABSL_FLAG(bool, jsonrpc, false, "speak net/rpc/jsonrpc instead of gob");
ABSL_FLAG(bool, grpc, false,
          "call the gRPC service the mapping routes Service.Method to (needs "
          "--descriptor_set or --go_package)");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(5),
          "give up after this long (connecting and calling); 0 waits forever");
ABSL_FLAG(std::string, descriptor_set, "",
          "FileDescriptorSet (protoc --include_imports --descriptor_set_out) "
          "with the method's request and response messages");
ABSL_FLAG(std::string, config, "",
          "bridge mapping: a netrpc.config.v1.Bridge or gateway config file "
          "(.yaml/.yml/.json/.textproto): package, unwrap_messages, "
          "field_names, services or routes");
ABSL_FLAG(std::string, package, "",
          "proto package of the gRPC service (default: the config's, else "
          "the descriptor set's only service of that name)");
ABSL_FLAG(std::vector<std::string>, unwrap, {},
          "full names of messages that stand for a non-struct Go value "
          "(the config's unwrap_messages), comma-separated");
ABSL_FLAG(std::string, go_package, "",
          "Go package directory: generate the proto and config with "
          "netrpc2proto and protoc, then call as with --descriptor_set");
ABSL_FLAG(std::string, netrpc2proto, "",
          "path of tools/netrpc2proto (default: from runfiles, next to this "
          "binary, or on PATH)");
ABSL_FLAG(std::string, protoc, "/usr/bin/protoc", "path of protoc");
ABSL_FLAG(bool, list, false,
          "list the methods of an HTTP net/rpc server from its debug page");
ABSL_FLAG(std::string, debug_path, "/debug/rpc", "the debug page's path");

namespace {

namespace gob = ::netrpc::gob;
using ::netrpc_call::CallConfig;

constexpr absl::string_view kUsage =
    R"(calls a Go net/rpc method with a JSON argument and prints the reply as JSON.

  netrpc-call [flags] ADDR Service.Method [JSON|-]
  netrpc-call --list [--debug_path=/debug/rpc] ADDR

JSON defaults to {}; "-" reads it from stdin. Argument types come from
--descriptor_set (+ --config/--package/--unwrap), or from --go_package, or,
with neither, are inferred from the JSON (objects are structs, 7 is an int,
7.0 a float64). Exit status: 0 ok, 1 the server's error, 2 anything else.)";

// Exit codes.
constexpr int kOk = 0;
constexpr int kServerError = 1;
constexpr int kFailure = 2;

int Fail(const absl::Status& status) {
  std::cerr << "netrpc-call: " << status.message() << "\n";
  return kFailure;
}

int Fail(absl::string_view text) {
  std::cerr << "netrpc-call: " << text << "\n";
  return kFailure;
}

// RawJsonBody is a jsonrpc body that carries JSON text as is: the inferred
// mode's argument and reply over jsonrpc.
class RawJsonBody final : public netrpc::Body {
 public:
  explicit RawJsonBody(std::string json = "") : json_(std::move(json)) {}
  const std::string& json() const { return json_; }

  const std::type_info& type() const override { return typeid(RawJsonBody); }
  void* get() override { return &json_; }
  const void* get() const override { return &json_; }
  absl::Status EncodeGob(gob::Encoder&, std::string*) const override {
    return absl::FailedPreconditionError("a raw JSON body has no gob form");
  }
  absl::Status DecodeGob(gob::Decoder&) override {
    return absl::FailedPreconditionError("a raw JSON body has no gob form");
  }
  absl::Status EncodeJson(std::string* out) const override {
    // Valid JSON (checked before the call), sent compact as Go would.
    netrpc::jsonrpc::internal::AppendCompact(json_, out);
    return absl::OkStatus();
  }
  absl::Status DecodeJson(absl::string_view json) override {
    json_ = std::string(json);
    return absl::OkStatus();
  }

 private:
  std::string json_;
};

// Watchdog ends the process if the network part outlives the timeout (a
// dial that hangs, a server that never answers an HTTP CONNECT).
void StartWatchdog(absl::Duration timeout, std::string what) {
  if (timeout <= absl::ZeroDuration() || timeout == absl::InfiniteDuration()) {
    return;
  }
  std::thread([timeout, what = std::move(what)] {
    absl::SleepFor(timeout + absl::Milliseconds(500));
    std::cerr << "netrpc-call: " << what << ": no answer within "
              << absl::FormatDuration(timeout)
              << " (--timeout; is the address right and the server up?)\n";
    std::cerr.flush();
    _exit(kFailure);
  }).detach();
}

// Schema-driven mode ----------------------------------------------------

struct Schemaed {
  std::shared_ptr<const bridge::Mapping> mapping;
  const bridge::Route* route = nullptr;
};

absl::StatusOr<Schemaed> BuildMapping(
    const std::vector<std::string>& descriptor_sets,
    netrpc::config::v1::Bridge config, const std::string& service_method) {
  size_t dot = service_method.rfind('.');
  if (dot == std::string::npos || dot == 0 ||
      dot + 1 == service_method.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", service_method, "\" is not Service.Method (e.g. Arith.Multiply)"));
  }
  const std::string service = service_method.substr(0, dot);

  std::vector<std::unique_ptr<bridge::DescriptorSetSource>> owned;
  std::vector<bridge::SchemaSource*> sources;
  for (const std::string& f : descriptor_sets) {
    owned.push_back(std::make_unique<bridge::DescriptorSetSource>(f));
    sources.push_back(owned.back().get());
  }
  absl::StatusOr<std::shared_ptr<const bridge::Schema>> schema =
      bridge::Schema::Build(sources);
  if (!schema.ok()) return schema.status();

  if (!absl::GetFlag(FLAGS_package).empty()) {
    config.set_package(absl::GetFlag(FLAGS_package));
  }
  for (const std::string& u : absl::GetFlag(FLAGS_unwrap)) {
    config.add_unwrap_messages(u);
  }
  bool listed = false;
  for (const auto& s : config.services()) listed |= s.name() == service;
  if (!listed) {
    // Find the gRPC service: package.Service, else the only service of
    // that short name in the descriptor set.
    std::string short_name = service.substr(service.rfind('.') + 1);
    std::string grpc_service;
    if (!config.package().empty() &&
        (*schema)->FindService(config.package() + "." + short_name).ok()) {
      grpc_service = config.package() + "." + short_name;
    } else {
      std::vector<std::string> matches, all;
      for (const auto* s : (*schema)->services()) {
        all.push_back(s->full_name());
        if (s->name() == short_name || s->full_name() == service) {
          matches.push_back(s->full_name());
        }
      }
      if (matches.size() != 1) {
        return absl::NotFoundError(absl::StrCat(
            matches.empty() ? "no" : "more than one", " gRPC service named ",
            short_name, " in the descriptor set (it has: ",
            all.empty() ? "none" : absl::StrJoin(all, ", "),
            "); give --package, or a --config whose services or routes "
            "map ", service))
            ;
      }
      grpc_service = matches[0];
    }
    auto* svc = config.add_services();
    svc->set_name(service);
    svc->set_grpc_service(grpc_service);
  }
  absl::StatusOr<std::shared_ptr<const bridge::Mapping>> mapping =
      bridge::Mapping::Build(config, *schema);
  if (!mapping.ok()) return mapping.status();
  Schemaed out;
  out.mapping = *mapping;
  out.route = out.mapping->routes().ByNetRpc(service_method);
  if (out.route == nullptr) {
    std::vector<std::string> names;
    for (const auto& r : out.mapping->routes().routes()) {
      names.push_back(r.netrpc_name());
    }
    return absl::NotFoundError(absl::StrCat(
        "the mapping has no method ", service_method, " (it has: ",
        names.empty() ? "none" : absl::StrJoin(names, ", "), ")"));
  }
  return out;
}

// ArgsFromJson reads the argument as Go's encoding/json would decode it
// into the Go type (Go field names, case-insensitive), else as protobuf
// JSON of the request message (proto or lowerCamel names).
absl::StatusOr<gob::Value> ArgsFromJson(const Schemaed& s,
                                        absl::string_view json) {
  const bridge::Mapping& m = *s.mapping;
  const google::protobuf::Descriptor* in = s.route->method->input_type();
  absl::StatusOr<const gob::Type*> type = m.types().For(in);
  if (!type.ok()) return type.status();
  gob::Value value;
  absl::Status go = bridge::JsonToGobValue(json, *type, &value, m.options());
  if (go.ok()) return value;
  std::unique_ptr<google::protobuf::Message> msg = m.schema().NewMessage(*in);
  auto proto = google::protobuf::util::JsonStringToMessage(
      std::string(json), msg.get());
  if (proto.ok()) {
    return bridge::ProtoToGob(*msg, m.types(), m.options());
  }
  std::string hint;
  if (in->field_count() == 1 && !m.types().names().Unwrapped(in)) {
    hint = absl::StrCat("; if the Go argument is not a struct, pass --unwrap=",
                        in->full_name());
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "the argument does not fit ", (*type)->String(), " (Go's ",
      in->full_name(), "): ", go.message(), " (nor is it protobuf JSON of ",
      in->full_name(), ": ", std::string(proto.message()), ")", hint));
}

// ReplyJson prints a reply through the response message, so that the
// legacy server and its gRPC replacement print the same.
absl::StatusOr<std::string> ReplyJson(const Schemaed& s,
                                      const google::protobuf::Message& reply) {
  absl::StatusOr<gob::Value> v =
      bridge::ProtoToGob(reply, s.mapping->types(), s.mapping->options());
  if (!v.ok()) return v.status();
  std::string out;
  absl::Status st = bridge::GobValueToJson(*v, &out);
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<std::string> GobReplyJson(const Schemaed& s,
                                         const gob::Value& reply) {
  std::unique_ptr<google::protobuf::Message> msg =
      s.mapping->schema().NewMessage(*s.route->method->output_type());
  absl::Status st = bridge::GobToProto(reply, msg.get(), s.mapping->types(),
                                       s.mapping->options());
  if (st.ok()) return ReplyJson(s, *msg);
  const google::protobuf::Descriptor* out_type = s.route->method->output_type();
  std::cerr << "netrpc-call: warning: the reply does not fit "
            << out_type->full_name() << " (" << st.message()
            << "); printed as received";
  if (reply.kind() != gob::Kind::kStruct && out_type->field_count() == 1) {
    std::cerr << " (a one-field message for a non-struct Go value wants "
                 "--unwrap="
              << out_type->full_name() << ")";
  }
  std::cerr << "\n";
  std::string out;
  st = bridge::GobValueToJson(reply, &out);
  if (!st.ok()) return st;
  return out;
}

// The calls ---------------------------------------------------------------

int CallGrpc(const Schemaed& s, const std::string& addr,
             const gob::Value& args, absl::Duration timeout) {
  const bridge::Mapping& m = *s.mapping;
  const google::protobuf::MethodDescriptor& method = *s.route->method;
  std::unique_ptr<google::protobuf::Message> request =
      m.schema().NewMessage(*method.input_type());
  absl::Status st = bridge::GobToProto(args, request.get(), m.types(), m.options());
  if (!st.ok()) return Fail(st);

  bridge::GenericClient client(
      grpc::CreateChannel(addr, grpc::InsecureChannelCredentials()));
  bridge::CallOptions options;
  if (timeout > absl::ZeroDuration()) options.deadline = absl::Now() + timeout;
  options.metadata = s.route->metadata;
  absl::Notification done;
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> result;
  client.Call(method, *request, m.schema().NewMessage(*method.output_type()),
              options,
              [&](absl::StatusOr<std::unique_ptr<google::protobuf::Message>> r) {
                result = std::move(r);
                done.Notify();
              });
  done.WaitForNotification();
  if (!result.ok()) {
    const absl::Status& e = result.status();
    if (e.code() == absl::StatusCode::kUnavailable ||
        e.code() == absl::StatusCode::kDeadlineExceeded ||
        absl::StartsWith(e.message(), "bridge: ")) {
      return Fail(absl::StrCat("gRPC call ", s.route->path, " on ", addr,
                               ": ", bridge::GoStatusText(e)));
    }
    std::cerr << "error: " << bridge::NetRpcErrorText(e) << "\n";
    return kServerError;
  }
  absl::StatusOr<std::string> json = ReplyJson(s, **result);
  if (!json.ok()) return Fail(json.status());
  std::cout << *json << "\n";
  return kOk;
}

absl::StatusOr<std::unique_ptr<netrpc::Client>> DialNetRpc(
    const std::string& addr) {
  if (absl::GetFlag(FLAGS_jsonrpc)) return netrpc::jsonrpc::Dial("tcp", addr);
  if (!absl::GetFlag(FLAGS_http).empty()) {
    return netrpc::DialHTTPPath("tcp", addr, absl::GetFlag(FLAGS_http));
  }
  return netrpc::Dial("tcp", addr);
}

int CallNetRpc(const std::optional<Schemaed>& s, const std::string& addr,
               const std::string& service_method, const std::string& json) {
  const bool jsonrpc = absl::GetFlag(FLAGS_jsonrpc);
  const absl::Duration timeout = absl::GetFlag(FLAGS_timeout);

  std::unique_ptr<netrpc::Body> args;
  std::unique_ptr<netrpc::Body> reply;
  if (s.has_value()) {
    absl::StatusOr<gob::Value> v = ArgsFromJson(*s, json);
    if (!v.ok()) return Fail(v.status());
    const bridge::Mapping& m = *s->mapping;
    absl::StatusOr<const gob::Type*> in = m.types().For(s->route->method->input_type());
    absl::StatusOr<const gob::Type*> out = m.types().For(s->route->method->output_type());
    if (!in.ok()) return Fail(in.status());
    if (!out.ok()) return Fail(out.status());
    auto a = std::make_unique<bridge::DynamicBody>(s->mapping, *in, &m.options());
    a->value() = *std::move(v);
    args = std::move(a);
    if (jsonrpc) {
      reply = std::make_unique<bridge::DynamicBody>(s->mapping, *out, &m.options());
    } else {
      reply = std::make_unique<bridge::DynamicBody>(s->mapping);
    }
  } else if (jsonrpc) {
    absl::Status valid = netrpc::jsonrpc::internal::CheckValid(json);
    if (!valid.ok()) {
      return Fail(absl::StrCat("the argument is not JSON: ", valid.message()));
    }
    args = std::make_unique<RawJsonBody>(json);
    reply = std::make_unique<RawJsonBody>();
  } else {
    absl::StatusOr<netrpc_call::Inferred> inferred =
        netrpc_call::InferGobValue(json);
    if (!inferred.ok()) return Fail(inferred.status());
    auto a = std::make_unique<bridge::DynamicBody>(inferred->arena);
    a->value() = std::move(inferred->value);
    args = std::move(a);
    reply = std::make_unique<bridge::DynamicBody>();
  }

  StartWatchdog(timeout, absl::StrCat("call ", service_method, " on ", addr));
  absl::StatusOr<std::unique_ptr<netrpc::Client>> client = DialNetRpc(addr);
  if (!client.ok()) {
    return Fail(absl::StrCat("cannot connect to ", addr, ": ",
                             client.status().message()));
  }
  netrpc::CallOptions options;
  if (timeout > absl::ZeroDuration()) options.timeout = timeout;
  std::shared_ptr<netrpc::Call> call = (*client)->GoBody(
      service_method, std::move(args), std::move(reply), nullptr, options);
  absl::Status st = call->Wait();
  if (netrpc::IsServerError(st)) {
    std::cerr << "error: " << st.message() << "\n";
    return kServerError;
  }
  if (!st.ok()) {
    if (st.code() == absl::StatusCode::kDeadlineExceeded) {
      return Fail(absl::StrCat(service_method, " on ", addr,
                               ": no reply within ",
                               absl::FormatDuration(timeout), " (--timeout)"));
    }
    std::string hint;
    if (netrpc::IsUnexpectedEOF(st) || netrpc::IsShutdown(st)) {
      hint = jsonrpc ? " (is it a jsonrpc server? drop --jsonrpc for gob)"
                     : " (does it speak gob net/rpc? try --http or --jsonrpc)";
    }
    return Fail(absl::StrCat("call ", service_method, " on ", addr, ": ",
                             st.message(), hint));
  }

  std::string out;
  netrpc::Body& body = call->reply();
  if (auto* raw = dynamic_cast<RawJsonBody*>(&body); raw != nullptr) {
    out = raw->json();  // jsonrpc, inferred: the server's JSON as it sent it
  } else if (gob::Value* v = body.As<gob::Value>(); v != nullptr) {
    absl::StatusOr<std::string> j;
    if (s.has_value()) {
      j = GobReplyJson(*s, *v);
    } else {
      std::string text;
      absl::Status e = bridge::GobValueToJson(*v, &text);
      j = e.ok() ? absl::StatusOr<std::string>(text) : e;
    }
    if (!j.ok()) return Fail(j.status());
    out = *std::move(j);
  }
  std::cout << out << "\n";
  std::cout.flush();
  return kOk;
}

int List(const std::vector<char*>& args) {
  if (args.size() != 2) {
    return Fail("usage: netrpc-call --list [--debug_path=/debug/rpc] ADDR");
  }
  const std::string addr = args[1];
  StartWatchdog(absl::GetFlag(FLAGS_timeout), absl::StrCat("GET ", addr));
  absl::StatusOr<std::string> html =
      netrpc_call::FetchDebugPage(addr, absl::GetFlag(FLAGS_debug_path));
  if (!html.ok()) return Fail(html.status());
  absl::StatusOr<std::vector<netrpc_call::DebugMethod>> methods =
      netrpc_call::ParseDebugPage(*html);
  if (!methods.ok()) {
    return Fail(absl::StrCat("http://", addr, absl::GetFlag(FLAGS_debug_path),
                             ": ", methods.status().message()));
  }
  for (const auto& m : *methods) std::cout << m.ToString() << "\n";
  return kOk;
}

int Main(int argc, char** argv) {
  // `--http` alone is Go's default RPC path (absl string flags need a value).
  std::vector<std::string> rewritten;
  for (int i = 0; i < argc; ++i) {
    absl::string_view a = argv[i];
    if (i > 0 && (a == "--http" || a == "-http")) {
      rewritten.push_back("--http=/_goRPC_");
    } else {
      rewritten.emplace_back(a);
    }
  }
  std::vector<char*> cargv;
  for (auto& s : rewritten) cargv.push_back(s.data());
  cargv.push_back(nullptr);
  absl::SetProgramUsageMessage(kUsage);
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view file) {
    return absl::StrContains(file, "netrpc-call/");
  };
  usage.contains_helpshort_flags = usage.contains_help_flags;
  absl::SetFlagsUsageConfig(usage);
  std::vector<char*> args = absl::ParseCommandLine(argc, cargv.data());

  if (absl::GetFlag(FLAGS_list)) return List(args);
  if (args.size() < 3 || args.size() > 4) {
    return Fail(
        "usage: netrpc-call [flags] ADDR Service.Method [JSON|-] "
        "(--help for the flags)");
  }
  const std::string addr = args[1];
  const std::string service_method = args[2];
  std::string json = args.size() == 4 ? args[3] : "{}";
  if (json == "-") {
    json.assign(std::istreambuf_iterator<char>(std::cin),
                std::istreambuf_iterator<char>());
  }
  const bool grpc = absl::GetFlag(FLAGS_grpc);
  if (absl::GetFlag(FLAGS_jsonrpc) && !absl::GetFlag(FLAGS_http).empty()) {
    return Fail("--jsonrpc and --http do not go together: Go's jsonrpc "
                "has no HTTP transport");
  }
  if (grpc && (absl::GetFlag(FLAGS_jsonrpc) || !absl::GetFlag(FLAGS_http).empty())) {
    return Fail("--grpc calls a gRPC server: drop --jsonrpc and --http");
  }

  // Where the types come from.
  std::vector<std::string> descriptor_sets;
  netrpc::config::v1::Bridge config;
  std::optional<netrpc_call::Generated> generated;
  struct Cleanup {
    std::optional<netrpc_call::Generated>* g;
    ~Cleanup() {
      if (g->has_value()) {
        std::error_code ec;
        std::filesystem::remove_all((*g)->dir, ec);
      }
    }
  } cleanup{&generated};
  if (!absl::GetFlag(FLAGS_go_package).empty()) {
    if (!absl::GetFlag(FLAGS_descriptor_set).empty()) {
      return Fail("give --go_package or --descriptor_set, not both");
    }
    absl::StatusOr<std::string> tool =
        netrpc_call::FindNetrpc2proto(absl::GetFlag(FLAGS_netrpc2proto));
    if (!tool.ok()) return Fail(tool.status());
    netrpc_call::GenerateOptions gen;
    gen.dir = absl::GetFlag(FLAGS_go_package);
    gen.netrpc2proto = *tool;
    gen.protoc = absl::GetFlag(FLAGS_protoc);
    gen.package = absl::GetFlag(FLAGS_package);
    absl::StatusOr<netrpc_call::Generated> g =
        netrpc_call::GenerateFromGoPackage(gen);
    if (!g.ok()) return Fail(g.status());
    generated = *g;
    absl::StatusOr<CallConfig> c = netrpc_call::LoadCallConfig(g->config);
    if (!c.ok()) return Fail(c.status());
    config = c->bridge;
    descriptor_sets = {g->descriptor_set};
  }
  if (!absl::GetFlag(FLAGS_config).empty()) {
    absl::StatusOr<CallConfig> c =
        netrpc_call::LoadCallConfig(absl::GetFlag(FLAGS_config));
    if (!c.ok()) return Fail(c.status());
    if (generated.has_value()) {
      config.MergeFrom(c->bridge);
    } else {
      config = c->bridge;
      descriptor_sets = c->descriptor_sets;
    }
  }
  if (!absl::GetFlag(FLAGS_descriptor_set).empty()) {
    descriptor_sets = {absl::GetFlag(FLAGS_descriptor_set)};
  }
  std::optional<Schemaed> schemaed;
  if (!descriptor_sets.empty()) {
    absl::StatusOr<Schemaed> s =
        BuildMapping(descriptor_sets, config, service_method);
    if (!s.ok()) return Fail(s.status());
    schemaed = *std::move(s);
  } else if (!absl::GetFlag(FLAGS_config).empty() ||
             !absl::GetFlag(FLAGS_package).empty() ||
             !absl::GetFlag(FLAGS_unwrap).empty()) {
    return Fail("--config, --package and --unwrap need a schema: give "
                "--descriptor_set (or --go_package, or a gateway config "
                "with schemas)");
  }

  if (grpc) {
    if (!schemaed.has_value()) {
      return Fail("--grpc needs the message types: give --descriptor_set or "
                  "--go_package");
    }
    absl::StatusOr<gob::Value> v = ArgsFromJson(*schemaed, json);
    if (!v.ok()) return Fail(v.status());
    StartWatchdog(absl::GetFlag(FLAGS_timeout) + absl::Seconds(1),
                  absl::StrCat("gRPC call ", schemaed->route->path, " on ", addr));
    return CallGrpc(*schemaed, addr, *v, absl::GetFlag(FLAGS_timeout));
  }
  return CallNetRpc(schemaed, addr, service_method, json);
}

}  // namespace

int main(int argc, char** argv) {
  int code = Main(argc, argv);
  std::cout.flush();
  std::cerr.flush();
  // Skip static destructors: gRPC's and the netrpc I/O pool's threads may
  // still be winding down.
  _exit(code);
}
