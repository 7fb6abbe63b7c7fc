#include "tools/netrpc-call/go_package.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

extern char** environ;

namespace netrpc_call {
namespace {

bool IsExecutable(const std::string& path) {
  struct stat st;
  return !path.empty() && stat(path.c_str(), &st) == 0 &&
         S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

std::string SelfPath() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  return std::string(buf, n);
}

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

absl::StatusOr<ProgramResult> RunProgram(
    const std::vector<std::string>& argv,
    const std::vector<std::pair<std::string, std::string>>& env) {
  if (argv.empty()) return absl::InvalidArgumentError("no program to run");
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", strerror(errno)));
  }
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    absl::string_view kv(*e);
    bool overridden = false;
    for (const auto& [k, v] : env) {
      if (kv.substr(0, kv.find('=')) == k) overridden = true;
    }
    if (!overridden) env_strings.emplace_back(kv);
  }
  for (const auto& [k, v] : env) env_strings.push_back(absl::StrCat(k, "=", v));
  std::vector<char*> cargv, cenv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (const auto& e : env_strings) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) {
    close(pipefd[0]);
    close(pipefd[1]);
    return absl::InternalError(absl::StrCat("fork: ", strerror(errno)));
  }
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    dup2(pipefd[1], 1);
    dup2(pipefd[1], 2);
    execve(cargv[0], cargv.data(), cenv.data());
    const char* msg = "exec failed: ";
    (void)!write(2, msg, strlen(msg));
    (void)!write(2, strerror(errno), strlen(strerror(errno)));
    _exit(127);
  }
  close(pipefd[1]);
  ProgramResult result;
  char buf[8192];
  while (true) {
    ssize_t n = read(pipefd[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    result.output.append(buf, n);
  }
  close(pipefd[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (result.exit_code == 127 &&
      result.output.find("exec failed: ") != std::string::npos) {
    return absl::NotFoundError(
        absl::StrCat("cannot run ", argv[0], ": ", result.output));
  }
  return result;
}

absl::StatusOr<std::string> FindNetrpc2proto(const std::string& flag) {
  if (!flag.empty()) {
    if (IsExecutable(flag)) return flag;
    return absl::NotFoundError(absl::StrCat(
        "--netrpc2proto=", flag, " is not an executable file (build it with "
        "bazel build //tools/netrpc2proto)"));
  }
  constexpr absl::string_view kRel = "netrpc_gateway/tools/netrpc2proto/netrpc2proto";
  std::vector<std::string> tried;
  const std::string self = SelfPath();
  if (!self.empty()) tried.push_back(absl::StrCat(self, ".runfiles/", kRel));
  for (const char* var : {"RUNFILES_DIR", "TEST_SRCDIR"}) {
    const char* dir = getenv(var);
    if (dir != nullptr && *dir != '\0') tried.push_back(absl::StrCat(dir, "/", kRel));
  }
  if (!self.empty()) {
    tried.push_back(DirName(self) + "/../netrpc2proto/netrpc2proto");
    tried.push_back(DirName(self) + "/netrpc2proto");
  }
  const char* path = getenv("PATH");
  if (path != nullptr) {
    for (absl::string_view d : absl::StrSplit(path, ':', absl::SkipEmpty())) {
      tried.push_back(absl::StrCat(d, "/netrpc2proto"));
    }
  }
  for (const std::string& t : tried) {
    if (IsExecutable(t)) return t;
  }
  return absl::NotFoundError(absl::StrCat(
      "netrpc2proto not found (looked in ", absl::StrJoin(tried, ", "),
      "); build it with `bazel build //tools/netrpc2proto` and pass "
      "--netrpc2proto=bazel-bin/tools/netrpc2proto/netrpc2proto"));
}

absl::StatusOr<Generated> GenerateFromGoPackage(const GenerateOptions& options) {
  struct stat st;
  if (stat(options.dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::NotFoundError(absl::StrCat(
        "--go_package=", options.dir, " is not a directory (give the Go "
        "package's directory, the one with the .go files)"));
  }
  const char* tmp = getenv("TMPDIR");
  std::string templ = absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp",
                                   "/netrpc-call.XXXXXX");
  if (mkdtemp(templ.data()) == nullptr) {
    return absl::InternalError(
        absl::StrCat("cannot create a temporary directory ", templ, ": ",
                     strerror(errno)));
  }
  Generated g;
  g.dir = templ;
  g.proto = g.dir + "/netrpc_call.proto";
  g.config = g.dir + "/netrpc_call.textproto";
  g.descriptor_set = g.dir + "/netrpc_call.pb";

  std::vector<std::string> argv = {
      options.netrpc2proto, "--annotate=config", "--out=" + g.proto,
      "--config_out=" + g.config, "--descriptor_set=netrpc_call.pb"};
  if (!options.package.empty()) argv.push_back("--package=" + options.package);
  argv.push_back(options.dir);
  std::vector<std::pair<std::string, std::string>> env;
  if (getenv("GO111MODULE") == nullptr) env.emplace_back("GO111MODULE", "off");
  absl::StatusOr<ProgramResult> gen = RunProgram(argv, env);
  if (!gen.ok()) return gen.status();
  if (gen->exit_code != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "netrpc2proto could not map ", options.dir, " (exit ", gen->exit_code,
        "):\n", gen->output,
        "use --descriptor_set with a proto written by hand for what it "
        "cannot map"));
  }
  absl::StatusOr<ProgramResult> pc = RunProgram(
      {options.protoc, "-I" + g.dir, "-I/usr/include", "--include_imports",
       "--descriptor_set_out=" + g.descriptor_set, g.proto});
  if (!pc.ok()) return pc.status();
  if (pc->exit_code != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        options.protoc, " rejected the proto netrpc2proto wrote (", g.proto,
        "):\n", pc->output));
  }
  return g;
}

}  // namespace netrpc_call
