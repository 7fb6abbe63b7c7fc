// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/log.h"
#include "netrpc/sync.h"

#include <cstdio>
#include <string>
#include <utility>


namespace netrpc {
namespace {

struct Sink {
  Mutex mu;
  LogFunction log ABSL_GUARDED_BY(mu);
};

Sink& TheSink() {
  static Sink* sink = new Sink;  // never destroyed: logging works at exit
  return *sink;
}

}  // namespace

void SetLogFunction(LogFunction log) {
  Sink& sink = TheSink();
  MutexLock lock(&sink.mu);
  sink.log = std::move(log);
}

void Log(absl::string_view line) {
  Sink& sink = TheSink();
  MutexLock lock(&sink.mu);
  if (sink.log) {
    sink.log(line);
    return;
  }
  std::string out(line);
  out.push_back('\n');
  std::fwrite(out.data(), 1, out.size(), stderr);
}

}  // namespace netrpc
