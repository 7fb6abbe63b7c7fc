// File: status_matchers.h
//
// GoogleTest matchers for absl::Status and absl::StatusOr<T>, until Abseil
// ships its own (20220623, the Debian version, does not):
//
//   EXPECT_THAT(DoIt(), IsOk());
//   EXPECT_THAT(Parse(bytes), IsOkAndHolds(42));
//   EXPECT_THAT(Parse(""), StatusIs(absl::StatusCode::kDataLoss));
//   EXPECT_THAT(Parse("x"), StatusIs(absl::StatusCode::kInvalidArgument,
//                                    ::testing::HasSubstr("gob:")));
//
// On a mismatch the failure message prints the whole status.
//
// Code inside namespace netrpc must spell GoogleTest's namespace ::testing,
// since netrpc::testing (this file's) hides it.

#ifndef NETRPC_TESTING_STATUS_MATCHERS_H_
#define NETRPC_TESTING_STATUS_MATCHERS_H_

#include <string>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"

namespace netrpc::testing {
namespace internal_status {

inline const absl::Status& GetStatus(const absl::Status& status) {
  return status;
}

template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

}  // namespace internal_status

// IsOk matches an OK absl::Status or absl::StatusOr<T>.
MATCHER(IsOk, negation ? "is not OK" : "is OK") {
  const absl::Status& status = internal_status::GetStatus(arg);
  *result_listener << "whose status is " << status;
  return status.ok();
}

// IsOkAndHolds matches an OK absl::StatusOr<T> whose value matches
// value_matcher (a matcher, or a value to compare with ==).
MATCHER_P(
    IsOkAndHolds, value_matcher,
    absl::StrCat(
        negation ? "is not OK or holds a value that "
                 : "is OK and holds a value that ",
        ::testing::DescribeMatcher<typename std::decay_t<arg_type>::value_type>(
            value_matcher, negation))) {
  if (!arg.ok()) {
    *result_listener << "whose status is " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(value_matcher, *arg, result_listener);
}

// StatusIs matches a Status or StatusOr whose code is code.
MATCHER_P(StatusIs, code,
          absl::StrCat(negation ? "has a code other than " : "has code ",
                       absl::StatusCodeToString(code))) {
  const absl::Status& status = internal_status::GetStatus(arg);
  *result_listener << "whose status is " << status;
  return status.code() == code;
}

// StatusIs matches a Status or StatusOr whose code is code and whose message
// matches message_matcher (a matcher, or a string to compare with ==).
MATCHER_P2(StatusIs, code, message_matcher,
           absl::StrCat(negation ? "has a code other than " : "has code ",
                        absl::StatusCodeToString(code),
                        negation ? " or a message that "
                                 : " and a message that ",
                        ::testing::DescribeMatcher<std::string>(message_matcher,
                                                                negation))) {
  const absl::Status& status = internal_status::GetStatus(arg);
  *result_listener << "whose status is " << status;
  if (status.code() != code) return false;
  return ::testing::ExplainMatchResult(
      message_matcher, std::string(status.message()), result_listener);
}

}  // namespace netrpc::testing

#endif  // NETRPC_TESTING_STATUS_MATCHERS_H_
