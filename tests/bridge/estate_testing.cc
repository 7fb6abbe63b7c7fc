#include "tests/bridge/estate_testing.h"

#include <signal.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"

#include "bridge/schema/descriptor_set_source.h"
#include "netrpc/testing/readiness.h"
#include "netrpc/testing/runfiles.h"

namespace tests {
namespace {

using ::estate::v1::Address;
using ::estate::v1::User;
using ::estate::v1::Widths;

void SetTime(google::protobuf::Timestamp* t, absl::CivilSecond utc,
             int32_t nanos) {
  t->set_seconds(
      absl::ToUnixSeconds(absl::FromCivil(utc, absl::UTCTimeZone())));
  t->set_nanos(nanos);
}

void SetAddress(Address* a, std::string street, std::string city, double lat,
                double lng) {
  a->set_street(std::move(street));
  a->set_city(std::move(city));
  a->mutable_geo()->set_lat(lat);
  a->mutable_geo()->set_lng(lng);
}

// SetDuration sets d to a Go time.Duration's nanoseconds.
void SetDuration(google::protobuf::Duration* d, int64_t nanoseconds) {
  d->set_seconds(nanoseconds / 1000000000);
  d->set_nanos(static_cast<int32_t>(nanoseconds % 1000000000));
}

}  // namespace

User CanonicalUser() {
  User u;
  u.set_user_id(kCanonicalUserId);
  u.set_name("Rob ✓");
  u.set_role(estate::v1::ROLE_ADMIN);
  u.set_active(true);
  u.set_score(M_PI);
  u.set_ratio(0.1f);
  u.set_avatar(std::string("\x00\x01\xff", 3));
  for (const char* tag : {"go", "", "ünïcode"}) u.add_tags(tag);
  for (int32_t n : {std::numeric_limits<int32_t>::min(), 0, 7}) u.add_lucky(n);
  SetAddress(u.mutable_home(), "1 Main St", "Sydney", -33.8688, 151.2093);
  SetAddress(u.add_past(), "600 Mountain Ave", "Murray Hill", 40.68, -74.40);
  SetAddress(u.add_past(), "", "Mountain View", 37.42, 0);
  (*u.mutable_quota())["disk"] = int64_t{1} << 40;
  (*u.mutable_quota())["cpu"] = -3;
  (*u.mutable_quota())["zero"] = 0;
  (*u.mutable_devices())[-1].set_model("pager");
  estate::v1::Device& phone = (*u.mutable_devices())[7];
  phone.set_model("phone");
  // Go's time.Date(2023, 3, 1, 12, 0, 0, 5, CET): the zone is not kept.
  SetTime(phone.mutable_seen(), absl::CivilSecond(2023, 3, 1, 11, 0, 0), 5);
  SetTime(u.mutable_created(), absl::CivilSecond(2009, 11, 10, 23, 0, 0),
          123456789);
  SetDuration(u.mutable_session(), int64_t{36} * 3600 * 1000000000 + 1);
  User* manager = u.mutable_manager();
  manager->set_user_id(7);
  manager->set_name("Ken");
  manager->set_role(estate::v1::ROLE_READER);
  SetAddress(manager->mutable_home(), "", "Berkeley", 0, 1);
  return u;
}

Widths WidthsMin() {
  Widths w;
  w.set_i32(std::numeric_limits<int32_t>::min());
  w.set_i64(std::numeric_limits<int64_t>::min());
  w.set_si32(std::numeric_limits<int32_t>::min());
  w.set_si64(std::numeric_limits<int64_t>::min());
  w.set_sf32(std::numeric_limits<int32_t>::min());
  w.set_sf64(std::numeric_limits<int64_t>::min());
  w.set_fl32(-std::numeric_limits<float>::max());
  w.set_fl64(-std::numeric_limits<double>::max());
  SetDuration(w.mutable_span(), std::numeric_limits<int64_t>::min());
  SetTime(w.mutable_at(), absl::CivilSecond(1, 1, 1, 0, 0, 0), 1);
  return w;
}

Widths WidthsMax() {
  Widths w;
  w.set_i32(std::numeric_limits<int32_t>::max());
  w.set_i64(std::numeric_limits<int64_t>::max());
  w.set_si32(std::numeric_limits<int32_t>::max());
  w.set_si64(std::numeric_limits<int64_t>::max());
  w.set_sf32(std::numeric_limits<int32_t>::max());
  w.set_sf64(std::numeric_limits<int64_t>::max());
  w.set_u32(std::numeric_limits<uint32_t>::max());
  w.set_u64(std::numeric_limits<uint64_t>::max());
  w.set_fx32(std::numeric_limits<uint32_t>::max());
  w.set_fx64(std::numeric_limits<uint64_t>::max());
  w.set_fl32(std::numeric_limits<float>::max());
  w.set_fl64(std::numeric_limits<double>::max());
  SetDuration(w.mutable_span(), std::numeric_limits<int64_t>::max());
  SetTime(w.mutable_at(), absl::CivilSecond(9999, 12, 31, 23, 59, 59),
          999999999);
  return w;
}

Widths WidthsTiny() {
  Widths w;
  w.set_fl32(std::numeric_limits<float>::denorm_min());
  w.set_fl64(std::numeric_limits<double>::denorm_min());
  return w;
}

absl::StatusOr<std::shared_ptr<const bridge::Schema>> LoadSchema(
    const std::vector<absl::string_view>& descriptor_sets) {
  std::vector<std::unique_ptr<bridge::DescriptorSetSource>> owned;
  std::vector<bridge::SchemaSource*> sources;
  for (absl::string_view path : descriptor_sets) {
    absl::StatusOr<std::string> file = netrpc::testing::Runfile(path);
    if (!file.ok()) return file.status();
    owned.push_back(std::make_unique<bridge::DescriptorSetSource>(*file));
    sources.push_back(owned.back().get());
  }
  return bridge::Schema::Build(sources);
}

absl::StatusOr<std::shared_ptr<const bridge::Mapping>> BuildMapping(
    absl::string_view config_text,
    std::shared_ptr<const bridge::Schema> schema) {
  netrpc::config::v1::Bridge config;
  if (!google::protobuf::TextFormat::ParseFromString(std::string(config_text),
                                                     &config)) {
    return absl::InvalidArgumentError(
        absl::StrCat("config does not parse: ", config_text));
  }
  return bridge::Mapping::Build(config, std::move(schema));
}

::testing::AssertionResult ProtoEq(const google::protobuf::Message& want,
                                   const google::protobuf::Message& got) {
  google::protobuf::util::MessageDifferencer differencer;
  std::string report;
  differencer.ReportDifferencesToString(&report);
  if (differencer.Compare(want, got)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << got.GetDescriptor()->full_name() << " differs (want -> got):\n"
         << report;
}

absl::StatusOr<std::unique_ptr<GoUserServer>> GoUserServer::Start(
    const std::string& address, absl::Duration timeout) {
  absl::StatusOr<std::string> path =
      netrpc::testing::Runfile("tests/bridge/userserver");
  if (!path.ok()) return path.status();
  netrpc::testing::SubprocessOptions options;
  options.argv = {*path, "-addr", address};
  absl::StatusOr<std::unique_ptr<netrpc::testing::Subprocess>> process =
      netrpc::testing::Subprocess::Start(std::move(options));
  if (!process.ok()) return process.status();
  absl::StatusOr<netrpc::testing::HostPort> tcp =
      netrpc::testing::WaitForListenAddress(**process, "listening tcp ",
                                            timeout);
  if (!tcp.ok()) return tcp.status();
  absl::StatusOr<netrpc::testing::HostPort> http =
      netrpc::testing::WaitForListenAddress(**process, "listening http ",
                                            timeout);
  if (!http.ok()) return http.status();
  return std::unique_ptr<GoUserServer>(
      new GoUserServer(*std::move(process), tcp->ToString(), http->ToString()));
}

absl::Status GoUserServer::Kill() {
  absl::Status s = process_->Signal(SIGKILL);
  if (!s.ok()) return s;
  return process_->Wait(absl::Seconds(30)).status();
}

::testing::AssertionResult ChecksPassed(absl::string_view transcript,
                                        const std::vector<std::string>& want) {
  std::vector<std::string> failures;
  std::vector<std::string> passed;
  for (absl::string_view line : absl::StrSplit(transcript, '\n')) {
    if (absl::ConsumePrefix(&line, "PASS ")) passed.emplace_back(line);
    if (absl::StartsWith(line, "FAIL ")) failures.emplace_back(line);
  }
  for (const std::string& name : want) {
    if (std::find(passed.begin(), passed.end(), name) == passed.end()) {
      failures.push_back(absl::StrCat("(check \"", name, "\" did not pass)"));
    }
  }
  if (failures.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << absl::StrJoin(failures, "\n") << "\nwhole transcript:\n"
         << transcript;
}

}  // namespace tests
