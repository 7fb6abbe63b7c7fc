// File: go_package.h
//
// GenerateFromGoPackage is netrpc-call's `--go_package=DIR` mode: it runs
// tools/netrpc2proto on a Go package that serves net/rpc, compiles the proto
// it writes with protoc into a descriptor set, and returns the files, so the
// call can be made as with `--descriptor_set` and `--config`.
//
//   NETRPC_ASSIGN_OR_RETURN(netrpc_call::Generated g,
//       netrpc_call::GenerateFromGoPackage({.dir = "./server",
//                                           .netrpc2proto = FindNetrpc2proto(argv0, "")}));
//   // g.descriptor_set, g.config: files under g.dir (a temporary directory)
//
// netrpc2proto runs with --annotate=config (Go names and unwrap marks in
// the config, so the proto imports nothing of ours) and GO111MODULE=off
// unless the environment sets it (it type-checks in GOPATH mode).
//
// Thread-safety: not thread-safe (runs child processes; call from main).

#ifndef TOOLS_NETRPC_CALL_GO_PACKAGE_H_
#define TOOLS_NETRPC_CALL_GO_PACKAGE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace netrpc_call {

// ProgramResult is how a child program ended and what it wrote.
struct ProgramResult {
  int exit_code = -1;  // -1: killed by a signal
  std::string output;  // stdout and stderr, interleaved
};

// RunProgram runs argv (argv[0] a path) with extra environment variables
// and waits for it. An error only if it cannot be started.
absl::StatusOr<ProgramResult> RunProgram(
    const std::vector<std::string>& argv,
    const std::vector<std::pair<std::string, std::string>>& env = {});

// FindNetrpc2proto returns `flag` if set, else netrpc2proto from the
// runfiles of the running binary (or of the test running it), next to it in
// bazel-bin, or on PATH; kNotFound naming the places tried.
absl::StatusOr<std::string> FindNetrpc2proto(const std::string& flag);

// GenerateOptions says what to generate from.
struct GenerateOptions {
  std::string dir;           // the Go package's directory
  std::string netrpc2proto;  // the tool's path
  std::string protoc = "/usr/bin/protoc";
  std::string package;       // --package for netrpc2proto, "" for its default
};

// Generated is where the generated files are.
struct Generated {
  std::string dir;             // a temporary directory; remove it when done
  std::string proto;           // DIR/netrpc_call.proto
  std::string config;          // DIR/netrpc_call.textproto (a gateway config)
  std::string descriptor_set;  // DIR/netrpc_call.pb
};

// GenerateFromGoPackage runs netrpc2proto and protoc; see the file comment.
// Errors quote the tool's report.
absl::StatusOr<Generated> GenerateFromGoPackage(const GenerateOptions& options);

}  // namespace netrpc_call

#endif  // TOOLS_NETRPC_CALL_GO_PACKAGE_H_
