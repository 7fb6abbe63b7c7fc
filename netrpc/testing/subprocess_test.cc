#include "netrpc/testing/subprocess.h"

#include <signal.h>
#include <stdlib.h>

#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/testing/status_matchers.h"

namespace {

using ::netrpc::testing::ExitStatus;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::RunCommand;
using ::netrpc::testing::RunResult;
using ::netrpc::testing::StatusIs;
using ::netrpc::testing::Stream;
using ::netrpc::testing::Subprocess;
using ::netrpc::testing::SubprocessOptions;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Generous: only a broken helper or a wedged machine takes this long.
constexpr absl::Duration kLong = absl::Seconds(30);

SubprocessOptions Shell(const std::string& script) {
  SubprocessOptions options;
  options.argv = {"/bin/sh", "-c", script};
  return options;
}

// ProcessGone reports whether pid no longer runs: it does not exist, or it is
// a zombie waiting for a reaper that is not us.
bool ProcessGone(pid_t pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  if (!stat) return true;
  std::string line;
  std::getline(stat, line);
  // The state follows the parenthesised command name: "pid (comm) S ...".
  size_t paren = line.rfind(')');
  return paren == std::string::npos || paren + 2 >= line.size() ||
         line[paren + 2] == 'Z' || line[paren + 2] == 'X';
}

bool WaitUntilGone(pid_t pid, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (!ProcessGone(pid)) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

TEST(SubprocessTest, RunCapturesStdoutStderrAndExitCode) {
  absl::StatusOr<RunResult> r =
      RunCommand(Shell("echo out1; echo err1 >&2; echo out2; exit 3"), kLong);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->out, "out1\nout2\n");
  EXPECT_EQ(r->err, "err1\n");
  EXPECT_EQ(r->exit.code, 3);
  EXPECT_EQ(r->exit.signal, 0);
  EXPECT_FALSE(r->exit.Success());
  EXPECT_THAT(
      r->ToStatus(),
      StatusIs(absl::StatusCode::kUnknown,
               ::testing::AllOf(HasSubstr("/bin/sh -c 'echo out1"),
                                HasSubstr("exit code 3"), HasSubstr("err1"))));
}

TEST(SubprocessTest, SuccessfulRunIsOk) {
  absl::StatusOr<RunResult> r = RunCommand(Shell("true"), kLong);
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(r->exit.Success());
  EXPECT_THAT(r->ToStatus(), IsOk());
}

TEST(SubprocessTest, StdinDataReachesTheChildUnchanged) {
  SubprocessOptions options;
  options.argv = {"/bin/cat"};
  std::string data;
  // Binary bytes, and more than a pipe buffer, written while the child's
  // output is read: a helper that wrote all of stdin first would deadlock.
  for (int i = 0; i < 1 << 20; ++i) data.push_back(static_cast<char>(i * 7));
  options.stdin_data = data;
  absl::StatusOr<RunResult> r = RunCommand(options, kLong);
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(r->exit.Success()) << r->err;
  EXPECT_EQ(r->out.size(), data.size());
  EXPECT_TRUE(r->out == data);
}

TEST(SubprocessTest, NoStdinDataMeansEmptyStdin) {
  absl::StatusOr<RunResult> r = RunCommand(Shell("wc -c"), kLong);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->out, "0\n");
}

TEST(SubprocessTest, ChildThatIgnoresStdinDoesNotKillTheTest) {
  // The child exits without reading; writing the rest raises SIGPIPE, which
  // the helper must absorb.
  SubprocessOptions options = Shell("exit 0");
  options.stdin_data = std::string(1 << 20, 'x');
  absl::StatusOr<RunResult> r = RunCommand(options, kLong);
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(r->exit.Success());
}

TEST(SubprocessTest, LargeOutputOnBothStreams) {
  absl::StatusOr<RunResult> r = RunCommand(
      Shell("head -c 1000000 /dev/zero; head -c 700000 /dev/zero >&2"), kLong);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->out.size(), 1000000u);
  EXPECT_EQ(r->err.size(), 700000u);
}

TEST(SubprocessTest, EnvironmentIsInheritedAndOverridden) {
  setenv("NETRPC_SUBPROCESS_TEST_INHERITED", "from-parent", 1);
  setenv("NETRPC_SUBPROCESS_TEST_OVERRIDDEN", "old", 1);
  SubprocessOptions options = Shell(
      "echo \"$NETRPC_SUBPROCESS_TEST_INHERITED "
      "$NETRPC_SUBPROCESS_TEST_OVERRIDDEN $NETRPC_SUBPROCESS_TEST_NEW\"");
  options.env = {{"NETRPC_SUBPROCESS_TEST_OVERRIDDEN", "new"},
                 {"NETRPC_SUBPROCESS_TEST_NEW", "added"}};
  absl::StatusOr<RunResult> r = RunCommand(options, kLong);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->out, "from-parent new added\n");

  options.inherit_env = false;
  r = RunCommand(options, kLong);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->out, " new added\n");
}

TEST(SubprocessTest, MissingProgramIsAnErrorNotExit127) {
  SubprocessOptions options;
  options.argv = {"/nonexistent/program", "arg"};
  EXPECT_THAT(Subprocess::Start(options),
              StatusIs(absl::StatusCode::kNotFound,
                       ::testing::AllOf(HasSubstr("/nonexistent/program arg"),
                                        HasSubstr("No such file"))));
}

TEST(SubprocessTest, ProgramMustBeAPath) {
  SubprocessOptions options;
  options.argv = {"sh", "-c", "true"};
  EXPECT_THAT(
      Subprocess::Start(options),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is not a path")));
  options.argv.clear();
  EXPECT_THAT(Subprocess::Start(options),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SubprocessTest, CommandLineQuotesArgumentsForAShell) {
  SubprocessOptions options;
  options.argv = {"/bin/echo", "plain", "two words", "it's", ""};
  absl::StatusOr<RunResult> r = RunCommand(options, kLong);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->command_line, "/bin/echo plain 'two words' 'it'\\''s' ''");
}

TEST(SubprocessTest, WaitTimesOutAndLeavesTheChildRunning) {
  absl::StatusOr<std::unique_ptr<Subprocess>> child =
      Subprocess::Start(Shell("echo started >&2; exec sleep 60"));
  ASSERT_THAT(child, IsOk());
  ASSERT_THAT(
      (*child)->WaitForLine(
          Stream::kStderr, [](absl::string_view) { return true; }, kLong),
      IsOk());
  absl::Time start = absl::Now();
  EXPECT_THAT((*child)->Wait(absl::Milliseconds(100)),
              StatusIs(absl::StatusCode::kDeadlineExceeded,
                       ::testing::AllOf(HasSubstr("still running"),
                                        HasSubstr("started"))));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_FALSE(ProcessGone((*child)->pid()));

  absl::StatusOr<ExitStatus> exit = (*child)->Terminate(kLong);
  ASSERT_THAT(exit, IsOk());
  EXPECT_EQ(exit->signal, SIGTERM);
  EXPECT_EQ(exit->ToString(), "killed by signal 15 (Terminated)");
  // Waiting again returns the same status; signalling is now an error.
  EXPECT_THAT((*child)->Wait(absl::ZeroDuration()), IsOk());
  EXPECT_THAT((*child)->Signal(SIGTERM),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(SubprocessTest, RunKillsAChildThatTimesOut) {
  absl::Time start = absl::Now();
  EXPECT_THAT(RunCommand(Shell("exec sleep 60"), absl::Milliseconds(100)),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST(SubprocessTest, TerminateEscalatesToSigkill) {
  absl::StatusOr<std::unique_ptr<Subprocess>> child = Subprocess::Start(
      Shell("trap '' TERM; echo ready; while :; do sleep 1; done"));
  ASSERT_THAT(child, IsOk());
  ASSERT_THAT((*child)->WaitForLine(
                  Stream::kStdout,
                  [](absl::string_view l) { return l == "ready"; }, kLong),
              IsOk());
  absl::StatusOr<ExitStatus> exit =
      (*child)->Terminate(absl::Milliseconds(200));
  ASSERT_THAT(exit, IsOk());
  EXPECT_EQ(exit->signal, SIGKILL);
}

TEST(SubprocessTest, DestructorKillsTheChildAndWhatItStarted) {
  pid_t child_pid = 0;
  pid_t grandchild_pid = 0;
  {
    absl::StatusOr<std::unique_ptr<Subprocess>> child =
        Subprocess::Start(Shell("sleep 60 & echo $!; wait"));
    ASSERT_THAT(child, IsOk());
    absl::StatusOr<std::string> line = (*child)->WaitForLine(
        Stream::kStdout, [](absl::string_view) { return true; }, kLong);
    ASSERT_THAT(line, IsOk());
    ASSERT_TRUE(absl::SimpleAtoi(*line, &grandchild_pid)) << *line;
    child_pid = (*child)->pid();
    EXPECT_FALSE(ProcessGone(grandchild_pid));
  }
  EXPECT_TRUE(ProcessGone(child_pid));
  // The grandchild is reaped by init, not by us: allow it a moment.
  EXPECT_TRUE(WaitUntilGone(grandchild_pid, kLong));
}

TEST(SubprocessTest, WaitKillsLeftoversSoOutputCloses) {
  // The shell exits at once but its background child keeps stdout open;
  // Wait must not hang on it.
  absl::StatusOr<std::unique_ptr<Subprocess>> child =
      Subprocess::Start(Shell("sleep 60 & echo $!; exit 4"));
  ASSERT_THAT(child, IsOk());
  absl::StatusOr<ExitStatus> exit = (*child)->Wait(kLong);
  ASSERT_THAT(exit, IsOk());
  EXPECT_EQ(exit->code, 4);
  pid_t grandchild_pid = 0;
  ASSERT_TRUE(absl::SimpleAtoi(
      absl::StripTrailingAsciiWhitespace((*child)->Output(Stream::kStdout)),
      &grandchild_pid));
  EXPECT_TRUE(WaitUntilGone(grandchild_pid, kLong));
}

TEST(SubprocessTest, WaitForLineFindsAMatchingLine) {
  absl::StatusOr<std::unique_ptr<Subprocess>> child = Subprocess::Start(
      Shell("echo one; echo 'listening on 127.0.0.1:1234'; exec sleep 60"));
  ASSERT_THAT(child, IsOk());
  absl::StatusOr<std::string> line = (*child)->WaitForLine(
      Stream::kStdout,
      [](absl::string_view l) { return absl::StartsWith(l, "listening"); },
      kLong);
  EXPECT_THAT(line,
              netrpc::testing::IsOkAndHolds("listening on 127.0.0.1:1234"));
}

TEST(SubprocessTest, WaitForLineFailsFastWhenTheStreamEnds) {
  absl::StatusOr<std::unique_ptr<Subprocess>> child =
      Subprocess::Start(Shell("echo wrong line; echo oops >&2; exit 1"));
  ASSERT_THAT(child, IsOk());
  absl::Time start = absl::Now();
  EXPECT_THAT(
      (*child)->WaitForLine(
          Stream::kStdout, [](absl::string_view) { return false; }, kLong),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               ::testing::AllOf(HasSubstr("closed its stdout"),
                                HasSubstr("wrong line"), HasSubstr("oops"))));
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
}

TEST(SubprocessTest, WaitForLineTimesOut) {
  absl::StatusOr<std::unique_ptr<Subprocess>> child =
      Subprocess::Start(Shell("echo not it; exec sleep 60"));
  ASSERT_THAT(child, IsOk());
  EXPECT_THAT(
      (*child)->WaitForLine(
          Stream::kStdout, [](absl::string_view l) { return l == "it"; },
          absl::Milliseconds(100)),
      StatusIs(absl::StatusCode::kDeadlineExceeded, HasSubstr("not it")));
}

TEST(SubprocessTest, LineCallbacksSeeEveryLineInOrder) {
  std::mutex mu;
  std::vector<std::string> out_lines;
  std::vector<std::string> err_lines;
  SubprocessOptions options =
      Shell("echo a; echo x >&2; printf 'b\\nc'; printf 'y' >&2");
  options.on_stdout_line = [&](absl::string_view line) {
    std::lock_guard<std::mutex> lock(mu);
    out_lines.emplace_back(line);
  };
  options.on_stderr_line = [&](absl::string_view line) {
    std::lock_guard<std::mutex> lock(mu);
    err_lines.emplace_back(line);
  };
  absl::StatusOr<RunResult> r = RunCommand(options, kLong);
  ASSERT_THAT(r, IsOk());
  std::lock_guard<std::mutex> lock(mu);
  // The last line has no newline: it is delivered at end of stream.
  EXPECT_THAT(out_lines, ElementsAre("a", "b", "c"));
  EXPECT_THAT(err_lines, ElementsAre("x", "y"));
}

TEST(SubprocessTest, ExitBySignalIsReported) {
  absl::StatusOr<RunResult> r = RunCommand(Shell("kill -9 $$"), kLong);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->exit.code, -1);
  EXPECT_EQ(r->exit.signal, SIGKILL);
  EXPECT_THAT(r->ToStatus().message(), HasSubstr("killed by signal 9"));
}

TEST(SubprocessTest, ChildStartsWithDefaultSignalHandling) {
  // A test runner that ignores SIGPIPE must not pass that on: Go peers and
  // shells behave differently with it ignored.
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction old = {};
  ASSERT_EQ(sigaction(SIGPIPE, &ignore, &old), 0);
  SubprocessOptions options;
  options.argv = {"/bin/grep", "SigIgn", "/proc/self/status"};
  absl::StatusOr<RunResult> r = RunCommand(options, kLong);
  sigaction(SIGPIPE, &old, nullptr);
  ASSERT_THAT(r, IsOk());
  // "SigIgn:\t<hex mask>": bit n-1 is set if signal n is ignored.
  uint64_t ignored = 0;
  ASSERT_TRUE(absl::SimpleHexAtoi(
      absl::StripAsciiWhitespace(absl::StripPrefix(r->out, "SigIgn:")),
      &ignored))
      << r->out;
  EXPECT_EQ(ignored & (uint64_t{1} << (SIGPIPE - 1)), 0u) << r->out;
}

}  // namespace
