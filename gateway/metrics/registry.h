// File: registry.h
//
// A metrics registry: named families of labelled series (metric.h) and their
// Prometheus text exposition, format 0.0.4, as GET /metrics serves it.
//
// Register each family once, at start; look up a series once per route (or
// listener, or upstream) and keep the pointer: series are never freed while
// the registry lives, so the hot path is a single atomic add on a pointer
// the caller already holds. A config reload looks the same labels up again
// and gets the same series back, so no count is lost.
//
//   gateway::MetricsRegistry registry;
//   gateway::CounterFamily* calls =
//       registry.AddCounter("netrpc_gateway_calls_total", "Calls finished.",
//                           {"route", "code"}).value();
//   gateway::Counter* ok = calls->With({"route", "Arith.Multiply"},
//                                      {"code", "OK"});
//   ok->Increment();                 // hot path: one relaxed atomic add
//   std::string page = registry.Text();
//
// gives
//
//   # HELP netrpc_gateway_calls_total Calls finished.
//   # TYPE netrpc_gateway_calls_total counter
//   netrpc_gateway_calls_total{route="Arith.Multiply",code="OK"} 1
//
// Text() is deterministic: families sorted by name, series by their label
// values in the family's label order, labels in that order too, histogram
// buckets ascending with "+Inf" last, then _sum and _count. Families with no
// series yet still print their # HELP and # TYPE lines.
//
// Label values must come from a bounded set (config names, status codes),
// never from the wire: every distinct value set is a series that lives as
// long as the registry.
//
// Thread-safety: MetricsRegistry and the families are [thread-safe]. With()
// and Remove() take the family's lock; updating a series takes none. Locks
// are netrpc::Mutex (std::mutex underneath) rather than absl::Mutex so that
// --config=tsan can check this code (netrpc/sync.h says why).

#ifndef GATEWAY_METRICS_REGISTRY_H_
#define GATEWAY_METRICS_REGISTRY_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include "gateway/metrics/metric.h"
#include "netrpc/sync.h"

namespace gateway {

// Label is one name="value" pair given to Family::With. A Label with an empty
// name stands for "no label" (the defaults of With's later parameters).
struct Label {
  absl::string_view name;
  absl::string_view value;
};

// MetricType is the # TYPE a family declares.
enum class MetricType { kCounter, kGauge, kHistogram };

namespace internal_metrics {

// FamilyBase is what the registry knows of a family: its identity and how to
// render it. Not for use outside this library.
class FamilyBase {
 public:
  virtual ~FamilyBase() = default;

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  MetricType type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  // AppendText appends the family's exposition, # HELP line first.
  virtual void AppendText(std::string* out) const = 0;

 protected:
  FamilyBase(std::string name, std::string help, MetricType type,
             std::vector<std::string> label_names);

  // AppendHeader appends the # HELP and # TYPE lines.
  void AppendHeader(std::string* out) const;

 private:
  const std::string name_;
  const std::string help_;
  const MetricType type_;
  const std::vector<std::string> label_names_;
};

}  // namespace internal_metrics

// Family is a set of series of one metric, one per distinct combination of
// label values. Obtain one from MetricsRegistry; it lives as long as the
// registry. [thread-safe]
template <typename T>
class Family final : public internal_metrics::FamilyBase {
 public:
  // With returns the series for the given labels, creating it (at zero) on
  // first use. Labels may come in any order but must name each of the
  // family's labels exactly once; anything else is a bug in the caller and
  // aborts with a message naming the family (label names are constants in
  // code, never input). The pointer stays valid, and keeps pointing at the
  // same series, as long as the registry lives. Takes the family's lock: call
  // it when a route or listener is set up, not per call.
  //
  //   family->With({"route", "Arith.Multiply"}, {"code", "OK"})->Increment();
  //   unlabelled->With()->Increment();
  T* With(Label l1 = {}, Label l2 = {}, Label l3 = {}, Label l4 = {},
          Label l5 = {}, Label l6 = {});

  // WithValues is With taking label values in the family's label order.
  // The number of values must equal the number of label names (else abort,
  // as With).
  T* WithValues(absl::Span<const absl::string_view> values);

  // Remove stops exporting a series, for label values that went away on a
  // reload (an upstream address no longer resolved). Pointers to it stay
  // valid; updates through them are kept but not shown, and With() on the
  // same labels shows the series again with its value. Removing a series that
  // does not exist does nothing.
  void Remove(Label l1 = {}, Label l2 = {}, Label l3 = {}, Label l4 = {},
              Label l5 = {}, Label l6 = {});

  void AppendText(std::string* out) const override;

 private:
  friend class MetricsRegistry;

  struct Series {
    std::unique_ptr<T> metric;
    std::string labels;  // `a="x",b="y"`, escaped, no braces; "" if none
    bool exported = true;
  };

  Family(std::string name, std::string help,
         std::vector<std::string> label_names, std::vector<double> bounds);

  // Key orders the given labels as the family declares them, or aborts.
  std::vector<std::string> Key(std::initializer_list<Label> labels) const;
  T* Get(std::vector<std::string> key);
  void AppendSeries(const Series& series, std::string* out) const;

  // Histograms only: the bucket bounds and their rendered le="..." values.
  const std::vector<double> bounds_;
  const std::vector<std::string> le_;
  mutable netrpc::Mutex mu_;
  // std::map keeps series sorted for a deterministic Text().
  std::map<std::vector<std::string>, Series> series_ ABSL_GUARDED_BY(mu_);
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

extern template class Family<Counter>;
extern template class Family<Gauge>;
extern template class Family<Histogram>;

// MetricsRegistry owns metric families and renders them as Prometheus text.
// Families are never removed (callback gauges excepted), so the pointers it
// hands out live as long as the registry. [thread-safe]
class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // AddCounter registers a counter family. name must match
  // [a-zA-Z_:][a-zA-Z0-9_:]* and end in "_total"; label names must match
  // [a-zA-Z_][a-zA-Z0-9_]*, not start with "__", and be distinct. Adding a
  // family again with the same type and label names returns the existing one
  // with its series and help (so setup code may run again on reload); any
  // other reuse of a name is kAlreadyExists. Bad names are kInvalidArgument.
  absl::StatusOr<CounterFamily*> AddCounter(
      absl::string_view name, absl::string_view help,
      std::vector<std::string> label_names = {});

  // AddGauge registers a gauge family; rules as AddCounter, without the
  // "_total" suffix.
  absl::StatusOr<GaugeFamily*> AddGauge(
      absl::string_view name, absl::string_view help,
      std::vector<std::string> label_names = {});

  // AddHistogram registers a histogram family whose series all share the
  // bucket upper bounds (finite, strictly increasing, at least one; +Inf is
  // implicit). "le" is not allowed as a label name. Rules as AddGauge; adding
  // it again also needs the same bounds.
  absl::StatusOr<HistogramFamily*> AddHistogram(
      absl::string_view name, absl::string_view help,
      std::vector<std::string> label_names, std::vector<double> bounds);

  // AddCallbackGauge registers an unlabelled gauge whose value is read by
  // calling read at every Text(), for values that live elsewhere (a queue
  // length, a timestamp). read runs on the scraping thread without any
  // registry lock held, so it may take its own locks; it must not call
  // RemoveCallbackGauge. A name already in use is kAlreadyExists.
  absl::Status AddCallbackGauge(absl::string_view name, absl::string_view help,
                                std::function<double()> read);

  // RemoveCallbackGauge unregisters a callback gauge. When it returns, read
  // is not running and will not be called again, so whatever read uses may be
  // destroyed. Unknown names are ignored.
  void RemoveCallbackGauge(absl::string_view name);

  // Text renders every family in Prometheus text format 0.0.4, sorted by
  // name. Serve it with content type FormatContentType().
  std::string Text() const;

 private:
  template <typename T>
  absl::StatusOr<Family<T>*> Add(absl::string_view name, absl::string_view help,
                                 std::vector<std::string> label_names,
                                 std::vector<double> bounds);

  mutable netrpc::Mutex mu_;
  // shared_ptr so Text() can render outside mu_ while a callback gauge is
  // removed.
  std::map<std::string, std::shared_ptr<internal_metrics::FamilyBase>,
           std::less<>>
      families_ ABSL_GUARDED_BY(mu_);
};

// FormatContentType is the Content-Type of MetricsRegistry::Text().
inline constexpr absl::string_view FormatContentType() {
  return "text/plain; version=0.0.4; charset=utf-8";
}

// FormatFloat formats a sample value as Prometheus' Go client does
// (strconv.FormatFloat(v, 'g', -1, 64)): shortest round-trip digits, in
// exponent form when the decimal exponent is below -4 or at least 6
// ("0.0005", "123456", "1e+06", "1e-05"); "+Inf", "-Inf", "NaN".
std::string FormatFloat(double value);

// EscapeLabelValue escapes \ " and newline as the text format requires.
std::string EscapeLabelValue(absl::string_view value);

// EscapeHelp escapes \ and newline, as the text format requires of # HELP.
std::string EscapeHelp(absl::string_view help);

}  // namespace gateway

#endif  // GATEWAY_METRICS_REGISTRY_H_
