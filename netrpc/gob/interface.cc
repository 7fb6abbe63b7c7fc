// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/interface.h"

#include <complex>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace netrpc::gob::internal {
namespace {

class Registry {
 public:
  Registry() { RegisterBasics(); }

  absl::Status Add(InterfaceEntry entry, bool primary) {
    absl::MutexLock lock(&mu_);
    if (entry.name.empty()) {
      return absl::InvalidArgumentError(
          "gob: attempt to register empty name");
    }
    auto by_name = by_name_.find(entry.name);
    if (by_name != by_name_.end() && by_name->second.tag != entry.tag) {
      return absl::AlreadyExistsError(absl::StrCat(
          "gob: registering duplicate types for ", GoQuote(entry.name), ": ",
          by_name->second.go_string, " != ", entry.go_string));
    }
    if (primary) {
      auto by_tag = names_.find(entry.tag);
      if (by_tag != names_.end() && by_tag->second != entry.name) {
        return absl::AlreadyExistsError(absl::StrCat(
            "gob: registering duplicate names for ", entry.go_string, ": ",
            GoQuote(by_tag->second), " != ", GoQuote(entry.name)));
      }
      names_[entry.tag] = entry.name;
    }
    std::string name = entry.name;
    by_name_.emplace(std::move(name), std::move(entry));
    return absl::OkStatus();
  }

  const InterfaceEntry* Find(absl::string_view name) const {
    absl::ReaderMutexLock lock(&mu_);
    auto it = by_name_.find(name);
    // node_hash_map entries never move, and are never removed.
    return it == by_name_.end() ? nullptr : &it->second;
  }

  std::string NameOf(const void* tag) const {
    absl::ReaderMutexLock lock(&mu_);
    auto it = names_.find(tag);
    return it == names_.end() ? std::string() : it->second;
  }

 private:
  template <typename T>
  void Basic(const char* name, bool primary = true)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    InterfaceEntry e{name, TagOf<T>(), Codec<T>::GoString(),
                     &DecodeConcrete<T>};
    if (primary) names_[e.tag] = e.name;
    by_name_.emplace(e.name, std::move(e));
  }

  // Go's registerBasics, mapped onto C++ types.
  void RegisterBasics() {
    absl::MutexLock lock(&mu_);
    Basic<int64_t>("int");
    Basic<int8_t>("int8");
    Basic<int16_t>("int16");
    Basic<int32_t>("int32");
    Basic<int64_t>("int64", false);
    Basic<uint64_t>("uint");
    Basic<uint8_t>("uint8");
    Basic<uint16_t>("uint16");
    Basic<uint32_t>("uint32");
    Basic<uint64_t>("uint64", false);
    Basic<float>("float32");
    Basic<double>("float64");
    Basic<std::complex<float>>("complex64");
    Basic<std::complex<double>>("complex128");
    Basic<uint64_t>("uintptr", false);
    Basic<bool>("bool");
    Basic<std::string>("string");
    Basic<Bytes>("[]uint8");
    Basic<std::vector<int64_t>>("[]int");
    Basic<std::vector<int8_t>>("[]int8");
    Basic<std::vector<int16_t>>("[]int16");
    Basic<std::vector<int32_t>>("[]int32");
    Basic<std::vector<int64_t>>("[]int64", false);
    Basic<std::vector<uint64_t>>("[]uint");
    Basic<std::vector<uint16_t>>("[]uint16");
    Basic<std::vector<uint32_t>>("[]uint32");
    Basic<std::vector<uint64_t>>("[]uint64", false);
    Basic<std::vector<float>>("[]float32");
    Basic<std::vector<double>>("[]float64");
    Basic<std::vector<std::complex<float>>>("[]complex64");
    Basic<std::vector<std::complex<double>>>("[]complex128");
    Basic<std::vector<uint64_t>>("[]uintptr", false);
    Basic<std::vector<bool>>("[]bool");
    Basic<std::vector<std::string>>("[]string");
  }

  mutable absl::Mutex mu_;
  absl::node_hash_map<std::string, InterfaceEntry> by_name_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<const void*, std::string> names_ ABSL_GUARDED_BY(mu_);
};

Registry& GetRegistry() {
  static Registry* registry = new Registry();
  return *registry;
}

// ValueBox holds a dynamic concrete value.
class ValueBox final : public InterfaceBox {
 public:
  explicit ValueBox(Value v) : value_(std::move(v)) {}
  const void* tag() const override { return TagOf<ValueBox>(); }
  std::string GoString() const override { return value_.type()->String(); }
  const Type* Describe(Describer&) const override { return value_.type(); }
  void EncodeTop(EncState& st) const override { EncodeTopValue(st, value_); }
  bool Equals(const InterfaceBox& other) const override {
    return other.tag() == tag() && *other.value() == value_;
  }
  const Value* value() const override { return &value_; }

 private:
  Value value_;
};

}  // namespace

absl::Status RegisterEntry(InterfaceEntry entry, bool primary) {
  return GetRegistry().Add(std::move(entry), primary);
}

std::string InterfaceNameOf(const void* tag) {
  return GetRegistry().NameOf(tag);
}

void EncodeInterfaceValue(EncState& st, const Interface& v) {
  if (v.box_ == nullptr) {
    AppendUint(st.b, 0);
    return;
  }
  if (v.name_.empty()) {
    st.Fail(absl::InvalidArgumentError(absl::StrCat(
        "gob: type not registered for interface: ", v.box_->GoString())));
    return;
  }
  const InterfaceBox* box = v.box_.get();
  const Type* concrete = box->Describe(st.enc->describer());
  if (concrete == nullptr || concrete->kind() == Kind::kInterface) {
    st.Fail(absl::InvalidArgumentError(
        "gob: an interface value cannot hold an interface value"));
    return;
  }
  st.enc->EncodeInterface(st, v.name_, concrete,
                          [box](EncState& inner) { box->EncodeTop(inner); });
}

void DecodeInterfaceValue(DecState& st, Interface* out) {
  absl::string_view name;
  if (!st.dec->ReadInterfaceName(st, &name, /*skipping=*/false)) return;
  if (name.empty()) {
    *out = Interface();
    return;
  }
  const InterfaceEntry* entry = GetRegistry().Find(name);
  if (entry == nullptr) {
    st.FailText(absl::StrCat("gob: name not registered for interface: ",
                             GoQuote(name)));
    return;
  }
  const Type* concrete = st.dec->ReadConcreteType(st, /*skipping=*/false);
  if (concrete == nullptr || !st.Enter()) return;
  entry->decode(st, concrete, name, out);
  st.Leave();
}

const Type* DescribeGlobally(
    absl::FunctionRef<const Type*(Describer&)> describe) {
  static absl::Mutex* mu = new absl::Mutex();
  static Describer* describer = new Describer();
  absl::MutexLock lock(mu);
  return describe(*describer);
}

}  // namespace netrpc::gob::internal

namespace netrpc::gob {

Interface Interface::FromValue(std::string name, Value value) {
  Interface out;
  if (!value.present()) return out;
  out.name_ = std::move(name);
  out.box_ = std::make_shared<internal::ValueBox>(std::move(value));
  return out;
}

}  // namespace netrpc::gob
