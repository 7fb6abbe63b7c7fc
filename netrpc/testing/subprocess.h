// File: subprocess.h
//
// Subprocess runs another program for a test: a Go peer, the gateway binary, a
// command-line tool. It starts the program with arguments, environment and
// optional stdin bytes, captures stdout and stderr (whole, and line by line),
// waits with a deadline, signals, and always kills and reaps what it started:
// a test that fails half-way leaves no process behind.
//
// RunCommand() is the one-shot form, for filters from stdin to stdout:
//
//   SubprocessOptions options;
//   options.argv = {peer_path, "verify"};
//   options.stdin_data = stream;
//   absl::StatusOr<RunResult> r = RunCommand(options, absl::Seconds(30));
//   ASSERT_THAT(r, IsOk());                  // it ran, within the deadline
//   EXPECT_THAT(r->ToStatus(), IsOk());      // and exited 0
//
// Subprocess::Start() is the long-lived form, for servers (LineStartsWith is
// in readiness.h):
//
//   absl::StatusOr<std::unique_ptr<Subprocess>> server =
//       Subprocess::Start(options);
//   absl::StatusOr<std::string> line = (*server)->WaitForLine(
//       Stream::kStdout, LineStartsWith("listening on "), absl::Seconds(10));
//   ...                                  // the destructor kills and reaps
//
// Every error message names the command line and ends with the tail of the
// child's stderr, so a failing test says what the child said.
//
// Children run in their own process group, which the Subprocess owns: when the
// child exits, or the Subprocess is destroyed, whatever the child left running
// in its group is killed with SIGKILL. Children also get SIGKILL if the test
// process dies (PR_SET_PDEATHSIG), so a test killed by Bazel's timeout leaks no
// server. Because Linux ties that signal to the thread that started the child,
// start children from a thread that outlives them (the test's main thread).

#ifndef NETRPC_TESTING_SUBPROCESS_H_
#define NETRPC_TESTING_SUBPROCESS_H_

#include <sys/types.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace netrpc::testing {

// Stream names one of the child's two output streams.
enum class Stream { kStdout, kStderr };

// ExitStatus is how a child ended: an exit code, or the signal that killed it.
struct ExitStatus {
  // code is the exit code, or -1 if a signal ended the child.
  int code = -1;
  // signal is the terminating signal, or 0 if the child exited.
  int signal = 0;

  // Success reports whether the child exited with code 0.
  bool Success() const { return signal == 0 && code == 0; }
  // ToString gives "exit code 1" or "killed by signal 9 (Killed)".
  std::string ToString() const;
};

// LineMatcher decides whether a line of output (without its newline) is the
// one a caller waits for.
using LineMatcher = std::function<bool(absl::string_view line)>;

// LineCallback receives each line of output, without its newline.
using LineCallback = std::function<void(absl::string_view line)>;

// SubprocessOptions describes the program to run.
struct SubprocessOptions {
  // argv is the program and its arguments. argv[0] is a path to the program
  // (it must contain a '/': there is no PATH search, so a test cannot pick up
  // a different program by accident). Required.
  std::vector<std::string> argv;
  // env holds variables set in the child, overriding inherited ones.
  // Default: none.
  std::vector<std::pair<std::string, std::string>> env;
  // inherit_env says whether the child starts with this process's environment.
  // Default: true.
  bool inherit_env = true;
  // stdin_data is written to the child's stdin, which is then closed. If the
  // child exits without reading it all, the rest is dropped. Default: nullopt,
  // which gives the child /dev/null as stdin.
  std::optional<std::string> stdin_data;
  // on_stdout_line and on_stderr_line, if set, receive each line as it
  // arrives (a final line without a newline is delivered at end of stream).
  // They run on the Subprocess's I/O thread, in order, and must not block for
  // long. Default: none.
  LineCallback on_stdout_line;
  LineCallback on_stderr_line;
};

// Subprocess is one running child program. See the file comment.
//
// [thread-compatible] Output(), StderrTail() and WaitForLine() are
// thread-safe; the other methods must not be called concurrently.
class Subprocess {
 public:
  // Start starts the program. It fails if the program cannot be executed (the
  // message says why: not found, not executable), never with a child that
  // exits 127.
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(
      SubprocessOptions options);

  // ~Subprocess kills the child's process group with SIGKILL if the child has
  // not been reaped, reaps it, and stops the I/O thread.
  ~Subprocess();

  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  // pid is the child's process id, which is also its process group id.
  pid_t pid() const { return pid_; }

  // CommandLine is argv joined with spaces, quoted for a shell where needed.
  const std::string& CommandLine() const { return command_line_; }

  // Wait waits until the child exits, kills what it left in its process
  // group, reaps it, and waits until its stdout and stderr are drained. It
  // returns the exit status (also when called again after that). On timeout
  // it returns kDeadlineExceeded and leaves the child running.
  absl::StatusOr<ExitStatus> Wait(absl::Duration timeout);

  // Signal sends sig to the child's process group. It fails with
  // kFailedPrecondition once the child has been reaped.
  absl::Status Signal(int sig);

  // Terminate sends SIGTERM, waits up to grace for the child to exit, then
  // sends SIGKILL, and returns the exit status.
  absl::StatusOr<ExitStatus> Terminate(absl::Duration grace);

  // Output returns everything the child has written to stream so far.
  std::string Output(Stream stream) const;

  // StderrTail returns the last few lines of the child's stderr, for messages.
  std::string StderrTail() const;

  // WaitForLine returns the first line written to stream (from the start of
  // the child's output) for which match returns true. It fails with
  // kDeadlineExceeded after timeout, or with kFailedPrecondition as soon as
  // the stream ends without such a line (typically: the child exited); both
  // messages quote the end of the stream and the stderr tail.
  absl::StatusOr<std::string> WaitForLine(Stream stream,
                                          const LineMatcher& match,
                                          absl::Duration timeout);

 private:
  // Captured is one output stream: all bytes, complete lines, end-of-stream.
  struct Captured {
    std::string all;
    std::vector<std::string> lines;
    std::string partial;
    bool closed = false;
  };

  Subprocess(SubprocessOptions options, pid_t pid, std::string command_line,
             int stdin_fd, int stdout_fd, int stderr_fd, int wake_read_fd,
             int wake_write_fd);

  // Pump moves bytes between the pipes and the buffers; it runs on io_thread_.
  void Pump();
  void OnData(Stream stream, const char* data, size_t size);
  void OnClose(Stream stream);
  // These three need mu_ held.
  Captured& CapturedFor(Stream stream);
  const Captured& CapturedFor(Stream stream) const;
  std::string StderrTailLocked() const;
  // Describe gives "`command line` (pid N)" for messages.
  std::string Describe() const;

  const SubprocessOptions options_;
  const pid_t pid_;
  const std::string command_line_;

  // Owned by the I/O thread once it runs (stdin and output pipe ends).
  int stdin_fd_;
  int stdout_fd_;
  int stderr_fd_;
  // A byte written to wake_write_fd_ tells the I/O thread to stop at once.
  const int wake_read_fd_;
  const int wake_write_fd_;

  // The reaped child's status; set once by Wait() or the destructor.
  std::optional<ExitStatus> exit_;

  // std::mutex rather than absl::Mutex: Debian's Abseil is not built with
  // ThreadSanitizer annotations, so --config=tsan would see absl::Mutex as no
  // synchronization at all and report races in every test using this class.
  mutable std::mutex mu_;
  std::condition_variable changed_;  // Notified when output arrives or ends.
  Captured out_;                     // Guarded by mu_.
  Captured err_;                     // Guarded by mu_.

  std::thread io_thread_;
};

// RunResult is what a finished child left: how it ended and all its output.
struct RunResult {
  std::string command_line;
  ExitStatus exit;
  std::string out;  // stdout
  std::string err;  // stderr

  // ToStatus is OK if the child exited with code 0, else kUnknown with the
  // command line, the exit status and the stderr tail.
  absl::Status ToStatus() const;
};

// RunCommand runs a program to completion. A child that runs past timeout is
// killed and gives kDeadlineExceeded; a child that exits non-zero is a
// RunResult, not an error (check RunResult::exit or ToStatus()).
absl::StatusOr<RunResult> RunCommand(SubprocessOptions options,
                                     absl::Duration timeout);

}  // namespace netrpc::testing

#endif  // NETRPC_TESTING_SUBPROCESS_H_
