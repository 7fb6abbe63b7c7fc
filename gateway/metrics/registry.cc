#include "gateway/metrics/registry.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gateway {
namespace {

// Fail aborts on a caller's bug (wrong label names). Label names are
// constants in code, so this fires in the first test that touches the
// series, never on input.
[[noreturn]] void Fail(const std::string& name, const std::string& what) {
  std::fprintf(stderr, "metrics: %s: %s\n", name.c_str(), what.c_str());
  std::abort();
}

bool IsMetricName(absl::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = absl::ascii_isalpha(c) || c == '_' || c == ':' ||
              (i > 0 && absl::ascii_isdigit(c));
    if (!ok) return false;
  }
  return true;
}

bool IsLabelName(absl::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok =
        absl::ascii_isalpha(c) || c == '_' || (i > 0 && absl::ascii_isdigit(c));
    if (!ok) return false;
  }
  return true;
}

absl::Status CheckNames(absl::string_view name, MetricType type,
                        const std::vector<std::string>& label_names) {
  if (!IsMetricName(name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metrics: bad metric name \"", name,
        "\"; use letters, digits, '_' and ':', not starting with a digit"));
  }
  if (type == MetricType::kCounter && !absl::EndsWith(name, "_total")) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics: counter \"", name,
                     "\" must end in \"_total\" (Prometheus convention)"));
  }
  for (size_t i = 0; i < label_names.size(); ++i) {
    const std::string& label = label_names[i];
    if (!IsLabelName(label) || absl::StartsWith(label, "__")) {
      return absl::InvalidArgumentError(absl::StrCat(
          "metrics: ", name, ": bad label name \"", label,
          "\"; use letters, digits and '_', not starting with a digit or "
          "\"__\""));
    }
    if (type == MetricType::kHistogram && label == "le") {
      return absl::InvalidArgumentError(absl::StrCat(
          "metrics: ", name,
          ": label name \"le\" is reserved for histogram buckets"));
    }
    for (size_t j = 0; j < i; ++j) {
      if (label_names[j] == label) {
        return absl::InvalidArgumentError(absl::StrCat(
            "metrics: ", name, ": label \"", label, "\" given twice"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckBounds(absl::string_view name,
                         const std::vector<double>& bounds) {
  if (bounds.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metrics: histogram ", name, " needs at least one bucket bound"));
  }
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "metrics: histogram ", name, ": bucket bound ",
          FormatFloat(bounds[i]), " is not finite (+Inf is implicit)"));
    }
    if (i > 0 && !(bounds[i - 1] < bounds[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "metrics: histogram ", name, ": bucket bounds must increase, but ",
          FormatFloat(bounds[i]), " follows ", FormatFloat(bounds[i - 1])));
    }
  }
  return absl::OkStatus();
}

absl::string_view TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

template <typename T>
constexpr MetricType TypeOf() {
  if constexpr (std::is_same_v<T, Counter>) {
    return MetricType::kCounter;
  } else if constexpr (std::is_same_v<T, Gauge>) {
    return MetricType::kGauge;
  } else {
    static_assert(std::is_same_v<T, Histogram>);
    return MetricType::kHistogram;
  }
}

std::vector<std::string> LeValues(const std::vector<double>& bounds) {
  std::vector<std::string> out;
  out.reserve(bounds.size() + 1);
  for (double b : bounds) out.push_back(FormatFloat(b));
  out.push_back("+Inf");
  return out;
}

// AppendSample appends `name{labels} value\n`, without braces if labels is
// empty.
void AppendSample(std::string* out, absl::string_view name,
                  absl::string_view labels, absl::string_view value) {
  if (labels.empty()) {
    absl::StrAppend(out, name, " ", value, "\n");
  } else {
    absl::StrAppend(out, name, "{", labels, "} ", value, "\n");
  }
}

// CallbackGauge is an unlabelled gauge read through a function at scrape
// time.
class CallbackGauge final : public internal_metrics::FamilyBase {
 public:
  CallbackGauge(std::string name, std::string help,
                std::function<double()> read)
      : FamilyBase(std::move(name), std::move(help), MetricType::kGauge, {}),
        read_(std::move(read)) {}

  void AppendText(std::string* out) const override {
    // Holding mu_ while read runs is what lets Disable() promise that read
    // has finished.
    netrpc::MutexLock lock(&mu_);
    if (!read_) return;
    AppendHeader(out);
    AppendSample(out, name(), "", FormatFloat(read_()));
  }

  // Disable waits for a running read to finish and drops it.
  void Disable() {
    netrpc::MutexLock lock(&mu_);
    read_ = nullptr;
  }

 private:
  mutable netrpc::Mutex mu_;
  std::function<double()> read_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

std::string FormatFloat(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == 0) return "0";  // also -0, as Go's client writes it
  // Go's 'g' with shortest precision: the shortest digits that round-trip,
  // in exponent form iff the decimal exponent is < -4 or >= 6. to_chars
  // gives the same shortest digits in either form.
  char sci[64];
  std::to_chars_result r = std::to_chars(sci, sci + sizeof(sci), value,
                                         std::chars_format::scientific);
  absl::string_view s(sci, static_cast<size_t>(r.ptr - sci));
  size_t e = s.find('e');
  int exponent = 0;
  if (e == absl::string_view::npos ||
      !absl::SimpleAtoi(s.substr(e + 1), &exponent)) {
    return std::string(s);  // not reached: scientific always has "e±dd"
  }
  if (exponent < -4 || exponent >= 6) return std::string(s);
  char fixed[64];
  r = std::to_chars(fixed, fixed + sizeof(fixed), value,
                    std::chars_format::fixed);
  return std::string(fixed, static_cast<size_t>(r.ptr - fixed));
}

std::string EscapeLabelValue(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string EscapeHelp(absl::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace internal_metrics {

FamilyBase::FamilyBase(std::string name, std::string help, MetricType type,
                       std::vector<std::string> label_names)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)) {}

void FamilyBase::AppendHeader(std::string* out) const {
  absl::StrAppend(out, "# HELP ", name_, " ", EscapeHelp(help_), "\n",
                  "# TYPE ", name_, " ", TypeName(type_), "\n");
}

}  // namespace internal_metrics

template <typename T>
Family<T>::Family(std::string name, std::string help,
                  std::vector<std::string> label_names,
                  std::vector<double> bounds)
    : FamilyBase(std::move(name), std::move(help), TypeOf<T>(),
                 std::move(label_names)),
      bounds_(std::move(bounds)),
      le_(LeValues(bounds_)) {}

template <typename T>
std::vector<std::string> Family<T>::Key(
    std::initializer_list<Label> labels) const {
  const std::vector<std::string>& names = label_names();
  std::vector<std::string> key(names.size());
  std::vector<bool> seen(names.size(), false);
  for (const Label& label : labels) {
    if (label.name.empty()) continue;
    size_t i = 0;
    while (i < names.size() && names[i] != label.name) ++i;
    if (i == names.size()) {
      Fail(name(), absl::StrCat("no label \"", label.name, "\"; labels are (",
                                absl::StrJoin(names, ", "), ")"));
    }
    if (seen[i]) {
      Fail(name(), absl::StrCat("label \"", label.name, "\" given twice"));
    }
    seen[i] = true;
    key[i] = std::string(label.value);
  }
  for (size_t i = 0; i < names.size(); ++i) {
    if (!seen[i]) {
      Fail(name(),
           absl::StrCat("label \"", names[i], "\" missing; labels are (",
                        absl::StrJoin(names, ", "), ")"));
    }
  }
  return key;
}

template <typename T>
T* Family<T>::Get(std::vector<std::string> key) {
  netrpc::MutexLock lock(&mu_);
  auto it = series_.find(key);
  if (it != series_.end()) {
    it->second.exported = true;
    return it->second.metric.get();
  }
  Series series;
  if constexpr (std::is_same_v<T, Histogram>) {
    series.metric = std::make_unique<Histogram>(bounds_);
  } else {
    series.metric = std::make_unique<T>();
  }
  // Rendered once here so a scrape only concatenates.
  std::vector<std::string> pairs;
  pairs.reserve(key.size());
  for (size_t i = 0; i < key.size(); ++i) {
    pairs.push_back(
        absl::StrCat(label_names()[i], "=\"", EscapeLabelValue(key[i]), "\""));
  }
  series.labels = absl::StrJoin(pairs, ",");
  T* metric = series.metric.get();
  series_.emplace(std::move(key), std::move(series));
  return metric;
}

template <typename T>
T* Family<T>::With(Label l1, Label l2, Label l3, Label l4, Label l5, Label l6) {
  return Get(Key({l1, l2, l3, l4, l5, l6}));
}

template <typename T>
T* Family<T>::WithValues(absl::Span<const absl::string_view> values) {
  if (values.size() != label_names().size()) {
    Fail(name(),
         absl::StrCat(values.size(), " label values for ", label_names().size(),
                      " labels (", absl::StrJoin(label_names(), ", "), ")"));
  }
  return Get(std::vector<std::string>(values.begin(), values.end()));
}

template <typename T>
void Family<T>::Remove(Label l1, Label l2, Label l3, Label l4, Label l5,
                       Label l6) {
  std::vector<std::string> key = Key({l1, l2, l3, l4, l5, l6});
  netrpc::MutexLock lock(&mu_);
  auto it = series_.find(key);
  if (it != series_.end()) it->second.exported = false;
}

template <typename T>
void Family<T>::AppendSeries(const Series& series, std::string* out) const {
  if constexpr (std::is_same_v<T, Histogram>) {
    Histogram::Snapshot snap = series.metric->Read();
    std::string bucket = absl::StrCat(name(), "_bucket");
    absl::string_view sep = series.labels.empty() ? "" : ",";
    for (size_t i = 0; i < le_.size(); ++i) {
      absl::StrAppend(out, bucket, "{", series.labels, sep, "le=\"", le_[i],
                      "\"} ", snap.cumulative[i], "\n");
    }
    AppendSample(out, absl::StrCat(name(), "_sum"), series.labels,
                 FormatFloat(snap.sum));
    AppendSample(out, absl::StrCat(name(), "_count"), series.labels,
                 absl::StrCat(snap.count));
  } else {
    AppendSample(out, name(), series.labels,
                 absl::StrCat(series.metric->Value()));
  }
}

template <typename T>
void Family<T>::AppendText(std::string* out) const {
  AppendHeader(out);
  netrpc::MutexLock lock(&mu_);
  for (const auto& [key, series] : series_) {
    if (series.exported) AppendSeries(series, out);
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

template <typename T>
absl::StatusOr<Family<T>*> MetricsRegistry::Add(
    absl::string_view name, absl::string_view help,
    std::vector<std::string> label_names, std::vector<double> bounds) {
  constexpr MetricType type = TypeOf<T>();
  if (absl::Status s = CheckNames(name, type, label_names); !s.ok()) return s;
  if constexpr (type == MetricType::kHistogram) {
    if (absl::Status s = CheckBounds(name, bounds); !s.ok()) return s;
  }
  netrpc::MutexLock lock(&mu_);
  auto it = families_.find(name);
  if (it != families_.end()) {
    auto* same = dynamic_cast<Family<T>*>(it->second.get());
    if (same != nullptr && same->label_names() == label_names &&
        same->bounds_ == bounds) {
      return same;
    }
    return absl::AlreadyExistsError(
        absl::StrCat("metrics: ", name, " is already registered as a ",
                     TypeName(it->second->type()), " with labels (",
                     absl::StrJoin(it->second->label_names(), ", "),
                     "); pick another name or register it the same way"));
  }
  bool unlabelled = label_names.empty();
  // The constructor is private to keep families registry-owned, hence no
  // make_shared.
  std::shared_ptr<Family<T>> family(
      new Family<T>(std::string(name), std::string(help),
                    std::move(label_names), std::move(bounds)));
  // An unlabelled family has exactly one series: create it now so that it
  // shows as 0 before its first update.
  if (unlabelled) family->With();
  Family<T>* out = family.get();
  families_.emplace(std::string(name), std::move(family));
  return out;
}

absl::StatusOr<CounterFamily*> MetricsRegistry::AddCounter(
    absl::string_view name, absl::string_view help,
    std::vector<std::string> label_names) {
  return Add<Counter>(name, help, std::move(label_names), {});
}

absl::StatusOr<GaugeFamily*> MetricsRegistry::AddGauge(
    absl::string_view name, absl::string_view help,
    std::vector<std::string> label_names) {
  return Add<Gauge>(name, help, std::move(label_names), {});
}

absl::StatusOr<HistogramFamily*> MetricsRegistry::AddHistogram(
    absl::string_view name, absl::string_view help,
    std::vector<std::string> label_names, std::vector<double> bounds) {
  return Add<Histogram>(name, help, std::move(label_names), std::move(bounds));
}

absl::Status MetricsRegistry::AddCallbackGauge(absl::string_view name,
                                               absl::string_view help,
                                               std::function<double()> read) {
  if (absl::Status s = CheckNames(name, MetricType::kGauge, {}); !s.ok()) {
    return s;
  }
  if (!read) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics: callback gauge ", name, " has no function"));
  }
  netrpc::MutexLock lock(&mu_);
  if (families_.count(name) != 0) {
    return absl::AlreadyExistsError(absl::StrCat(
        "metrics: ", name, " is already registered; pick another name"));
  }
  families_.emplace(std::string(name),
                    std::make_shared<CallbackGauge>(
                        std::string(name), std::string(help), std::move(read)));
  return absl::OkStatus();
}

void MetricsRegistry::RemoveCallbackGauge(absl::string_view name) {
  std::shared_ptr<internal_metrics::FamilyBase> family;
  {
    netrpc::MutexLock lock(&mu_);
    auto it = families_.find(name);
    if (it == families_.end()) return;
    if (dynamic_cast<CallbackGauge*>(it->second.get()) == nullptr) return;
    family = std::move(it->second);
    families_.erase(it);
  }
  // A scrape may have copied the family before the erase; Disable waits for
  // its read to finish and stops later ones.
  static_cast<CallbackGauge*>(family.get())->Disable();
}

std::string MetricsRegistry::Text() const {
  std::vector<std::shared_ptr<internal_metrics::FamilyBase>> families;
  {
    netrpc::MutexLock lock(&mu_);
    families.reserve(families_.size());
    for (const auto& [name, family] : families_) families.push_back(family);
  }
  // Rendered outside mu_ so that callback gauges may take their own locks
  // and registration is never blocked behind a scrape.
  std::string out;
  for (const auto& family : families) family->AppendText(&out);
  return out;
}

}  // namespace gateway
