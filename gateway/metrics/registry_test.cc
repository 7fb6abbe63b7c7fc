#include "gateway/metrics/registry.h"

#include <atomic>
#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "gateway/metrics/exposition_parser.h"
#include "netrpc/sync.h"
#include "netrpc/testing/status_matchers.h"

namespace gateway {
namespace {

using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using ::testing::HasSubstr;

TEST(FormatFloatTest, MatchesGoShortestG) {
  // Expected strings are Go's strconv.FormatFloat(v, 'g', -1, 64).
  EXPECT_EQ(FormatFloat(0), "0");
  EXPECT_EQ(FormatFloat(-0.0), "0");
  EXPECT_EQ(FormatFloat(1), "1");
  EXPECT_EQ(FormatFloat(-1), "-1");
  EXPECT_EQ(FormatFloat(0.0005), "0.0005");
  EXPECT_EQ(FormatFloat(0.0001), "0.0001");
  EXPECT_EQ(FormatFloat(0.00001), "1e-05");
  EXPECT_EQ(FormatFloat(0.1), "0.1");
  EXPECT_EQ(FormatFloat(2.5), "2.5");
  EXPECT_EQ(FormatFloat(30), "30");
  EXPECT_EQ(FormatFloat(123456), "123456");
  EXPECT_EQ(FormatFloat(1e6), "1e+06");
  EXPECT_EQ(FormatFloat(1234567), "1.234567e+06");
  EXPECT_EQ(FormatFloat(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatFloat(1e100), "1e+100");
  EXPECT_EQ(FormatFloat(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatFloat(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatFloat(std::nan("")), "NaN");
}

TEST(EscapeTest, LabelValueEscapesBackslashQuoteNewline) {
  EXPECT_EQ(EscapeLabelValue("plain"), "plain");
  EXPECT_EQ(EscapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(EscapeLabelValue("tab\tstays"), "tab\tstays");
}

TEST(EscapeTest, HelpEscapesBackslashNewlineNotQuote) {
  EXPECT_EQ(EscapeHelp("say \"hi\"\\\nbye"), "say \"hi\"\\\\\\nbye");
}

TEST(RegistryTest, EmptyRegistryRendersNothing) {
  MetricsRegistry registry;
  EXPECT_EQ(registry.Text(), "");
}

TEST(RegistryTest, CounterExactText) {
  MetricsRegistry registry;
  absl::StatusOr<CounterFamily*> calls = registry.AddCounter(
      "netrpc_gateway_calls_total", "Calls answered.", {"route", "code"});
  ASSERT_THAT(calls, IsOk());
  // Labels given out of order still land in the declared order.
  (*calls)->With({"code", "OK"}, {"route", "Arith.Multiply"})->Increment(3);
  (*calls)->With({"route", "Arith.Divide"}, {"code", "UNKNOWN"})->Increment();
  EXPECT_EQ(
      registry.Text(),
      "# HELP netrpc_gateway_calls_total Calls answered.\n"
      "# TYPE netrpc_gateway_calls_total counter\n"
      "netrpc_gateway_calls_total{route=\"Arith.Divide\",code=\"UNKNOWN\"}"
      " 1\n"
      "netrpc_gateway_calls_total{route=\"Arith.Multiply\",code=\"OK\"}"
      " 3\n");
}

TEST(RegistryTest, UnlabelledSeriesExistFromRegistration) {
  MetricsRegistry registry;
  ASSERT_THAT(registry.AddGauge("up_gauge", "Up."), IsOk());
  ASSERT_THAT(registry.AddCounter("things_total", "Things."), IsOk());
  EXPECT_EQ(registry.Text(),
            "# HELP things_total Things.\n"
            "# TYPE things_total counter\n"
            "things_total 0\n"
            "# HELP up_gauge Up.\n"
            "# TYPE up_gauge gauge\n"
            "up_gauge 0\n");
}

TEST(RegistryTest, LabelledFamilyWithoutSeriesShowsHeaderOnly) {
  MetricsRegistry registry;
  ASSERT_THAT(registry.AddGauge("open", "Open.", {"listener"}), IsOk());
  EXPECT_EQ(registry.Text(),
            "# HELP open Open.\n"
            "# TYPE open gauge\n");
}

TEST(RegistryTest, GaugeNegativeAndSet) {
  MetricsRegistry registry;
  GaugeFamily* g = registry.AddGauge("g", "G.", {"k"}).value();
  g->With({"k", "a"})->Set(-5);
  g->WithValues({"b"})->Set(1234567890123);
  EXPECT_EQ(registry.Text(),
            "# HELP g G.\n"
            "# TYPE g gauge\n"
            "g{k=\"a\"} -5\n"
            "g{k=\"b\"} 1234567890123\n");
}

TEST(RegistryTest, HistogramExactText) {
  MetricsRegistry registry;
  HistogramFamily* h = registry
                           .AddHistogram("rpc_duration_seconds", "Latency.",
                                         {"route"}, {0.0005, 0.25, 1})
                           .value();
  Histogram* a = h->With({"route", "A.B"});
  a->Observe(0.0001);
  a->Observe(0.25);
  a->Observe(2);
  EXPECT_EQ(registry.Text(),
            "# HELP rpc_duration_seconds Latency.\n"
            "# TYPE rpc_duration_seconds histogram\n"
            "rpc_duration_seconds_bucket{route=\"A.B\",le=\"0.0005\"} 1\n"
            "rpc_duration_seconds_bucket{route=\"A.B\",le=\"0.25\"} 2\n"
            "rpc_duration_seconds_bucket{route=\"A.B\",le=\"1\"} 2\n"
            "rpc_duration_seconds_bucket{route=\"A.B\",le=\"+Inf\"} 3\n"
            // 0.0001 is not a binary fraction: the sum prints the shortest
            // text that reads back as the same double, as Go's client would.
            "rpc_duration_seconds_sum{route=\"A.B\"} 2.2500999999999998\n"
            "rpc_duration_seconds_count{route=\"A.B\"} 3\n");
}

TEST(RegistryTest, UnlabelledHistogramExactText) {
  MetricsRegistry registry;
  HistogramFamily* h =
      registry.AddHistogram("size_bytes", "Sizes.", {}, {10, 1e6}).value();
  h->With()->Observe(5);
  EXPECT_EQ(registry.Text(),
            "# HELP size_bytes Sizes.\n"
            "# TYPE size_bytes histogram\n"
            "size_bytes_bucket{le=\"10\"} 1\n"
            "size_bytes_bucket{le=\"1e+06\"} 1\n"
            "size_bytes_bucket{le=\"+Inf\"} 1\n"
            "size_bytes_sum 5\n"
            "size_bytes_count 1\n");
}

TEST(RegistryTest, EscapesLabelValuesAndHelp) {
  MetricsRegistry registry;
  CounterFamily* c =
      registry.AddCounter("odd_total", "Back\\slash\nnewline \"q\".", {"v"})
          .value();
  c->With({"v", "a\"b\\c\nd"})->Increment();
  std::string text = registry.Text();
  EXPECT_EQ(text,
            "# HELP odd_total Back\\\\slash\\nnewline \"q\".\n"
            "# TYPE odd_total counter\n"
            "odd_total{v=\"a\\\"b\\\\c\\nd\"} 1\n");
  absl::StatusOr<Exposition> page = ParseExposition(text);
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->families[0].help, "Back\\slash\nnewline \"q\".");
  EXPECT_EQ(page->Value("odd_total", {{"v", "a\"b\\c\nd"}}), 1);
}

TEST(RegistryTest, SortsFamiliesByNameAndSeriesByValues) {
  MetricsRegistry registry;
  CounterFamily* z = registry.AddCounter("z_total", "Z.", {"a", "b"}).value();
  ASSERT_THAT(registry.AddGauge("a_gauge", "A."), IsOk());
  ASSERT_THAT(registry.AddCallbackGauge("m_gauge", "M.", [] { return 0.5; }),
              IsOk());
  z->With({"a", "y"}, {"b", "2"});
  z->With({"a", "x"}, {"b", "9"});
  z->With({"a", "y"}, {"b", "1"});
  EXPECT_EQ(registry.Text(),
            "# HELP a_gauge A.\n"
            "# TYPE a_gauge gauge\n"
            "a_gauge 0\n"
            "# HELP m_gauge M.\n"
            "# TYPE m_gauge gauge\n"
            "m_gauge 0.5\n"
            "# HELP z_total Z.\n"
            "# TYPE z_total counter\n"
            "z_total{a=\"x\",b=\"9\"} 0\n"
            "z_total{a=\"y\",b=\"1\"} 0\n"
            "z_total{a=\"y\",b=\"2\"} 0\n");
}

TEST(RegistryTest, WithReturnsTheSameSeries) {
  MetricsRegistry registry;
  CounterFamily* c = registry.AddCounter("c_total", "C.", {"r"}).value();
  Counter* first = c->With({"r", "x"});
  first->Increment();
  EXPECT_EQ(c->With({"r", "x"}), first);
  EXPECT_EQ(c->WithValues({"x"}), first);
  EXPECT_NE(c->With({"r", "y"}), first);
}

TEST(RegistryTest, ReRegisteringKeepsCounts) {
  // What a reload does: run the setup code again and look the series up.
  MetricsRegistry registry;
  CounterFamily* c = registry.AddCounter("c_total", "C.", {"r"}).value();
  c->With({"r", "x"})->Increment(7);
  absl::StatusOr<CounterFamily*> again =
      registry.AddCounter("c_total", "Other help.", {"r"});
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(*again, c);
  EXPECT_EQ((*again)->With({"r", "x"})->Value(), 7u);
}

TEST(RegistryTest, ConflictingRegistrationIsAlreadyExists) {
  MetricsRegistry registry;
  ASSERT_THAT(registry.AddCounter("c_total", "C.", {"r"}), IsOk());
  EXPECT_THAT(registry.AddCounter("c_total", "C.", {"r", "s"}),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       HasSubstr("metrics: c_total is already registered as "
                                 "a counter with labels (r)")));
  ASSERT_THAT(registry.AddGauge("g", "G."), IsOk());
  EXPECT_THAT(registry.AddHistogram("g", "G.", {}, {1}),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(registry.AddCallbackGauge("g", "G.", [] { return 1.0; }),
              StatusIs(absl::StatusCode::kAlreadyExists));
  ASSERT_THAT(registry.AddHistogram("h", "H.", {}, {1, 2}), IsOk());
  EXPECT_THAT(registry.AddHistogram("h", "H.", {}, {1, 3}),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(registry.AddHistogram("h", "H.", {}, {1, 2}), IsOk());
}

TEST(RegistryTest, RejectsBadNames) {
  MetricsRegistry registry;
  EXPECT_THAT(registry.AddCounter("calls", "C."),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("must end in \"_total\"")));
  EXPECT_THAT(registry.AddGauge("9lives", "G."),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("bad metric name")));
  EXPECT_THAT(registry.AddGauge("has-dash", "G."),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(registry.AddGauge("", "G."),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(registry.AddGauge("ok:colon", "G."), IsOk());
  EXPECT_THAT(registry.AddGauge("g1", "G.", {"a:b"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("bad label name \"a:b\"")));
  EXPECT_THAT(registry.AddGauge("g2", "G.", {"__reserved"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      registry.AddGauge("g3", "G.", {"a", "a"}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("given twice")));
  EXPECT_THAT(
      registry.AddHistogram("h1", "H.", {"le"}, {1}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reserved")));
  EXPECT_THAT(
      registry.AddHistogram("h2", "H.", {}, {}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at least one")));
  EXPECT_THAT(
      registry.AddHistogram("h3", "H.", {}, {1, 1}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must increase")));
  EXPECT_THAT(
      registry.AddHistogram("h4", "H.", {},
                            {1, std::numeric_limits<double>::infinity()}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not finite")));
  EXPECT_THAT(registry.AddCallbackGauge("cb", "C.", nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // None of the failures left a family behind.
  EXPECT_EQ(registry.Text(),
            "# HELP ok:colon G.\n# TYPE ok:colon gauge\nok:colon 0\n");
}

TEST(RegistryDeathTest, WrongLabelNamesAbortWithTheFamilyName) {
  MetricsRegistry registry;
  CounterFamily* c = registry.AddCounter("c_total", "C.", {"r", "s"}).value();
  EXPECT_DEATH(c->With({"r", "x"}), "metrics: c_total: label \"s\" missing");
  EXPECT_DEATH(c->With({"r", "x"}, {"t", "y"}), "no label \"t\"");
  EXPECT_DEATH(c->With({"r", "x"}, {"r", "y"}), "given twice");
  EXPECT_DEATH(c->WithValues({"x"}), "1 label values for 2 labels");
}

TEST(RegistryTest, RemoveHidesSeriesAndWithBringsItBack) {
  MetricsRegistry registry;
  GaugeFamily* g = registry.AddGauge("healthy", "H.", {"addr"}).value();
  Gauge* a = g->With({"addr", "10.0.0.1:1"});
  a->Set(1);
  g->With({"addr", "10.0.0.2:1"})->Set(1);
  g->Remove({"addr", "10.0.0.1:1"});
  g->Remove({"addr", "never-seen"});
  EXPECT_EQ(registry.Text(),
            "# HELP healthy H.\n# TYPE healthy gauge\n"
            "healthy{addr=\"10.0.0.2:1\"} 1\n");
  a->Set(0);  // still a valid pointer
  EXPECT_EQ(g->With({"addr", "10.0.0.1:1"}), a);
  EXPECT_EQ(registry.Text(),
            "# HELP healthy H.\n# TYPE healthy gauge\n"
            "healthy{addr=\"10.0.0.1:1\"} 0\n"
            "healthy{addr=\"10.0.0.2:1\"} 1\n");
}

TEST(RegistryTest, CallbackGaugeIsReadAtScrapeTimeAndRemovable) {
  MetricsRegistry registry;
  double value = 1.5;
  ASSERT_THAT(registry.AddCallbackGauge("queue_depth", "Queue.",
                                        [&value] { return value; }),
              IsOk());
  EXPECT_EQ(registry.Text(),
            "# HELP queue_depth Queue.\n# TYPE queue_depth gauge\n"
            "queue_depth 1.5\n");
  value = 3;
  EXPECT_EQ(registry.Text(),
            "# HELP queue_depth Queue.\n# TYPE queue_depth gauge\n"
            "queue_depth 3\n");
  registry.RemoveCallbackGauge("queue_depth");
  registry.RemoveCallbackGauge("queue_depth");  // twice is fine
  EXPECT_EQ(registry.Text(), "");
  // The name is free again.
  EXPECT_THAT(registry.AddGauge("queue_depth", "Q."), IsOk());
  // Only callback gauges can be removed.
  registry.RemoveCallbackGauge("queue_depth");
  EXPECT_THAT(registry.Text(), HasSubstr("queue_depth 0\n"));
}

TEST(RegistryTest, CallbackGaugeMayTakeLocksAndRegister) {
  // read runs outside the registry's lock, so it may even use the registry.
  MetricsRegistry registry;
  ASSERT_THAT(registry.AddCallbackGauge(
                  "reentrant", "R.",
                  [&registry] {
                    return registry.AddGauge("inner", "I.").ok() ? 1.0 : 0.0;
                  }),
              IsOk());
  EXPECT_THAT(registry.Text(), HasSubstr("reentrant 1\n"));
}

TEST(RegistryTest, RemoveCallbackGaugeWaitsForARunningRead) {
  MetricsRegistry registry;
  netrpc::Notification in_read;
  netrpc::Notification release;
  auto state = std::make_unique<int>(42);
  ASSERT_THAT(registry.AddCallbackGauge("slow", "S.",
                                        [&, p = state.get()] {
                                          in_read.Notify();
                                          release.WaitForNotification();
                                          return static_cast<double>(*p);
                                        }),
              IsOk());
  std::string text;
  std::thread scraper([&] { text = registry.Text(); });
  in_read.WaitForNotification();
  std::atomic<bool> removed{false};
  std::thread remover([&] {
    registry.RemoveCallbackGauge("slow");
    removed = true;
  });
  // The remover cannot finish while the read is blocked. (A bounded wait
  // only to give a wrong implementation the chance to fail.)
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_FALSE(removed.load());
  release.Notify();
  remover.join();
  scraper.join();
  EXPECT_TRUE(removed.load());
  state.reset();  // safe now: read will never run again
  EXPECT_THAT(text, HasSubstr("slow 42\n"));
  EXPECT_EQ(registry.Text(), "");
}

TEST(RegistryTest, TextParsesAsExposition) {
  MetricsRegistry registry;
  CounterFamily* c = registry.AddCounter("a_total", "A.", {"x", "y"}).value();
  HistogramFamily* h =
      registry.AddHistogram("b_seconds", "B.", {"x"}, {0.001, 0.1, 10}).value();
  GaugeFamily* g = registry.AddGauge("c", "C.", {"x"}).value();
  for (int i = 0; i < 5; ++i) {
    std::string x = absl::StrCat("v", i);
    c->With({"x", x}, {"y", "\"q\""})->Increment(i);
    h->With({"x", x})->Observe(i * 0.05);
    g->With({"x", x})->Set(-i);
  }
  absl::StatusOr<Exposition> page = ParseExposition(registry.Text());
  ASSERT_THAT(page, IsOk());
  ASSERT_EQ(page->families.size(), 3u);
  EXPECT_EQ(page->families[0].type, "counter");
  EXPECT_EQ(page->families[1].type, "histogram");
  EXPECT_EQ(page->families[1].samples.size(), 5u * 6u);
  EXPECT_EQ(page->Value("a_total", {{"x", "v3"}, {"y", "\"q\""}}), 3);
  EXPECT_EQ(page->Value("b_seconds_bucket", {{"x", "v2"}, {"le", "0.1"}}), 1);
  EXPECT_EQ(page->Value("b_seconds_count", {{"x", "v4"}}), 1);
  EXPECT_EQ(page->Value("c", {{"x", "v4"}}), -4);
}

TEST(ExpositionParserTest, RejectsMalformedText) {
  EXPECT_THAT(ParseExposition("# HELP a_total A.\n# TYPE a_total counter\n"
                              "a_total 1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("no final newline")));
  EXPECT_THAT(ParseExposition("a_total 1\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("sample before # TYPE")));
  EXPECT_THAT(
      ParseExposition("# HELP a A.\n# TYPE a gauge\n"
                      "a{x=\"\\t\"} 1\n"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bad escape")));
  EXPECT_THAT(ParseExposition("# HELP a A.\n# TYPE a gauge\na 1\na 2\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("series seen before")));
  EXPECT_THAT(
      ParseExposition("# HELP a A.\n# TYPE a counter\na 1\n"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("_total")));
  EXPECT_THAT(ParseExposition("# HELP h H.\n# TYPE h histogram\n"
                              "h_bucket{le=\"1\"} 2\n"
                              "h_bucket{le=\"+Inf\"} 2\n"
                              "h_sum 1\nh_count 3\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("_count differs")));
  EXPECT_THAT(ParseExposition("# HELP h H.\n# TYPE h histogram\n"
                              "h_bucket{le=\"1\"} 2\n"
                              "h_sum 1\nh_count 2\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("+Inf")));
  EXPECT_THAT(ParseExposition("# HELP a A.\n# TYPE a gauge\nb 1\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("does not belong")));
  EXPECT_THAT(
      ParseExposition("# HELP a A.\n# TYPE a gauge\na inf\n"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bad value")));
}

// Several threads update shared and private series while another scrapes
// continuously; every scrape parses, and the final counts are exact.
TEST(RegistryConcurrencyTest, UpdatesWhileScrapingAddUp) {
  MetricsRegistry registry;
  CounterFamily* calls =
      registry.AddCounter("calls_total", "C.", {"route"}).value();
  HistogramFamily* latency =
      registry.AddHistogram("latency_seconds", "L.", {"route"}, {0.5, 1})
          .value();
  GaugeFamily* in_flight =
      registry.AddGauge("in_flight", "I.", {"route"}).value();

  constexpr int kThreads = 4;
  constexpr int kCalls = 20000;
  std::atomic<bool> done{false};
  std::atomic<int> scrapes{0};
  std::string scrape_error;
  std::thread scraper([&] {
    while (!done.load()) {
      absl::StatusOr<Exposition> page = ParseExposition(registry.Text());
      if (!page.ok()) {
        scrape_error = page.status().ToString();
        return;
      }
      // A counter read mid-run never exceeds the final total.
      double shared = page->Value("calls_total", {{"route", "shared"}});
      if (shared > kThreads * kCalls) {
        scrape_error = absl::StrCat("shared count ", shared, " too high");
        return;
      }
      ++scrapes;
    }
  });
  std::vector<std::thread> workers;
  workers.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      // Handles looked up once, as the gateway does per route.
      std::string own = absl::StrCat("route", t);
      Counter* shared = calls->With({"route", "shared"});
      Counter* mine = calls->With({"route", own});
      Histogram* lat = latency->With({"route", "shared"});
      Gauge* flying = in_flight->With({"route", "shared"});
      for (int i = 0; i < kCalls; ++i) {
        flying->Increment();
        shared->Increment();
        mine->Increment();
        lat->Observe(i % 2 == 0 ? 0.25 : 0.75);
        flying->Decrement();
        // New series appear while others update and a scrape runs.
        if (i % 5000 == 0) {
          calls->With({"route", absl::StrCat("late", t, "_", i)})->Increment();
        }
      }
    });
  }
  for (std::thread& w : workers) w.join();
  done = true;
  scraper.join();
  ASSERT_EQ(scrape_error, "");
  EXPECT_GT(scrapes.load(), 0);

  absl::StatusOr<Exposition> page = ParseExposition(registry.Text());
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->Value("calls_total", {{"route", "shared"}}),
            kThreads * kCalls);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(page->Value("calls_total", {{"route", absl::StrCat("route", t)}}),
              kCalls);
    for (int i = 0; i < kCalls; i += 5000) {
      EXPECT_EQ(page->Value("calls_total",
                            {{"route", absl::StrCat("late", t, "_", i)}}),
                1);
    }
  }
  EXPECT_EQ(page->Value("latency_seconds_count", {{"route", "shared"}}),
            kThreads * kCalls);
  EXPECT_EQ(page->Value("latency_seconds_bucket",
                        {{"route", "shared"}, {"le", "0.5"}}),
            kThreads * kCalls / 2);
  EXPECT_EQ(page->Value("latency_seconds_sum", {{"route", "shared"}}),
            (0.25 + 0.75) * kThreads * kCalls / 2);
  EXPECT_EQ(page->Value("in_flight", {{"route", "shared"}}), 0);
}

}  // namespace
}  // namespace gateway
