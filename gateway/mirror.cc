#include "gateway/mirror.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "bridge/diff/diff.h"
#include "gateway/log.h"

namespace gateway {

using ::google::protobuf::Message;

void MirrorLog::Add(std::string entry) {
  absl::MutexLock lock(&mu_);
  ++total_;
  entries_.push_front(std::move(entry));
  if (entries_.size() > capacity_) entries_.pop_back();
}

std::string MirrorLog::Text() const {
  absl::MutexLock lock(&mu_);
  std::string out = absl::StrCat(total_, " mirrored calls differed; the last ",
                                 entries_.size(), ", newest first:\n");
  for (const std::string& e : entries_) absl::StrAppend(&out, "\n", e);
  return out;
}

std::shared_ptr<Mirror> Mirror::Start(const bridge::BackendCall& call,
                                      std::shared_ptr<Upstream> shadow,
                                      RouteMetrics* metrics, MirrorLog* log) {
  std::shared_ptr<Mirror> m(new Mirror());
  m->mapping_ = call.mapping;
  m->route_ = call.route;
  m->upstream_name_ = shadow->name();
  m->metrics_ = metrics;
  m->log_ = log;
  // The shadow gets the same request and deadline as the primary.
  bridge::BackendCall copy = call;
  shadow->Call(copy, [m](absl::StatusOr<std::string> r) {
    m->ShadowDone(std::move(r));
  });
  return m;
}

void Mirror::PrimaryDone(const absl::StatusOr<std::string>& r) {
  bool last;
  {
    absl::MutexLock lock(&mu_);
    primary_ = r;
    last = --pending_ == 0;
  }
  if (last) Compare();
}

void Mirror::ShadowDone(absl::StatusOr<std::string> r) {
  bool last;
  {
    absl::MutexLock lock(&mu_);
    shadow_ = std::move(r);
    last = --pending_ == 0;
  }
  if (last) Compare();
}

void Mirror::Compare() {
  // Both sides are in and nobody else touches them any more.
  absl::MutexLock lock(&mu_);
  std::string name = route_->netrpc_name();
  std::string header = absl::StrCat(
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                       absl::UTCTimeZone()),
      " ", name, " (shadow ", upstream_name_, ")");
  std::vector<std::string> lines;
  MirrorResult result = MirrorResult::kMatch;
  if (!primary_.ok() || !shadow_.ok()) {
    // Both failing alike is agreement; anything else is worth a look.
    bool same = !primary_.ok() && !shadow_.ok() &&
                primary_.status().code() == shadow_.status().code();
    if (!same) {
      result = shadow_.ok() ? MirrorResult::kDiff : MirrorResult::kShadowError;
      lines.push_back(absl::StrCat(
          "primary: ", primary_.ok() ? "OK" : primary_.status().ToString()));
      lines.push_back(absl::StrCat(
          "shadow: ", shadow_.ok() ? "OK" : shadow_.status().ToString()));
    }
  } else {
    const google::protobuf::Descriptor* type = route_->method->output_type();
    std::unique_ptr<Message> primary = mapping_->schema().NewMessage(*type);
    std::unique_ptr<Message> shadow = mapping_->schema().NewMessage(*type);
    if (!primary->ParseFromString(*primary_)) {
      lines.push_back(absl::StrCat("primary: the response does not parse as ",
                                   type->full_name()));
    }
    if (!shadow->ParseFromString(*shadow_)) {
      lines.push_back(absl::StrCat("shadow: the response does not parse as ",
                                   type->full_name()));
    }
    if (lines.empty()) {
      bridge::DiffOptions options;
      options.names = &mapping_->types().names();
      options.max_diffs = 20;
      for (const bridge::FieldDiff& d :
           bridge::DiffMessages(*primary, *shadow, options)) {
        lines.push_back(d.ToString());
      }
    }
    if (!lines.empty()) result = MirrorResult::kDiff;
  }
  if (metrics_ != nullptr) metrics_->Mirror(result);
  if (result == MirrorResult::kMatch) return;
  std::string joined = absl::StrJoin(lines, "; ");
  Log(LogLevel::kInfo, "mirror difference",
      {{"route", name},
       {"shadow", upstream_name_},
       {"result", MirrorResultName(result)},
       {"diff", joined}});
  if (log_ != nullptr) {
    log_->Add(absl::StrCat(header, "\n  ", absl::StrJoin(lines, "\n  "), "\n"));
  }
}

}  // namespace gateway
