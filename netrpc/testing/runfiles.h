// File: runfiles.h
//
// Runfile finds a data dependency of a test (a Go peer built by go_binary, a
// tool binary, a test data file) in the test's runfiles tree. Paths are
// workspace-relative, the way the BUILD label names them:
//
//   // BUILD: cc_test(..., data = ["//tests/interop/go:gobpeer"])
//   absl::StatusOr<std::string> peer = Runfile("tests/interop/go/gobpeer");
//   ASSERT_THAT(peer, IsOk());
//
// It looks in $TEST_SRCDIR/$TEST_WORKSPACE (set by `bazel test`), then in
// $RUNFILES_DIR (set by `bazel run` and by some launchers), then beside the
// running binary in <binary>.runfiles (a test binary started by hand).

#ifndef NETRPC_TESTING_RUNFILES_H_
#define NETRPC_TESTING_RUNFILES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace netrpc::testing {

// Runfile returns the absolute path of the data dependency at the
// workspace-relative path. It fails with kNotFound, listing the places it
// looked, if the file is not there: usually a missing `data` entry.
absl::StatusOr<std::string> Runfile(absl::string_view path);

}  // namespace netrpc::testing

#endif  // NETRPC_TESTING_RUNFILES_H_
