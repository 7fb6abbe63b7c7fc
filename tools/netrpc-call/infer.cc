#include "tools/netrpc-call/infer.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "netrpc/jsonrpc/internal/decode.h"
#include "netrpc/jsonrpc/internal/scanner.h"

namespace netrpc_call {
namespace {

namespace gob = ::netrpc::gob;
using ::netrpc::jsonrpc::internal::Reader;

constexpr int kMaxDepth = 200;

// Node is a parsed JSON value that keeps integers apart from floats.
struct Node {
  enum class Kind { kNull, kBool, kInt, kUint, kFloat, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool b = false;
  int64_t i = 0;
  uint64_t u = 0;
  double f = 0;
  std::string s;
  std::vector<Node> elems;
  std::vector<std::pair<std::string, Node>> members;
};

const char* KindWord(Node::Kind k) {
  switch (k) {
    case Node::Kind::kNull: return "null";
    case Node::Kind::kBool: return "a bool";
    case Node::Kind::kInt: return "an integer";
    case Node::Kind::kUint: return "an integer above 2^63-1";
    case Node::Kind::kFloat: return "a float";
    case Node::Kind::kString: return "a string";
    case Node::Kind::kArray: return "an array";
    case Node::Kind::kObject: return "an object";
  }
  return "?";
}

absl::Status Parse(Reader& r, int depth, const std::string& path, Node* out) {
  if (depth > kMaxDepth) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": JSON nested deeper than ", kMaxDepth));
  }
  switch (r.Peek()) {
    case Reader::Kind::kNull:
      r.Skip();
      out->kind = Node::Kind::kNull;
      return absl::OkStatus();
    case Reader::Kind::kBool:
      out->kind = Node::Kind::kBool;
      out->b = r.Literal() == "true";
      return absl::OkStatus();
    case Reader::Kind::kString:
      out->kind = Node::Kind::kString;
      out->s = netrpc::jsonrpc::internal::Unquote(r.Literal());
      return absl::OkStatus();
    case Reader::Kind::kNumber: {
      absl::string_view lit = r.Literal();
      bool integral = lit.find_first_of(".eE") == absl::string_view::npos;
      if (integral &&
          netrpc::jsonrpc::internal::ParseInt(lit, 64, &out->i)) {
        out->kind = Node::Kind::kInt;
        return absl::OkStatus();
      }
      if (integral &&
          netrpc::jsonrpc::internal::ParseUint(lit, 64, &out->u)) {
        out->kind = Node::Kind::kUint;
        return absl::OkStatus();
      }
      if (!netrpc::jsonrpc::internal::ParseFloat(lit, 64, &out->f)) {
        return absl::InvalidArgumentError(absl::StrCat(
            path, ": number ", lit, " does not fit a float64"));
      }
      out->kind = Node::Kind::kFloat;
      return absl::OkStatus();
    }
    case Reader::Kind::kArray: {
      out->kind = Node::Kind::kArray;
      r.Enter();
      while (r.More()) {
        Node e;
        absl::Status s = Parse(r, depth + 1,
                               absl::StrCat(path, "[", out->elems.size(), "]"),
                               &e);
        if (!s.ok()) return s;
        out->elems.push_back(std::move(e));
      }
      return absl::OkStatus();
    }
    case Reader::Kind::kObject: {
      out->kind = Node::Kind::kObject;
      r.Enter();
      while (r.More()) {
        std::string key = netrpc::jsonrpc::internal::Unquote(r.Key());
        Node v;
        absl::Status s = Parse(r, depth + 1, absl::StrCat(path, ".", key), &v);
        if (!s.ok()) return s;
        bool replaced = false;
        for (auto& m : out->members) {
          if (m.first == key) {  // Go: the last of duplicate keys wins
            m.second = std::move(v);
            replaced = true;
            break;
          }
        }
        if (!replaced) out->members.emplace_back(std::move(key), std::move(v));
      }
      return absl::OkStatus();
    }
    case Reader::Kind::kEnd:
      break;
  }
  return absl::InvalidArgumentError(absl::StrCat(path, ": no JSON value"));
}

// Shape is the inferred type of a node, before gob types are made.
struct Shape {
  Node::Kind kind = Node::Kind::kNull;  // kNull: unknown (left out)
  std::vector<Shape> elem;              // arrays: one element shape
  std::vector<std::pair<std::string, Shape>> fields;  // objects
};

bool IsNumber(Node::Kind k) {
  return k == Node::Kind::kInt || k == Node::Kind::kUint ||
         k == Node::Kind::kFloat;
}

absl::Status Merge(const Shape& s, const std::string& path, Shape* into) {
  if (s.kind == Node::Kind::kNull) return absl::OkStatus();
  if (into->kind == Node::Kind::kNull) {
    *into = s;
    return absl::OkStatus();
  }
  if (IsNumber(s.kind) && IsNumber(into->kind)) {
    if (s.kind == Node::Kind::kFloat || into->kind == Node::Kind::kFloat) {
      into->kind = Node::Kind::kFloat;
    } else if (s.kind == Node::Kind::kUint) {
      into->kind = Node::Kind::kUint;
    }
    return absl::OkStatus();
  }
  if (s.kind != into->kind) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": the array's elements mix ", KindWord(into->kind), " and ",
        KindWord(s.kind),
        "; a gob slice has one element type (give a descriptor set, "
        "--descriptor_set, for anything else)"));
  }
  if (s.kind == Node::Kind::kArray) {
    if (into->elem.empty()) into->elem.emplace_back();
    Shape e = s.elem.empty() ? Shape{} : s.elem[0];
    return Merge(e, path + "[]", &into->elem[0]);
  }
  if (s.kind == Node::Kind::kObject) {
    for (const auto& f : s.fields) {
      Shape* target = nullptr;
      for (auto& g : into->fields) {
        if (g.first == f.first) target = &g.second;
      }
      if (target == nullptr) {
        into->fields.emplace_back(f.first, Shape{});
        target = &into->fields.back().second;
      }
      absl::Status st = Merge(f.second, absl::StrCat(path, ".", f.first), target);
      if (!st.ok()) return st;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Shape> ShapeOf(const Node& n, const std::string& path) {
  Shape s;
  s.kind = n.kind;
  if (n.kind == Node::Kind::kArray) {
    s.elem.emplace_back();
    for (size_t i = 0; i < n.elems.size(); ++i) {
      absl::StatusOr<Shape> e = ShapeOf(n.elems[i], absl::StrCat(path, "[", i, "]"));
      if (!e.ok()) return e.status();
      absl::Status st = Merge(*e, path, &s.elem[0]);
      if (!st.ok()) return st;
    }
  } else if (n.kind == Node::Kind::kObject) {
    for (const auto& m : n.members) {
      absl::StatusOr<Shape> f = ShapeOf(m.second, absl::StrCat(path, ".", m.first));
      if (!f.ok()) return f.status();
      s.fields.emplace_back(m.first, *std::move(f));
    }
  }
  return s;
}

std::string TypeName(absl::string_view hint) {
  std::string name(hint);
  if (!name.empty()) name[0] = absl::ascii_toupper(name[0]);
  return name;
}

// BuildType makes the gob type of shape; nullptr when it is unknown (only
// nulls or empty arrays were seen), so the value is left out.
absl::StatusOr<const gob::Type*> BuildType(const Shape& s,
                                           const std::string& path,
                                           absl::string_view name_hint,
                                           gob::TypeArena& arena) {
  switch (s.kind) {
    case Node::Kind::kNull: return nullptr;
    case Node::Kind::kBool: return gob::BoolType();
    case Node::Kind::kInt: return gob::IntType();
    case Node::Kind::kUint: return gob::UintType();
    case Node::Kind::kFloat: return gob::FloatType();
    case Node::Kind::kString: return gob::StringType();
    case Node::Kind::kArray: {
      if (s.elem.empty()) return nullptr;
      absl::StatusOr<const gob::Type*> e =
          BuildType(s.elem[0], path + "[]", name_hint, arena);
      if (!e.ok() || *e == nullptr) return e;
      return arena.NewSlice(*e);
    }
    case Node::Kind::kObject: {
      gob::Type* t = arena.NewStruct(TypeName(name_hint));
      for (const auto& f : s.fields) {
        if (f.first.empty()) {
          return absl::InvalidArgumentError(absl::StrCat(
              path, ": an empty key cannot name a Go struct field"));
        }
        absl::StatusOr<const gob::Type*> ft =
            BuildType(f.second, absl::StrCat(path, ".", f.first), f.first, arena);
        if (!ft.ok()) return ft.status();
        if (*ft == nullptr) continue;
        absl::Status st = arena.AddField(t, f.first, *ft);
        if (!st.ok()) return st;
      }
      return t;
    }
  }
  return nullptr;
}

absl::StatusOr<gob::Value> BuildValue(const Node& n, const gob::Type* t,
                                      const std::string& path) {
  if (n.kind == Node::Kind::kNull) return gob::Value::Zero(t);
  switch (t->kind()) {
    case gob::Kind::kBool: return gob::Value::Bool(n.b);
    case gob::Kind::kString: return gob::Value::String(n.s);
    case gob::Kind::kInt: return gob::Value::Int(n.i);
    case gob::Kind::kUint:
      if (n.kind == Node::Kind::kInt) {
        if (n.i < 0) {
          return absl::InvalidArgumentError(absl::StrCat(
              path, ": ", n.i, " is negative but other elements of its array "
              "need an unsigned integer"));
        }
        return gob::Value::Uint(static_cast<uint64_t>(n.i));
      }
      return gob::Value::Uint(n.u);
    case gob::Kind::kFloat:
      if (n.kind == Node::Kind::kInt) return gob::Value::Float(static_cast<double>(n.i));
      if (n.kind == Node::Kind::kUint) return gob::Value::Float(static_cast<double>(n.u));
      return gob::Value::Float(n.f);
    case gob::Kind::kSlice: {
      gob::Value v = gob::Value::Zero(t);
      for (size_t i = 0; i < n.elems.size(); ++i) {
        absl::StatusOr<gob::Value> e =
            BuildValue(n.elems[i], t->elem(), absl::StrCat(path, "[", i, "]"));
        if (!e.ok()) return e.status();
        absl::Status st = v.Append(*std::move(e));
        if (!st.ok()) return st;
      }
      return v;
    }
    case gob::Kind::kStruct: {
      gob::Value v = gob::Value::Zero(t);
      for (const auto& m : n.members) {
        int idx = t->FieldIndex(m.first);
        if (idx < 0 || m.second.kind == Node::Kind::kNull) continue;
        absl::StatusOr<gob::Value> f = BuildValue(
            m.second, t->fields()[idx].type, absl::StrCat(path, ".", m.first));
        if (!f.ok()) return f.status();
        absl::Status st = v.SetFieldAt(idx, *std::move(f));
        if (!st.ok()) return st;
      }
      return v;
    }
    default:
      break;
  }
  return absl::InternalError(absl::StrCat(path, ": unexpected inferred type ",
                                          t->String()));
}

}  // namespace

absl::StatusOr<Inferred> InferGobValue(absl::string_view json) {
  absl::Status valid = netrpc::jsonrpc::internal::CheckValid(json);
  if (!valid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the argument is not JSON: ", valid.message()));
  }
  Reader r(json);
  Node root;
  absl::Status s = Parse(r, 0, "$", &root);
  if (!s.ok()) return s;
  if (root.kind == Node::Kind::kNull) {
    return absl::InvalidArgumentError(
        "a null argument has no gob form; pass {} for an empty struct");
  }
  absl::StatusOr<Shape> shape = ShapeOf(root, "$");
  if (!shape.ok()) return shape.status();
  Inferred out;
  out.arena = std::make_shared<gob::TypeArena>();
  absl::StatusOr<const gob::Type*> type =
      BuildType(*shape, "$", "Args", *out.arena);
  if (!type.ok()) return type.status();
  if (*type == nullptr) {
    return absl::InvalidArgumentError(
        "$: cannot infer the element type of an empty array (or one of only "
        "nulls); give a descriptor set (--descriptor_set)");
  }
  absl::StatusOr<gob::Value> v = BuildValue(root, *type, "$");
  if (!v.ok()) return v.status();
  out.value = *std::move(v);
  return out;
}

}  // namespace netrpc_call
