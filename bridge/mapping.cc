#include "bridge/mapping.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "netrpc/base/status_macros.h"
#include "bridge/grpc/status.h"
#include "re2/re2.h"

namespace bridge {
namespace {

absl::StatusOr<absl::StatusCode> ParseCode(absl::string_view name) {
  absl::Span<const absl::string_view> names = CodeNames();
  for (size_t i = 1; i < names.size(); ++i) {  // OK is not an error's code
    if (name == names[i]) return static_cast<absl::StatusCode>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", name, "\" is not a gRPC status code name other than OK (e.g. "
      "NOT_FOUND, INVALID_ARGUMENT)"));
}

}  // namespace

struct Mapping::ErrorRule {
  std::string prefix;
  std::unique_ptr<RE2> regex;
  absl::StatusCode code;
};

Mapping::Mapping(std::shared_ptr<const RouteTable> routes, GoNames names)
    : routes_(std::move(routes)),
      types_(std::move(names)),
      dropped_(std::make_shared<std::atomic<uint64_t>>(0)) {}

absl::StatusOr<std::shared_ptr<const Mapping>> Mapping::Build(
    const netrpc::config::v1::Bridge& config,
    std::shared_ptr<const Schema> schema,
    std::function<void(absl::string_view)> on_drop) {
  NETRPC_ASSIGN_OR_RETURN(std::shared_ptr<const RouteTable> routes,
                          RouteTable::Build(config, std::move(schema)));
  std::shared_ptr<Mapping> m(new Mapping(std::move(routes), GoNames(config)));

  // Derive every route's gob types now, so a schema the mapping cannot
  // express fails the config, not the first call.
  for (const Route& r : m->routes().routes()) {
    for (const auto* d : {r.method->input_type(), r.method->output_type()}) {
      absl::Status s = m->types_.For(d).status();
      if (!s.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "bridge: route ", r.netrpc_name(), " -> ", r.path, ": ",
            s.message()));
      }
    }
  }

  m->options_.unknown_fields = config.unknown_fields();
  m->options_.on_drop = [dropped = m->dropped_,
                         on_drop = std::move(on_drop)](absl::string_view what) {
    dropped->fetch_add(1, std::memory_order_relaxed);
    if (on_drop) on_drop(what);
  };

  for (int i = 0; i < config.error_rules_size(); ++i) {
    const auto& rule = config.error_rules(i);
    std::string where = absl::StrCat("bridge: error_rules[", i, "]");
    auto r = std::make_shared<ErrorRule>();
    absl::StatusOr<absl::StatusCode> code = ParseCode(rule.code());
    if (!code.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".code: ", code.status().message()));
    }
    r->code = *code;
    switch (rule.match_case()) {
      case netrpc::config::v1::ErrorRule::kPrefix:
        r->prefix = rule.prefix();
        break;
      case netrpc::config::v1::ErrorRule::kRegex:
        r->regex = std::make_unique<RE2>(rule.regex(), RE2::Quiet);
        if (!r->regex->ok()) {
          return absl::InvalidArgumentError(absl::StrCat(
              where, ".regex: ", r->regex->error()));
        }
        break;
      case netrpc::config::v1::ErrorRule::MATCH_NOT_SET:
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": give a prefix or a regex"));
    }
    m->error_rules_.push_back(std::move(r));
  }
  return std::shared_ptr<const Mapping>(std::move(m));
}

absl::StatusCode Mapping::CodeForError(absl::string_view error) const {
  for (const auto& r : error_rules_) {
    bool match = r->regex != nullptr ? RE2::FullMatch(
                                           re2::StringPiece(error.data(), error.size()),
                                           *r->regex)
                                     : absl::StartsWith(error, r->prefix);
    if (match) return r->code;
  }
  return absl::StatusCode::kUnknown;
}

}  // namespace bridge
