// cpurun runs a command and writes the CPU time it used, utime + stime in
// clock ticks from /proc/PID/stat (all its threads), to TICKS_FILE. It reads
// the stat after the command exits but before reaping it (waitid WNOWAIT),
// when the numbers are final. The command's stdout and stderr pass through;
// cpurun exits with its status. After TIMEOUT seconds the command is killed.
//
//   cpurun TICKS_FILE TIMEOUT CMD [ARGS...]

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace {

volatile pid_t child = 0;

void OnAlarm(int) {
  if (child > 0) kill(child, SIGKILL);
}

// Ticks returns utime + stime of /proc/pid/stat, or -1.
long long Ticks(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // The command name (field 2) is in parentheses and may hold anything.
  size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return -1;
  std::istringstream fields(stat.substr(paren + 2));
  std::string f;
  long long utime = -1, stime = -1;
  // Fields from 3 (state) on; utime is field 14, stime 15.
  for (int n = 3; n <= 15 && (fields >> f); n++) {
    if (n == 14) utime = std::atoll(f.c_str());
    if (n == 15) stime = std::atoll(f.c_str());
  }
  if (utime < 0 || stime < 0) return -1;
  return utime + stime;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: cpurun TICKS_FILE TIMEOUT CMD [ARGS...]\n");
    return 2;
  }
  const char* ticks_file = argv[1];
  const int timeout = std::atoi(argv[2]);
  pid_t pid = fork();
  if (pid < 0) {
    std::perror("cpurun: fork");
    return 1;
  }
  if (pid == 0) {
    execvp(argv[3], argv + 3);
    std::fprintf(stderr, "cpurun: exec %s: %s\n", argv[3],
                 std::strerror(errno));
    _exit(127);
  }
  child = pid;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = OnAlarm;
  sigaction(SIGALRM, &sa, nullptr);
  if (timeout > 0) alarm(static_cast<unsigned>(timeout));

  siginfo_t info;
  while (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) != 0) {
    if (errno != EINTR) {
      std::perror("cpurun: waitid");
      return 1;
    }
  }
  long long ticks = Ticks(pid);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (FILE* f = std::fopen(ticks_file, "w")) {
    std::fprintf(f, "%lld\n", ticks);
    std::fclose(f);
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  std::fprintf(stderr, "cpurun: %s killed by signal %d\n", argv[3],
               WTERMSIG(status));
  return 128 + WTERMSIG(status);
}
