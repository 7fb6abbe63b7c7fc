#include "netrpc/testing/runfiles.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace netrpc::testing {
namespace {

// The workspace name from WORKSPACE, used when TEST_WORKSPACE is unset.
constexpr absl::string_view kDefaultWorkspace = "netrpc_gateway";

std::string EnvOr(const char* name, absl::string_view fallback) {
  const char* value = getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value)
                                            : std::string(fallback);
}

std::string SelfExe() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

}  // namespace

absl::StatusOr<std::string> Runfile(absl::string_view path) {
  const std::string workspace = EnvOr("TEST_WORKSPACE", kDefaultWorkspace);
  std::vector<std::string> roots;
  for (const char* var : {"TEST_SRCDIR", "RUNFILES_DIR"}) {
    std::string root = EnvOr(var, "");
    if (!root.empty()) roots.push_back(root);
  }
  std::string self = SelfExe();
  if (!self.empty()) roots.push_back(self + ".runfiles");

  std::vector<std::string> tried;
  for (const std::string& root : roots) {
    std::string candidate = absl::StrCat(root, "/", workspace, "/", path);
    if (access(candidate.c_str(), F_OK) == 0) return candidate;
    tried.push_back(candidate);
  }
  return absl::NotFoundError(absl::StrCat(
      "runfiles: no \"", path, "\" (looked in: ",
      tried.empty() ? "nowhere: TEST_SRCDIR and RUNFILES_DIR are unset"
                    : absl::StrJoin(tried, ", "),
      "); is it in the test's `data`?"));
}

}  // namespace netrpc::testing
