#include "netrpc/testing/subprocess.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <tuple>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

extern char** environ;

namespace netrpc::testing {
namespace {

// How long Terminate() waits after SIGKILL: the kernel needs no grace, so this
// only bounds a child stuck in uninterruptible sleep.
constexpr absl::Duration kAfterKillTimeout = absl::Seconds(10);
// How much of a stream error messages quote.
constexpr size_t kTailLines = 20;
constexpr size_t kTailBytes = 4096;

std::string ErrnoText(int err) { return strerror(err); }

absl::Status ErrnoStatus(int err, absl::string_view what) {
  std::string message = absl::StrCat(what, ": ", ErrnoText(err));
  switch (err) {
    case ENOENT:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    case ENOEXEC:
      return absl::InvalidArgumentError(message);
    default:
      return absl::InternalError(message);
  }
}

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// Moves fd to a number >= 3 so that the child's dup2() onto 0, 1 and 2 can
// never clobber it (a test process may run with a standard fd closed).
absl::Status MoveAboveStdio(int& fd) {
  if (fd > 2) return absl::OkStatus();
  int high = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (high < 0) return ErrnoStatus(errno, "subprocess: fcntl(F_DUPFD_CLOEXEC)");
  close(fd);
  fd = high;
  return absl::OkStatus();
}

absl::Status MakePipe(int& read_fd, int& write_fd) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return ErrnoStatus(errno, "subprocess: pipe2");
  }
  read_fd = fds[0];
  write_fd = fds[1];
  absl::Status status = MoveAboveStdio(read_fd);
  if (status.ok()) status = MoveAboveStdio(write_fd);
  if (!status.ok()) {
    CloseFd(read_fd);
    CloseFd(write_fd);
  }
  return status;
}

bool NeedsQuoting(absl::string_view arg) {
  if (arg.empty()) return true;
  return std::any_of(arg.begin(), arg.end(), [](char c) {
    return !(absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
             absl::StrContains("/._-=:,+@%", c));
  });
}

std::string QuoteForShell(absl::string_view arg) {
  if (!NeedsQuoting(arg)) return std::string(arg);
  return absl::StrCat("'", absl::StrReplaceAll(arg, {{"'", "'\\''"}}), "'");
}

// Tail returns the last kTailLines lines of text, from its last kTailBytes.
std::string Tail(absl::string_view text) {
  if (text.size() > kTailBytes) text = text.substr(text.size() - kTailBytes);
  std::vector<absl::string_view> lines =
      absl::StrSplit(absl::StripSuffix(text, "\n"), '\n');
  size_t first = lines.size() > kTailLines ? lines.size() - kTailLines : 0;
  return absl::StrJoin(lines.begin() + first, lines.end(), "\n");
}

std::string QuoteTail(absl::string_view label, absl::string_view text) {
  if (text.empty()) return absl::StrCat("; ", label, " was empty");
  return absl::StrCat("; ", label, " ends with:\n", Tail(text));
}

ExitStatus FromWaitStatus(int status) {
  ExitStatus exit;
  if (WIFEXITED(status)) {
    exit.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    exit.signal = WTERMSIG(status);
  }
  return exit;
}

// Reaps pid, retrying on EINTR.
int WaitPidBlocking(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// Reports errno to the parent through error_fd and ends the child.
[[noreturn]] void ChildFail(int error_fd) {
  int err = errno;
  ssize_t ignored = write(error_fd, &err, sizeof(err));
  (void)ignored;
  _exit(127);
}

// Child-side setup between fork() and execve(). Only async-signal-safe calls:
// the parent may have other threads, whose locks are frozen in the child.
[[noreturn]] void ExecChild(pid_t parent, int stdin_fd, int stdout_fd,
                            int stderr_fd, int error_fd, char* const argv[],
                            char* const envp[]) {
  // Its own process group: the Subprocess can then signal the child and
  // everything it starts, and nothing else.
  if (setpgid(0, 0) != 0) ChildFail(error_fd);
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) ChildFail(error_fd);
  // The parent may have died before prctl() took effect.
  if (getppid() != parent) _exit(127);
  // Start from default signal handling: a test runner may ignore SIGPIPE or
  // block signals, and exec() keeps ignored and blocked signals.
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) sigaction(sig, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, nullptr) != 0) ChildFail(error_fd);
  if (dup2(stdin_fd, 0) < 0 || dup2(stdout_fd, 1) < 0 ||
      dup2(stderr_fd, 2) < 0) {
    ChildFail(error_fd);
  }
  // Keep the test's other descriptors (listening sockets, files) out of the
  // child; failure only means an old kernel, which is not worth failing for.
  close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  execve(argv[0], argv, envp);
  ChildFail(error_fd);
}

}  // namespace

std::string ExitStatus::ToString() const {
  if (signal != 0) {
    return absl::StrCat("killed by signal ", signal, " (", strsignal(signal),
                        ")");
  }
  return absl::StrCat("exit code ", code);
}

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(
    SubprocessOptions options) {
  if (options.argv.empty()) {
    return absl::InvalidArgumentError("subprocess: argv is empty");
  }
  std::string command_line = absl::StrJoin(
      options.argv, " ", [](std::string* out, const std::string& arg) {
        out->append(QuoteForShell(arg));
      });
  if (!absl::StrContains(options.argv[0], '/')) {
    return absl::InvalidArgumentError(
        absl::StrCat("subprocess: program \"", options.argv[0],
                     "\" is not a path; pass a path (from Runfile() for a data "
                     "dependency, or /bin/sh for a shell)"));
  }

  // Everything the child needs is built before fork(): the child may not
  // allocate.
  std::vector<char*> argv;
  for (std::string& arg : options.argv) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  if (options.inherit_env) {
    for (char** e = environ; *e != nullptr; ++e) {
      absl::string_view entry(*e);
      absl::string_view name = entry.substr(0, entry.find('='));
      bool overridden =
          std::any_of(options.env.begin(), options.env.end(),
                      [name](const auto& kv) { return kv.first == name; });
      if (!overridden) env_strings.emplace_back(entry);
    }
  }
  for (const auto& [name, value] : options.env) {
    env_strings.push_back(absl::StrCat(name, "=", value));
  }
  std::vector<char*> envp;
  for (std::string& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);

  // Parent ends: stdin_w, out_r, err_r. Child ends: stdin_r, out_w, err_w.
  int stdin_r = -1, stdin_w = -1, out_r = -1, out_w = -1, err_r = -1,
      err_w = -1, error_r = -1, error_w = -1, wake_r = -1, wake_w = -1;
  auto close_all = [&]() {
    for (int* fd : {&stdin_r, &stdin_w, &out_r, &out_w, &err_r, &err_w,
                    &error_r, &error_w, &wake_r, &wake_w}) {
      CloseFd(*fd);
    }
  };
  absl::Status status;
  if (options.stdin_data.has_value()) {
    status = MakePipe(stdin_r, stdin_w);
  } else {
    stdin_r = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (stdin_r < 0) status = ErrnoStatus(errno, "subprocess: open /dev/null");
    if (status.ok()) status = MoveAboveStdio(stdin_r);
  }
  // error_r/error_w carry errno from a failed execve(); a successful execve()
  // closes error_w (O_CLOEXEC), so the parent reads end-of-file.
  for (auto [r, w] : {std::pair<int*, int*>{&out_r, &out_w},
                      {&err_r, &err_w},
                      {&error_r, &error_w},
                      {&wake_r, &wake_w}}) {
    if (status.ok()) status = MakePipe(*r, *w);
  }
  if (!status.ok()) {
    close_all();
    return status;
  }

  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    int err = errno;
    close_all();
    return ErrnoStatus(
        err, absl::StrCat("subprocess: fork for `", command_line, "`"));
  }
  if (pid == 0) {
    ExecChild(parent, stdin_r, out_w, err_w, error_w, argv.data(), envp.data());
  }
  // The parent also sets the group, so that signalling -pid works even if
  // it happens before the child has run setpgid() itself.
  setpgid(pid, pid);
  CloseFd(stdin_r);
  CloseFd(out_w);
  CloseFd(err_w);
  CloseFd(error_w);

  int exec_errno = 0;
  ssize_t n;
  do {
    n = read(error_r, &exec_errno, sizeof(exec_errno));
  } while (n < 0 && errno == EINTR);
  CloseFd(error_r);
  if (n != 0) {
    WaitPidBlocking(pid);
    close_all();
    if (n < 0) return ErrnoStatus(errno, "subprocess: read exec status");
    return ErrnoStatus(exec_errno, absl::StrCat("subprocess: cannot execute `",
                                                command_line, "`"));
  }

  for (int fd : {stdin_w, out_r, err_r}) {
    if (fd >= 0) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  auto child = absl::WrapUnique(new Subprocess(std::move(options), pid,
                                               std::move(command_line), stdin_w,
                                               out_r, err_r, wake_r, wake_w));
  child->io_thread_ = std::thread([p = child.get()] { p->Pump(); });
  return child;
}

Subprocess::Subprocess(SubprocessOptions options, pid_t pid,
                       std::string command_line, int stdin_fd, int stdout_fd,
                       int stderr_fd, int wake_read_fd, int wake_write_fd)
    : options_(std::move(options)),
      pid_(pid),
      command_line_(std::move(command_line)),
      stdin_fd_(stdin_fd),
      stdout_fd_(stdout_fd),
      stderr_fd_(stderr_fd),
      wake_read_fd_(wake_read_fd),
      wake_write_fd_(wake_write_fd) {}

Subprocess::~Subprocess() {
  if (!exit_.has_value()) {
    // The child is unreaped, so its pid (and group id) cannot be reused yet:
    // signalling the group is safe.
    kill(-pid_, SIGKILL);
    exit_ = FromWaitStatus(WaitPidBlocking(pid_));
  }
  char byte = 0;
  ssize_t ignored = write(wake_write_fd_, &byte, 1);
  (void)ignored;
  io_thread_.join();
  for (int fd :
       {stdin_fd_, stdout_fd_, stderr_fd_, wake_read_fd_, wake_write_fd_}) {
    if (fd >= 0) close(fd);
  }
}

void Subprocess::Pump() {
  // A child that exits without reading all of stdin_data makes write() raise
  // SIGPIPE, which would kill the whole test. Blocked in this thread only,
  // the signal stays pending here and write() fails with EPIPE instead.
  sigset_t sigpipe;
  sigemptyset(&sigpipe);
  sigaddset(&sigpipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &sigpipe, nullptr);

  const std::string empty;
  const std::string& input =
      options_.stdin_data.has_value() ? *options_.stdin_data : empty;
  size_t written = 0;
  if (stdin_fd_ >= 0 && input.empty()) CloseFd(stdin_fd_);

  char buffer[64 * 1024];
  while (stdin_fd_ >= 0 || stdout_fd_ >= 0 || stderr_fd_ >= 0) {
    pollfd fds[4];
    int count = 0;
    auto add = [&](int fd, short events) {
      fds[count].fd = fd;
      fds[count].events = events;
      fds[count].revents = 0;
      return count++;
    };
    int wake = add(wake_read_fd_, POLLIN);
    int in = stdin_fd_ >= 0 ? add(stdin_fd_, POLLOUT) : -1;
    int out = stdout_fd_ >= 0 ? add(stdout_fd_, POLLIN) : -1;
    int err = stderr_fd_ >= 0 ? add(stderr_fd_, POLLIN) : -1;
    if (poll(fds, count, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[wake].revents != 0) break;

    if (in >= 0 && fds[in].revents != 0) {
      ssize_t n =
          write(stdin_fd_, input.data() + written,
                std::min<size_t>(input.size() - written, sizeof(buffer)));
      if (n > 0) {
        written += static_cast<size_t>(n);
        if (written == input.size()) CloseFd(stdin_fd_);
      } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        if (errno == EPIPE) {
          // Consume the pending SIGPIPE so it cannot fire later.
          timespec zero = {0, 0};
          sigtimedwait(&sigpipe, nullptr, &zero);
        }
        CloseFd(stdin_fd_);
      }
    }
    for (auto [index, fd, stream] :
         {std::tuple<int, int*, Stream>{out, &stdout_fd_, Stream::kStdout},
          {err, &stderr_fd_, Stream::kStderr}}) {
      if (index < 0 || fds[index].revents == 0) continue;
      ssize_t n = read(*fd, buffer, sizeof(buffer));
      if (n > 0) {
        OnData(stream, buffer, static_cast<size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        CloseFd(*fd);
        OnClose(stream);
      }
    }
  }
}

Subprocess::Captured& Subprocess::CapturedFor(Stream stream) {
  return stream == Stream::kStdout ? out_ : err_;
}

const Subprocess::Captured& Subprocess::CapturedFor(Stream stream) const {
  return stream == Stream::kStdout ? out_ : err_;
}

void Subprocess::OnData(Stream stream, const char* data, size_t size) {
  std::vector<std::string> lines;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Captured& c = CapturedFor(stream);
    c.all.append(data, size);
    c.partial.append(data, size);
    size_t start = 0;
    for (size_t nl; (nl = c.partial.find('\n', start)) != std::string::npos;
         start = nl + 1) {
      lines.push_back(c.partial.substr(start, nl - start));
    }
    c.partial.erase(0, start);
    c.lines.insert(c.lines.end(), lines.begin(), lines.end());
    changed_.notify_all();
  }
  const LineCallback& callback = stream == Stream::kStdout
                                     ? options_.on_stdout_line
                                     : options_.on_stderr_line;
  if (callback) {
    for (const std::string& line : lines) callback(line);
  }
}

void Subprocess::OnClose(Stream stream) {
  std::string last;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Captured& c = CapturedFor(stream);
    last = std::move(c.partial);
    c.partial.clear();
    if (!last.empty()) c.lines.push_back(last);
    c.closed = true;
    changed_.notify_all();
  }
  const LineCallback& callback = stream == Stream::kStdout
                                     ? options_.on_stdout_line
                                     : options_.on_stderr_line;
  if (callback && !last.empty()) callback(last);
}

absl::StatusOr<ExitStatus> Subprocess::Wait(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  if (!exit_.has_value()) {
    // Poll without reaping (WNOWAIT): the pid, and so the process group id,
    // stays ours until the group has been killed below.
    absl::Duration backoff = absl::Milliseconds(1);
    while (true) {
      siginfo_t info = {};
      if (waitid(P_PID, static_cast<id_t>(pid_), &info,
                 WEXITED | WNOHANG | WNOWAIT) != 0 &&
          errno != EINTR) {
        return ErrnoStatus(errno,
                           absl::StrCat("subprocess: waitid for ", Describe()));
      }
      if (info.si_pid == pid_) break;
      absl::Time now = absl::Now();
      if (now >= deadline) {
        return absl::DeadlineExceededError(
            absl::StrCat("subprocess: ", Describe(), " still running after ",
                         absl::FormatDuration(timeout), StderrTail()));
      }
      absl::SleepFor(std::min(backoff, deadline - now));
      backoff = std::min(backoff * 2, absl::Milliseconds(20));
    }
    // Leftovers in the group would hold the output pipes open forever.
    kill(-pid_, SIGKILL);
    exit_ = FromWaitStatus(WaitPidBlocking(pid_));
  }
  std::unique_lock<std::mutex> lock(mu_);
  if (!changed_.wait_until(lock, absl::ToChronoTime(deadline),
                           [this] { return out_.closed && err_.closed; })) {
    return absl::DeadlineExceededError(absl::StrCat(
        "subprocess: ", Describe(), " ended with ", exit_->ToString(),
        " but its stdout/stderr stayed open (a process that left its "
        "process group holds them)",
        StderrTailLocked()));
  }
  return *exit_;
}

absl::Status Subprocess::Signal(int sig) {
  if (exit_.has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "subprocess: ", Describe(), " already ended with ", exit_->ToString()));
  }
  if (kill(-pid_, sig) != 0 && errno != ESRCH) {
    return ErrnoStatus(errno, absl::StrCat("subprocess: kill ", Describe()));
  }
  return absl::OkStatus();
}

absl::StatusOr<ExitStatus> Subprocess::Terminate(absl::Duration grace) {
  if (exit_.has_value()) return *exit_;
  absl::Status status = Signal(SIGTERM);
  if (!status.ok()) return status;
  absl::StatusOr<ExitStatus> exit = Wait(grace);
  if (exit.ok() || !absl::IsDeadlineExceeded(exit.status())) return exit;
  status = Signal(SIGKILL);
  if (!status.ok()) return status;
  return Wait(kAfterKillTimeout);
}

std::string Subprocess::Output(Stream stream) const {
  std::lock_guard<std::mutex> lock(mu_);
  return CapturedFor(stream).all;
}

std::string Subprocess::StderrTail() const {
  std::lock_guard<std::mutex> lock(mu_);
  return StderrTailLocked();
}

std::string Subprocess::StderrTailLocked() const {
  return QuoteTail("stderr", err_.all);
}

absl::StatusOr<std::string> Subprocess::WaitForLine(Stream stream,
                                                    const LineMatcher& match,
                                                    absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  const char* name = stream == Stream::kStdout ? "stdout" : "stderr";
  std::unique_lock<std::mutex> lock(mu_);
  size_t checked = 0;
  while (true) {
    const Captured& c = CapturedFor(stream);
    for (; checked < c.lines.size(); ++checked) {
      if (match(c.lines[checked])) return c.lines[checked];
    }
    std::string said =
        stream == Stream::kStdout
            ? absl::StrCat(QuoteTail(name, c.all), StderrTailLocked())
            : StderrTailLocked();
    if (c.closed) {
      return absl::FailedPreconditionError(
          absl::StrCat("subprocess: ", Describe(), " closed its ", name,
                       " without printing the line waited for", said));
    }
    if (!changed_.wait_until(lock, absl::ToChronoTime(deadline), [&] {
          return checked < c.lines.size() || c.closed;
        })) {
      return absl::DeadlineExceededError(
          absl::StrCat("subprocess: ", Describe(), " printed no such line on ",
                       name, " within ", absl::FormatDuration(timeout), said));
    }
  }
}

std::string Subprocess::Describe() const {
  return absl::StrCat("`", command_line_, "` (pid ", pid_, ")");
}

absl::Status RunResult::ToStatus() const {
  if (exit.Success()) return absl::OkStatus();
  return absl::UnknownError(absl::StrCat("subprocess: `", command_line,
                                         "` failed with ", exit.ToString(),
                                         QuoteTail("stderr", err)));
}

absl::StatusOr<RunResult> RunCommand(SubprocessOptions options,
                                     absl::Duration timeout) {
  absl::StatusOr<std::unique_ptr<Subprocess>> child =
      Subprocess::Start(std::move(options));
  if (!child.ok()) return child.status();
  absl::StatusOr<ExitStatus> exit = (*child)->Wait(timeout);
  // On timeout the destructor kills and reaps the child.
  if (!exit.ok()) return exit.status();
  return RunResult{(*child)->CommandLine(), *exit,
                   (*child)->Output(Stream::kStdout),
                   (*child)->Output(Stream::kStderr)};
}

}  // namespace netrpc::testing
