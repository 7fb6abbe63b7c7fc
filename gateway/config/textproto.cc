// Protobuf text format through google::protobuf::TextFormat::Parser. Its
// messages carry only a position; Locate re-tokenizes the text up to it to
// name the field path, and Reword says more where it can (unknown fields get
// a "did you mean", unknown enum values the list of names, a duration
// written as a string the textproto form). The ParseInfoTree gives every
// field's position.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"

#include "gateway/config/internal.h"

namespace gateway::config::internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::TextFormat;

// Between returns the text between the first two quote characters after
// `after` in s, or "" if there are none.
absl::string_view Between(absl::string_view s, absl::string_view after,
                          char quote) {
  size_t start = s.find(after);
  if (start == absl::string_view::npos) return "";
  start = s.find(quote, start + after.size());
  if (start == absl::string_view::npos) return "";
  size_t end = s.find(quote, start + 1);
  if (end == absl::string_view::npos) return "";
  return s.substr(start + 1, end - start - 1);
}

class NullCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, google::protobuf::io::ColumnNumber,
                const std::string&) override {}
};

// Located is the field at an error position.
struct Located {
  std::string message_path;  // the message being parsed ("listeners[0]")
  std::string field_path;    // the field whose value is being parsed, or ""
  const FieldDescriptor* field = nullptr;
};

// Locate re-tokenizes text up to (line, column), both 0-based, following
// the nesting of messages to name the field path there. TextFormat's errors
// carry only a position; this gives them the path the YAML loader gives.
Located Locate(absl::string_view text, const Descriptor* root, int line,
               int column) {
  using google::protobuf::io::Tokenizer;
  struct Frame {
    const Descriptor* type;
    std::string path;
    absl::flat_hash_map<std::string, int> counts;
    // While a "field: [ ... ]" list is open in this frame: its name.
    std::string list;
    const FieldDescriptor* list_field = nullptr;
  };
  std::vector<Frame> stack;
  stack.push_back(Frame{root, "", {}, "", nullptr});
  Located at;
  bool expecting_name = true;
  std::string name;
  const FieldDescriptor* field = nullptr;

  google::protobuf::io::ArrayInputStream input(text.data(),
                                               static_cast<int>(text.size()));
  NullCollector null;
  Tokenizer tok(&input, &null);
  tok.set_comment_style(Tokenizer::SH_COMMENT_STYLE);
  auto element_path = [](Frame& f, const std::string& n,
                         const FieldDescriptor* fd) {
    std::string p = Field(f.path, n);
    int i = f.counts[n]++;
    if (fd != nullptr && fd->is_repeated() && !fd->is_map()) p = Index(p, i);
    return p;
  };
  while (tok.Next()) {
    const Tokenizer::Token& t = tok.current();
    if (std::make_pair(t.line, t.column) >= std::make_pair(line, column)) {
      Frame& top = stack.back();
      if (!top.list.empty() && t.text != "]") {
        // The error is about the next element of an open list.
        at.field_path = Field(top.path, top.list);
        if (top.list_field != nullptr && !top.list_field->is_map()) {
          at.field_path = Index(at.field_path, top.counts[top.list]);
        }
        at.field = top.list_field;
      }
      break;
    }
    Frame& top = stack.back();
    const std::string& x = t.text;
    if (!top.list.empty()) {  // inside "field: [ ... ]"
      if (x == "]") {
        top.list.clear();
        expecting_name = true;
        at.field_path.clear();
      } else if (x == "{" || x == "<") {
        std::string p = element_path(top, top.list, top.list_field);
        const FieldDescriptor* lf = top.list_field;
        stack.push_back(Frame{
            lf != nullptr ? lf->message_type() : nullptr, p, {}, "", nullptr});
        expecting_name = true;
        at.field_path.clear();
      } else if (x != "," && x != "-") {
        at.field_path = element_path(top, top.list, top.list_field);
        at.field = top.list_field;
      }
      continue;
    }
    if (x == "}" || x == ">") {
      if (stack.size() > 1) stack.pop_back();
      expecting_name = true;
      at.field_path.clear();
      continue;
    }
    if (x == ";" || x == ",") {
      expecting_name = true;
      at.field_path.clear();
      continue;
    }
    if (expecting_name) {
      if (t.type == Tokenizer::TYPE_IDENTIFIER) {
        name = x;
        field = top.type != nullptr ? top.type->FindFieldByName(name) : nullptr;
        at.field = field;
        // The element this value will be (counted when the value comes).
        at.field_path = Field(top.path, name);
        if (field != nullptr && field->is_repeated() && !field->is_map()) {
          at.field_path = Index(at.field_path, top.counts[name]);
        }
        expecting_name = false;
      }
      continue;  // "[ext]" names and concatenated strings are skipped
    }
    // The value of `name`.
    if (x == ":" || x == "-") continue;
    if (x == "[") {
      top.list = name;
      top.list_field = field;
      continue;
    }
    at.field_path = element_path(top, name, field);
    if (x == "{" || x == "<") {
      stack.push_back(Frame{field != nullptr && field->message_type() != nullptr
                                ? field->message_type()
                                : nullptr,
                            at.field_path,
                            {},
                            "",
                            nullptr});
      at.field_path.clear();
    }
    // A scalar value ends the field, but an error reported at the next
    // token is still about it: at.field_path stays until the next name.
    expecting_name = true;
  }
  at.message_path = stack.back().path;
  return at;
}

// Reword turns TextFormat's message at (line, column) into the config's
// words and the field path it is about.
void Reword(const std::string& message, const Descriptor* root,
            absl::string_view text, const std::vector<absl::string_view>& lines,
            int line, int column, ErrorList* errors) {
  const google::protobuf::DescriptorPool* pool = root->file()->pool();
  std::string what = message;
  std::string token;  // the offending text, when the message names it
  bool about_message = false;
  const Descriptor* unknown_in = nullptr;
  std::string enum_value, unknown_field;
  absl::string_view got = message;
  bool at_end = false;
  if (absl::StrContains(message, "has no field named")) {
    unknown_in = pool->FindMessageTypeByName(
        std::string(Between(message, "Message type", '"')));
    unknown_field = std::string(Between(message, "has no field named", '"'));
    if (unknown_in != nullptr && !unknown_field.empty()) {
      token = unknown_field;
      about_message = true;
      what = absl::StrCat("unknown field ", Quote(unknown_field),
                          FieldSuggestion(unknown_field, unknown_in));
    }
  } else if (absl::StartsWith(message, "Unknown enumeration value of")) {
    enum_value =
        std::string(Between(message, "Unknown enumeration value of", '"'));
    token = enum_value;
  } else if (absl::StartsWith(message, "Field \"") &&
             absl::StrContains(message, "another member of oneof")) {
    // Field "netrpc" is specified along with field "grpc", another member
    // of oneof "kind".
    std::string second(Between(message, "Field", '"'));
    std::string first(Between(message, "along with field", '"'));
    std::string oneof(Between(message, "member of oneof", '"'));
    about_message = true;
    what = absl::StrCat("both ", Quote(first), " and ", Quote(second),
                        " are set, but they are alternatives (oneof ", oneof,
                        "); keep one");
  } else if (absl::StartsWith(message, "Non-repeated field")) {
    what = "set twice; keep one";
  } else if (absl::StartsWith(message, "Invalid value for boolean field")) {
    token = std::string(Between(message, "Value:", '"'));
    what =
        absl::StrCat(Quote(token), " is not a boolean (write true or false)");
  } else if (absl::ConsumePrefix(&got, "Expected integer, got: ")) {
    what = got == "-" ? "a negative number is not allowed here"
                      : absl::StrCat(got, " is not an integer");
  } else if (absl::ConsumePrefix(&got, "Expected string, got: ")) {
    what = absl::StrCat("expected a string in double quotes, found ", got);
  } else if (absl::ConsumePrefix(&got, "Integer out of range (")) {
    absl::ConsumeSuffix(&got, ")");
    what = absl::StrCat(got, " is out of range");
  } else if (message == "Expected identifier, got: ") {
    at_end = true;  // the text ended inside a message
  }
  // TextFormat reports the token after the offending one; point at the
  // offending one when it is on the same line.
  if (!token.empty() && line >= 0 && line < static_cast<int>(lines.size())) {
    absl::string_view l = lines[line];
    size_t found = l.substr(0, std::min<size_t>(column, l.size())).rfind(token);
    if (found != absl::string_view::npos) column = static_cast<int>(found);
  }
  std::string path;
  if (line >= 0) {
    Located at = Locate(text, root, line, column);
    path = about_message || at.field_path.empty() ? at.message_path
                                                  : at.field_path;
    if (at_end) {
      what =
          absl::StrCat("the file ends inside ",
                       at.message_path.empty() ? "the config" : at.message_path,
                       "; a closing \"}\" is missing");
      path.clear();
    } else if (at.field != nullptr &&
               absl::StartsWith(message, "Integer out of range")) {
      absl::StrAppend(&what, " for ", at.field->type_name());
    }
    if (!enum_value.empty() && at.field != nullptr &&
        at.field->enum_type() != nullptr) {
      what = absl::StrCat(Quote(enum_value), " is not one of ",
                          EnumChoices(at.field->enum_type()));
    } else if (at.field != nullptr && at.field->message_type() != nullptr &&
               at.field->message_type()->full_name() ==
                   "google.protobuf.Duration" &&
               absl::StartsWith(message, "Expected \"{\"")) {
      what = absl::StrCat(
          "a duration in textproto is a message, e.g. ", at.field->name(),
          " { seconds: 1 nanos: 500000000 } (Go-style strings such as "
          "\"1.5s\" are for YAML)");
    } else if (about_message && path.empty() && unknown_in != root) {
      absl::StrAppend(&what, " in ", unknown_in->name());
    }
  }
  Position pos = line >= 0 ? Position{line + 1, column + 1} : Position{};
  errors->Add(pos, path, what);
}

class Collector : public google::protobuf::io::ErrorCollector {
 public:
  Collector(ErrorList* errors, const Descriptor* root, absl::string_view text)
      : errors_(errors),
        root_(root),
        text_(text),
        lines_(absl::StrSplit(text, '\n')) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    Reword(message, root_, text_, lines_, line, column, errors_);
  }

  void AddWarning(int, google::protobuf::io::ColumnNumber,
                  const std::string&) override {}

 private:
  ErrorList* errors_;
  const Descriptor* root_;
  absl::string_view text_;
  std::vector<absl::string_view> lines_;
};

Position FromLocation(const TextFormat::ParseLocation& loc) {
  if (loc.line < 0) return Position{};
  return Position{loc.line + 1, loc.column + 1};
}

// Record walks msg and tree together, storing each field's position.
void Record(const Message& msg, const TextFormat::ParseInfoTree* tree,
            const std::string& path, LoadedConfig* config) {
  if (tree == nullptr) return;
  const Reflection* refl = msg.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  refl->ListFields(msg, &fields);
  for (const FieldDescriptor* f : fields) {
    std::string fpath = Field(path, f->name());
    if (!f->is_repeated()) {
      config->positions[fpath] = FromLocation(tree->GetLocation(f, -1));
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        Record(refl->GetMessage(msg, f), tree->GetTreeForNested(f, -1), fpath,
               config);
      }
      continue;
    }
    int n = refl->FieldSize(msg, f);
    if (n > 0) {
      config->positions[fpath] = FromLocation(tree->GetLocation(f, 0));
    }
    for (int i = 0; i < n; ++i) {
      Position pos = FromLocation(tree->GetLocation(f, i));
      if (f->is_map()) {
        const Message& entry = refl->GetRepeatedMessage(msg, f, i);
        const FieldDescriptor* key = f->message_type()->map_key();
        std::string k = key->cpp_type() == FieldDescriptor::CPPTYPE_STRING
                            ? entry.GetReflection()->GetString(entry, key)
                            : std::to_string(i);
        config->positions[Key(fpath, k)] = pos;
        continue;
      }
      std::string ipath = Index(fpath, i);
      config->positions[ipath] = pos;
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        Record(refl->GetRepeatedMessage(msg, f, i),
               tree->GetTreeForNested(f, i), ipath, config);
      }
    }
  }
}

}  // namespace

void ParseTextproto(absl::string_view text, LoadedConfig* config,
                    ErrorList* errors) {
  const Descriptor* root = config->gateway.GetDescriptor();
  Collector collector(errors, root, text);
  TextFormat::ParseInfoTree tree;
  TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(std::string(text), &config->gateway)) {
    if (errors->empty()) {
      errors->Add(Position{}, "", "cannot parse the protobuf text format");
    }
    return;
  }
  Record(config->gateway, &tree, "", config);
}

}  // namespace gateway::config::internal
