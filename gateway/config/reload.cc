#include "gateway/config/reload.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/text_format.h"

#include "gateway/config/defaults.h"

namespace gateway::config {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using netrpc::config::v1::Gateway;

std::string ValueOf(const Message& m, const FieldDescriptor* f) {
  std::string out;
  google::protobuf::TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  if (f->is_repeated()) {
    std::vector<std::string> items;
    for (int i = 0; i < m.GetReflection()->FieldSize(m, f); ++i) {
      std::string item;
      printer.PrintFieldValueToString(m, f, i, &item);
      items.push_back(item);
    }
    return absl::StrCat("[", absl::StrJoin(items, ", "), "]");
  }
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
      !m.GetReflection()->HasField(m, f)) {
    return "unset";
  }
  printer.PrintFieldValueToString(m, f, -1, &out);
  if (out.empty()) out = "\"\"";
  return out;
}

// Diff appends "what: field changed from A to B" for each differing field.
void Diff(const Message& a, const Message& b, const std::string& what,
          std::vector<std::string>* changes) {
  const auto* type = a.GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    std::string va = ValueOf(a, f), vb = ValueOf(b, f);
    if (va != vb) {
      changes->push_back(absl::StrCat(what, ": ", f->name(), " changed from ",
                                      va, " to ", vb));
    }
  }
}

}  // namespace

absl::Status ReloadCompatible(const Gateway& old_config,
                              const Gateway& next_config) {
  Gateway a = old_config, b = next_config;
  ApplyDefaults(&a);
  ApplyDefaults(&b);
  std::vector<std::string> changes;
  int n = std::max(a.listeners_size(), b.listeners_size());
  for (int i = 0; i < n; ++i) {
    if (i >= b.listeners_size()) {
      changes.push_back(absl::StrCat("listeners[", i, "] (",
                                     a.listeners(i).name(), ") was removed"));
      continue;
    }
    if (i >= a.listeners_size()) {
      changes.push_back(absl::StrCat("listeners[", i, "] (",
                                     b.listeners(i).name(), ") was added"));
      continue;
    }
    Diff(a.listeners(i), b.listeners(i),
         absl::StrCat("listeners[", i, "] (", a.listeners(i).name(), ")"),
         &changes);
  }
  if (a.has_admin() != b.has_admin()) {
    changes.push_back(a.has_admin() ? "admin was removed" : "admin was added");
  } else if (a.has_admin()) {
    Diff(a.admin(), b.admin(), "admin", &changes);
  }
  if (changes.empty()) return absl::OkStatus();
  for (std::string& c : changes) c = absl::StrCat("reload: ", c);
  changes.push_back(
      "reload: restart the gateway to change listeners or admin; the running "
      "config stays in force");
  return absl::FailedPreconditionError(absl::StrJoin(changes, "\n"));
}

}  // namespace gateway::config
