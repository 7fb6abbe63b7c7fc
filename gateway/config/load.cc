#include "gateway/config/load.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#include "gateway/config/internal.h"

namespace gateway::config {

using internal::ErrorList;

// ---- LoadedConfig ----

Position LoadedConfig::PositionOf(absl::string_view path) const {
  std::string p(path);
  while (true) {
    auto it = positions.find(p);
    if (it != positions.end()) return it->second;
    if (p.empty()) return Position{};
    // Drop the last component: ".name", "[3]" or "[\"key\"]" (a quote
    // inside a key is escaped, so "[\"" cannot occur within one).
    size_t cut;
    if (absl::EndsWith(p, "\"]")) {
      cut = p.rfind("[\"");
    } else if (p.back() == ']') {
      cut = p.rfind('[');
    } else {
      cut = p.rfind('.');
    }
    if (cut == std::string::npos) cut = 0;
    p.resize(cut);
  }
}

std::string LoadedConfig::Where(absl::string_view path) const {
  Position pos = PositionOf(path);
  std::string out = file;
  if (pos.known()) absl::StrAppend(&out, ":", pos.line, ":", pos.column);
  if (!path.empty()) absl::StrAppend(&out, ": ", path);
  return out;
}

absl::Status LoadedConfig::Error(absl::string_view path,
                                 absl::string_view what) const {
  return absl::InvalidArgumentError(
      internal::FormatError(file, PositionOf(path), path, what));
}

// ---- helpers ----

namespace internal {

std::string FormatError(absl::string_view file, Position pos,
                        absl::string_view path, absl::string_view what) {
  std::string out(file);
  if (pos.known()) absl::StrAppend(&out, ":", pos.line, ":", pos.column);
  absl::StrAppend(&out, ": ");
  if (!path.empty()) absl::StrAppend(&out, path, ": ");
  absl::StrAppend(&out, what);
  return out;
}

void ErrorList::Add(Position pos, absl::string_view path,
                    absl::string_view what) {
  errors_.push_back(Entry{pos, std::string(path), std::string(what)});
}

void ErrorList::AddAt(const LoadedConfig& config, absl::string_view path,
                      absl::string_view what) {
  Add(config.PositionOf(path), path, what);
}

absl::Status ErrorList::ToStatus(absl::string_view file) const {
  if (errors_.empty()) return absl::OkStatus();
  std::vector<Entry> sorted = errors_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Entry& a, const Entry& b) {
                     return std::make_pair(a.pos.line, a.pos.column) <
                            std::make_pair(b.pos.line, b.pos.column);
                   });
  std::vector<std::string> lines;
  for (const Entry& e : sorted) {
    if (static_cast<int>(lines.size()) == kMaxErrors) {
      lines.push_back(
          absl::StrCat("... and ", sorted.size() - kMaxErrors, " more errors"));
      break;
    }
    lines.push_back(FormatError(file, e.pos, e.path, e.what));
  }
  return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
}

std::string Field(absl::string_view path, absl::string_view name) {
  if (path.empty()) return std::string(name);
  return absl::StrCat(path, ".", name);
}

std::string Index(absl::string_view path, int i) {
  return absl::StrCat(path, "[", i, "]");
}

std::string Key(absl::string_view path, absl::string_view key) {
  return absl::StrCat(path, "[", Quote(key), "]");
}

std::string Quote(absl::string_view s) {
  return absl::StrCat("\"", absl::CEscape(s), "\"");
}

namespace {

size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      size_t cost =
          absl::ascii_tolower(a[i - 1]) == absl::ascii_tolower(b[j - 1]) ? 0
                                                                         : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string Suggestion(absl::string_view word,
                       const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  size_t best_distance = 0;
  for (const std::string& c : candidates) {
    size_t d = EditDistance(word, c);
    if (best == nullptr || d < best_distance) {
      best = &c;
      best_distance = d;
    }
  }
  size_t limit = std::max<size_t>(2, word.size() / 3);
  if (best == nullptr || best_distance > limit ||
      best_distance >= word.size()) {
    return "";
  }
  return absl::StrCat(" (did you mean ", Quote(*best), "?)");
}

std::string FieldSuggestion(absl::string_view word,
                            const google::protobuf::Descriptor* type) {
  std::vector<std::string> names;
  for (int i = 0; i < type->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = type->field(i);
    if (f->json_name() == word && f->name() != word) {
      return absl::StrCat(" (did you mean ", Quote(f->name()),
                          "? field names are snake_case)");
    }
    names.push_back(f->name());
  }
  return Suggestion(word, names);
}

std::string EnumChoices(const google::protobuf::EnumDescriptor* type) {
  std::vector<std::string> names;
  for (int i = 0; i < type->value_count(); ++i) {
    const std::string& name = type->value(i)->name();
    if (absl::EndsWith(name, "_UNSPECIFIED")) continue;
    names.push_back(name);
  }
  return absl::StrJoin(names, ", ");
}

}  // namespace internal

// ---- loading ----

absl::StatusOr<ConfigFormat> FormatOfPath(absl::string_view path) {
  std::string lower = absl::AsciiStrToLower(path);
  for (absl::string_view ext : {".yaml", ".yml", ".json"}) {
    if (absl::EndsWith(lower, ext)) return ConfigFormat::kYaml;
  }
  for (absl::string_view ext : {".textproto", ".txtpb", ".pbtxt"}) {
    if (absl::EndsWith(lower, ext)) return ConfigFormat::kTextproto;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      path,
      ": unknown config format; name the file .yaml or .yml (YAML) or "
      ".textproto, .txtpb or .pbtxt (protobuf text format)"));
}

absl::StatusOr<LoadedConfig> LoadConfigFile(absl::string_view path) {
  absl::StatusOr<ConfigFormat> format = FormatOfPath(path);
  if (!format.ok()) return format.status();
  std::string p(path);
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    int err = errno;
    std::string why = absl::StrCat(
        path, ": cannot read the config file: ", std::strerror(err));
    if (err == ENOENT) return absl::NotFoundError(why);
    if (err == EACCES) return absl::PermissionDeniedError(why);
    return absl::UnavailableError(why);
  }
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return absl::UnavailableError(
        absl::StrCat(path, ": cannot read the config file"));
  }
  return LoadConfigString(text.str(), *format, path);
}

absl::StatusOr<LoadedConfig> LoadConfigString(
    absl::string_view text, ConfigFormat format,
    absl::string_view name_for_errors) {
  LoadedConfig config;
  config.file = std::string(name_for_errors);
  size_t slash = config.file.rfind('/');
  if (slash != std::string::npos) {
    config.base_dir = config.file.substr(0, slash == 0 ? 1 : slash);
  }
  ErrorList errors;
  switch (format) {
    case ConfigFormat::kYaml:
      internal::ParseYaml(text, &config, &errors);
      break;
    case ConfigFormat::kTextproto:
      internal::ParseTextproto(text, &config, &errors);
      break;
  }
  if (!errors.empty()) return errors.ToStatus(config.file);
  ResolveFiles(&config);
  return config;
}

std::string ResolvePath(absl::string_view base_dir, absl::string_view file) {
  if (file.empty() || file[0] == '/' || base_dir.empty()) {
    return std::string(file);
  }
  if (base_dir.back() == '/') return absl::StrCat(base_dir, file);
  return absl::StrCat(base_dir, "/", file);
}

void ResolveFiles(LoadedConfig* config) {
  auto resolve = [config](const std::string& path, std::string* file) {
    if (file->empty()) return;
    std::string resolved = ResolvePath(config->base_dir, *file);
    if (resolved == *file) return;
    config->written_files.emplace(path, *file);
    *file = std::move(resolved);
  };
  netrpc::config::v1::Gateway& g = config->gateway;
  for (int i = 0; i < g.upstreams_size(); ++i) {
    auto* u = g.mutable_upstreams(i);
    if (!u->has_grpc() || !u->grpc().has_tls()) continue;
    auto* tls = u->mutable_grpc()->mutable_tls();
    std::string base = internal::Index("upstreams", i) + ".grpc.tls";
    resolve(base + ".ca_file", tls->mutable_ca_file());
    resolve(base + ".cert_file", tls->mutable_cert_file());
    resolve(base + ".key_file", tls->mutable_key_file());
  }
  for (int i = 0; i < g.schemas_size(); ++i) {
    auto* s = g.mutable_schemas(i);
    if (!s->has_descriptor_set()) continue;
    resolve(internal::Index("schemas", i) + ".descriptor_set",
            s->mutable_descriptor_set());
  }
}

}  // namespace gateway::config
