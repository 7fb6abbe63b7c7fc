// File: gob_peers.h
//
// The two programs the gob interop tests pipe streams through: GoGobPeer, the
// real encoding/gob (//tests/interop/go:gobpeer), and GobTool, our codec's
// command-line tool (//tools/gob). Both run as subprocesses with stdin and
// stdout as the stream, so a test reads as the pipeline it checks:
//
//   absl::StatusOr<GoGobPeer> go = GoGobPeer::Find();
//   absl::StatusOr<GobTool> tool = GobTool::Find();
//   absl::StatusOr<std::string> stream = go->Encode("point");
//   absl::StatusOr<std::string> recoded = tool->Recode(*stream);
//   EXPECT_THAT(go->Verify("point", *recoded), IsOk());
//
// A cc_test using these lists both binaries in its `data`.

#ifndef TESTS_INTEROP_GOB_PEERS_H_
#define TESTS_INTEROP_GOB_PEERS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

#include "netrpc/testing/subprocess.h"

namespace tests {

// kGobPeerTimeout bounds each run of either program. The largest stream is a
// few hundred KiB; only a hung program comes near this.
inline constexpr absl::Duration kGobPeerTimeout = absl::Seconds(60);

// GobCases returns the names of gobpeer's corpus cases, in corpus order. The
// list is repeated here so that each case can be its own gtest case;
// GoGobPeerTest.ListMatchesGobCases keeps the two in step.
const std::vector<std::string>& GobCases();

// GoCount is what Go's decoder makes of a stream that may be cut short.
struct GoCount {
  // values is how many values Go decoded before the stream ended or failed.
  size_t values = 0;
  // clean says whether the stream ended cleanly between two values.
  bool clean = false;
  // error is Go's reason when it did not.
  std::string error;
};

// GoGobPeer runs Go's encoding/gob through the gobpeer program.
class GoGobPeer {
 public:
  // Find locates gobpeer in the test's runfiles.
  static absl::StatusOr<GoGobPeer> Find();

  // List returns the corpus case names `gobpeer list` prints.
  absl::StatusOr<std::vector<std::string>> List() const;

  // Encode returns Go's stream of one case on a fresh Encoder in a fresh
  // process, or of every case on one Encoder if case_name is empty.
  absl::StatusOr<std::string> Encode(absl::string_view case_name) const;

  // Verify decodes stream with Go into the corpus's own types and checks it
  // holds exactly the values of case_name (every case if empty). The error
  // carries gobpeer's report: each differing field with got and want.
  absl::Status Verify(absl::string_view case_name, std::string stream) const;

  // Count decodes the values of case_name (every case if empty) from stream
  // into their Go types until the stream ends, and says how far Go got. It
  // fails only if gobpeer cannot run.
  absl::StatusOr<GoCount> Count(absl::string_view case_name,
                                std::string stream) const;

 private:
  explicit GoGobPeer(std::string path) : path_(std::move(path)) {}

  std::string path_;
};

// GobTool runs our gob codec through the `gob` command-line tool.
class GobTool {
 public:
  // Find locates the tool in the test's runfiles.
  static absl::StatusOr<GobTool> Find();

  // Recode returns `gob recode`'s output for stream on stdin: every value
  // decoded into the dynamic model and encoded again on a fresh stream. It
  // fails unless the tool exits 0.
  absl::StatusOr<std::string> Recode(std::string stream) const;

  // Run runs the tool with args and stdin, and returns how it ended; a
  // non-zero exit is a result, not an error.
  absl::StatusOr<netrpc::testing::RunResult> Run(
      std::vector<std::string> args,
      std::optional<std::string> stdin_data) const;

 private:
  explicit GobTool(std::string path) : path_(std::move(path)) {}

  std::string path_;
};

}  // namespace tests

#endif  // TESTS_INTEROP_GOB_PEERS_H_
