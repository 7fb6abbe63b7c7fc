#include "tests/interop/gob_peers.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

#include "netrpc/testing/runfiles.h"

namespace tests {
namespace {

using ::netrpc::testing::RunCommand;
using ::netrpc::testing::RunResult;
using ::netrpc::testing::SubprocessOptions;

absl::StatusOr<RunResult> RunProgram(const std::string& path,
                                     std::vector<std::string> args,
                                     std::optional<std::string> stdin_data) {
  SubprocessOptions options;
  options.argv.push_back(path);
  for (std::string& arg : args) options.argv.push_back(std::move(arg));
  options.stdin_data = std::move(stdin_data);
  return RunCommand(std::move(options), kGobPeerTimeout);
}

// Succeeded returns the child's stdout if it exited 0, else its failure.
absl::StatusOr<std::string> Succeeded(absl::StatusOr<RunResult> result) {
  if (!result.ok()) return result.status();
  absl::Status status = result->ToStatus();
  if (!status.ok()) return status;
  return std::move(result->out);
}

std::vector<std::string> CaseArg(absl::string_view verb,
                                 absl::string_view case_name) {
  std::vector<std::string> args = {std::string(verb)};
  if (!case_name.empty()) args.emplace_back(case_name);
  return args;
}

}  // namespace

const std::vector<std::string>& GobCases() {
  static const auto* const cases = new std::vector<std::string>{
      "point",
      "int_fields_max",
      "int_fields_min",
      "int_toplevel",
      "floats",
      "float_toplevel",
      "bools",
      "strings",
      "bytes",
      "slices",
      "arrays",
      "maps",
      "map_struct_key",
      "nested",
      "pointers",
      "recursive",
      "embedded",
      "unexported",
      "interface_basic",
      "interface_nested",
      "interface_collections",
      "interface_external",
      "time",
      "time_zones",
      "gob_encoder",
      "binary_marshaler",
      "toplevel",
      "empty_struct",
      "zeros",
      "large",
  };
  return *cases;
}

absl::StatusOr<GoGobPeer> GoGobPeer::Find() {
  absl::StatusOr<std::string> path =
      netrpc::testing::Runfile("tests/interop/go/gobpeer");
  if (!path.ok()) return path.status();
  return GoGobPeer(*std::move(path));
}

absl::StatusOr<std::vector<std::string>> GoGobPeer::List() const {
  absl::StatusOr<std::string> out =
      Succeeded(RunProgram(path_, {"list"}, std::nullopt));
  if (!out.ok()) return out.status();
  return std::vector<std::string>(
      absl::StrSplit(*out, '\n', absl::SkipEmpty()));
}

absl::StatusOr<std::string> GoGobPeer::Encode(
    absl::string_view case_name) const {
  return Succeeded(
      RunProgram(path_, CaseArg("encode", case_name), std::nullopt));
}

absl::Status GoGobPeer::Verify(absl::string_view case_name,
                               std::string stream) const {
  return Succeeded(
             RunProgram(path_, CaseArg("verify", case_name), std::move(stream)))
      .status();
}

absl::StatusOr<GoCount> GoGobPeer::Count(absl::string_view case_name,
                                         std::string stream) const {
  absl::StatusOr<RunResult> r =
      RunProgram(path_, CaseArg("count", case_name), std::move(stream));
  if (!r.ok()) return r.status();
  GoCount count;
  if (r->exit.signal != 0 || r->exit.code > 1 ||
      !absl::SimpleAtoi(absl::StripAsciiWhitespace(r->out), &count.values)) {
    return absl::InternalError(
        absl::StrCat("gobpeer count: unexpected output \"", r->out, "\"; ",
                     r->ToStatus().message()));
  }
  count.clean = r->exit.Success();
  count.error = r->err;
  return count;
}

absl::StatusOr<GobTool> GobTool::Find() {
  absl::StatusOr<std::string> path = netrpc::testing::Runfile("tools/gob/gob");
  if (!path.ok()) return path.status();
  return GobTool(*std::move(path));
}

absl::StatusOr<std::string> GobTool::Recode(std::string stream) const {
  return Succeeded(RunProgram(path_, {"recode"}, std::move(stream)));
}

absl::StatusOr<RunResult> GobTool::Run(
    std::vector<std::string> args,
    std::optional<std::string> stdin_data) const {
  return RunProgram(path_, std::move(args), std::move(stdin_data));
}

}  // namespace tests
