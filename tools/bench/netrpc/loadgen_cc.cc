// loadgen_cc is loadgen.go in C++: the same flags, load and output line, at a
// fraction of the CPU per call, so that on a small machine the load generator
// does not bound what the benchmark can show about the servers.
//
//   loadgen_cc -addr 127.0.0.1:1234 -callers 64 -conns 4 -calls 200000
//
// It calls Arith.Mul with Args{A, B} (A counts up, B = 3) and checks every
// reply (header error, unknown seq, or C != A*B is fatal: exit 1). It prints
// one line: callers conns calls secs calls/s p50 p99 (µs, truncated, as
// loadgen.go); with -cpu, as loadgen.go's -cpu, an eighth field: the CPU
// time (µs) this process used per call during the timed calls. `callers`
// callers share `conns` connections (caller g uses connection g % conns); each
// makes calls/callers calls, one after another.
//
// Flags as loadgen.go's (-addr, -callers, -conns, -calls, -warmup, -cpu; Go's
// syntax: -name value, -name=value, --name), and:
//   -engine=pipe    (default) one thread, no thread per caller: per
//                   connection, our gob stream codec
//                   (netrpc::NewGobStreamClientCodec) encodes the requests and
//                   fully decodes the replies. The replies of one read are
//                   checked and the callers' next requests leave together in
//                   one send(2), as a pipelining client's would. A call's
//                   latency runs from just before the send that carried its
//                   request to just after the read that brought its reply.
//   -batch=false    with pipe: each request leaves in its own send(2), as
//                   Go's client sends them.
//   -engine=client  netrpc::Client's asynchronous Go API, one Client per
//                   connection; each call's completion callback starts the
//                   caller's next call (a send(2) per request).
// Both dial before the clock starts and run `warmup` untimed calls first, one
// at a time, round robin over the connections.

#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

#include "netrpc/body.h"
#include "netrpc/client.h"
#include "netrpc/codec.h"
#include "netrpc/conn.h"
#include "netrpc/gob/bind.h"
#include "netrpc/gob_codec.h"

namespace loadgen {

struct Args {
  int64_t A = 0;
  int64_t B = 0;
};
struct Reply {
  int64_t C = 0;
};
NETRPC_GOB_STRUCT_NAMED(Args, "main.Args", A, B);
NETRPC_GOB_STRUCT_NAMED(Reply, "main.Reply", C);

constexpr absl::string_view kMethod = "Arith.Mul";
constexpr int64_t kB = 3;

[[noreturn]] void Fatal(absl::string_view what) {
  std::fprintf(stderr, "loadgen_cc: %.*s\n", static_cast<int>(what.size()),
               what.data());
  std::exit(1);
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// CpuNs is the CPU time (user + system) of the whole process so far.
int64_t CpuNs() {
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  auto ns = [](const timeval& tv) {
    return int64_t{tv.tv_sec} * 1000000000 + int64_t{tv.tv_usec} * 1000;
  };
  return ns(ru.ru_utime) + ns(ru.ru_stime);
}

struct Flags {
  std::string addr;
  int callers = 1;
  int conns = 1;
  int calls = 20000;
  int warmup = 1000;
  std::string engine = "pipe";
  bool batch = true;
  bool cpu = false;
};

// ParseFlags accepts Go's flag syntax: -name value, -name=value, and --name.
Flags ParseFlags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; i++) {
    absl::string_view arg = argv[i];
    if (arg.size() < 2 || arg[0] != '-')
      Fatal(absl::StrCat("bad argument ", arg));
    arg.remove_prefix(arg[1] == '-' ? 2 : 1);
    std::string name, value;
    if (size_t eq = arg.find('='); eq != absl::string_view::npos) {
      name = std::string(arg.substr(0, eq));
      value = std::string(arg.substr(eq + 1));
    } else if (arg == "cpu" || arg == "batch") {  // bool flags, as Go's
      name = std::string(arg);
      value = "true";
    } else {
      name = std::string(arg);
      if (i + 1 >= argc) Fatal(absl::StrCat("flag needs a value: -", name));
      value = argv[++i];
    }
    auto number = [&](int* out) {
      if (!absl::SimpleAtoi(value, out) || *out < 0) {
        Fatal(absl::StrCat("bad value for -", name, ": ", value));
      }
    };
    if (name == "addr") {
      f.addr = value;
    } else if (name == "callers") {
      number(&f.callers);
    } else if (name == "conns") {
      number(&f.conns);
    } else if (name == "calls") {
      number(&f.calls);
    } else if (name == "warmup") {
      number(&f.warmup);
    } else if (name == "engine") {
      f.engine = value;
    } else if (name == "batch" || name == "cpu") {
      if (value != "true" && value != "false") {
        Fatal(absl::StrCat("-", name, " is true or false, not ", value));
      }
      (name == "batch" ? f.batch : f.cpu) = value == "true";
    } else {
      Fatal(absl::StrCat("unknown flag -", name));
    }
  }
  if (f.addr.empty()) Fatal("-addr is required");
  if (f.callers < 1 || f.conns < 1) Fatal("-callers and -conns must be >= 1");
  if (f.engine != "pipe" && f.engine != "client") {
    Fatal(absl::StrCat("-engine is pipe or client, not ", f.engine));
  }
  return f;
}

void Check(const absl::Status& status, int64_t a, const Reply& reply) {
  if (!status.ok()) Fatal(absl::StrCat(kMethod, ": ", status.ToString()));
  if (reply.C != a * kB) {
    Fatal(absl::StrCat(kMethod, "(", a, ", ", kB, ") = ", reply.C));
  }
}

// --- pipe: one thread, the gob stream codec, one send per batch ----------

class PipeLoad {
 public:
  explicit PipeLoad(const Flags& flags) : batch_(flags.batch) {
    for (int i = 0; i < flags.conns; i++) {
      absl::StatusOr<std::unique_ptr<netrpc::Conn>> conn =
          netrpc::DialTCP(flags.addr);
      if (!conn.ok()) Fatal(conn.status().ToString());
      // DialTCP returns a TcpConn (TCP_NODELAY set); take its socket.
      auto* tcp = static_cast<netrpc::TcpConn*>(conn->get());
      auto c = std::make_unique<Conn>();
      c->fd = tcp->Release();
      c->codec = netrpc::NewGobStreamClientCodec();
      c->inflight.reserve(2 * (flags.callers / flags.conns + 1));
      conns_.push_back(std::move(c));
    }
  }

  // Run makes `per_slot` calls from each of `slots` callers, caller g on
  // connection slot_conn[g]; records latencies (ns) into `lat` if set.
  void Run(const std::vector<int>& slot_conn, int per_slot,
           std::vector<int64_t>* lat) {
    if (per_slot <= 0) return;
    left_.assign(slot_conn.size(), per_slot);
    lat_ = lat;
    int64_t remaining = static_cast<int64_t>(slot_conn.size()) * per_slot;
    for (size_t g = 0; g < slot_conn.size(); g++) {
      Start(*conns_[slot_conn[g]], static_cast<int>(g));
    }
    FlushAll();
    std::vector<pollfd> fds(conns_.size());
    while (remaining > 0) {
      if (conns_.size() == 1) {
        remaining -= ReadOnce(*conns_[0]);
      } else {
        for (size_t i = 0; i < conns_.size(); i++) {
          fds[i] = pollfd{conns_[i]->fd, POLLIN, 0};
        }
        int n = ::poll(fds.data(), fds.size(), -1);
        if (n < 0) {
          if (errno == EINTR) continue;
          Fatal(absl::StrCat("poll: ", std::strerror(errno)));
        }
        for (size_t i = 0; i < conns_.size(); i++) {
          if (fds[i].revents != 0) remaining -= ReadOnce(*conns_[i]);
        }
      }
      FlushAll();
    }
  }

 private:
  struct InFlight {
    int slot;
    int64_t a;
    int64_t t0;
  };
  struct Conn {
    int fd = -1;
    std::unique_ptr<netrpc::StreamClientCodec> codec;
    uint64_t next_seq = 0;
    uint64_t batch_first_seq = 0;  // requests from here on are not sent yet
    std::string out;
    absl::flat_hash_map<uint64_t, InFlight> inflight;
    bool have_header = false;
    netrpc::Response response;
  };

  // Start encodes caller `slot`'s next request into c.out.
  void Start(Conn& c, int slot) {
    int64_t a = ++next_a_;
    Args args{a, kB};
    netrpc::Request request;
    request.service_method = std::string(kMethod);
    request.seq = c.next_seq++;
    netrpc::BodyRef<const Args> body(&args);
    absl::Status s = c.codec->WriteRequest(request, &body, &c.out);
    if (!s.ok()) Fatal(absl::StrCat("encoding request: ", s.ToString()));
    c.inflight.emplace(request.seq, InFlight{slot, a, 0});
    if (!batch_) Flush(c, NowNs());
  }

  void FlushAll() {
    int64_t now = NowNs();
    for (auto& c : conns_) Flush(*c, now);
  }

  // Flush sends c.out, stamping the requests in it with `now`.
  static void Flush(Conn& c, int64_t now) {
    if (c.out.empty()) return;
    for (uint64_t seq = c.batch_first_seq; seq < c.next_seq; seq++) {
      c.inflight.find(seq)->second.t0 = now;
    }
    c.batch_first_seq = c.next_seq;
    absl::string_view data = c.out;
    while (!data.empty()) {
      ssize_t n = ::send(c.fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        Fatal(absl::StrCat("write: ", std::strerror(errno)));
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    c.out.clear();
  }

  // ReadOnce reads what `c` has, completes every whole reply in it and
  // starts the callers' next calls; returns how many calls completed.
  int ReadOnce(Conn& c) {
    ssize_t n;
    do {
      n = ::recv(c.fd, buf_, sizeof(buf_), 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) Fatal(absl::StrCat("read: ", std::strerror(errno)));
    if (n == 0) Fatal("read: unexpected EOF");
    int64_t now = NowNs();
    c.codec->Append(absl::string_view(buf_, static_cast<size_t>(n)));
    int done = 0;
    for (;;) {
      if (!c.have_header) {
        absl::Status s = c.codec->ReadResponseHeader(&c.response);
        if (netrpc::IsNeedMoreInput(s)) break;
        if (!s.ok()) Fatal(absl::StrCat("reading header: ", s.ToString()));
        // An error reply's body is an empty struct, not a Reply: report
        // the server's error, not the body's type mismatch.
        if (!c.response.error.empty()) {
          Fatal(absl::StrCat(kMethod, ": ", c.response.error));
        }
        c.have_header = true;
      }
      Reply reply;
      netrpc::BodyRef<Reply> body(&reply);
      absl::Status s = c.codec->ReadResponseBody(&body);
      if (netrpc::IsNeedMoreInput(s)) break;
      c.have_header = false;
      if (!s.ok()) Fatal(absl::StrCat("reading body ", s.ToString()));
      auto it = c.inflight.find(c.response.seq);
      if (it == c.inflight.end()) {
        Fatal(absl::StrCat("reply with unknown seq ", c.response.seq));
      }
      InFlight call = it->second;
      c.inflight.erase(it);
      Check(absl::OkStatus(), call.a, reply);
      if (lat_ != nullptr) lat_->push_back(now - call.t0);
      done++;
      if (--left_[call.slot] > 0) Start(c, call.slot);
    }
    return done;
  }

  const bool batch_;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::vector<int> left_;
  std::vector<int64_t>* lat_ = nullptr;
  int64_t next_a_ = 0;
  char buf_[64 << 10];
};

// --- client: netrpc::Client's Go API --------------------------------------

class ClientLoad {
 public:
  explicit ClientLoad(const Flags& flags) {
    for (int i = 0; i < flags.conns; i++) {
      absl::StatusOr<std::unique_ptr<netrpc::Client>> c =
          netrpc::Dial("tcp", flags.addr);
      if (!c.ok()) Fatal(c.status().ToString());
      clients_.push_back(std::move(*c));
    }
  }

  void Run(const std::vector<int>& slot_conn, int per_slot,
           std::vector<int64_t>* lat) {
    if (per_slot <= 0) return;
    slots_.clear();
    slots_.resize(slot_conn.size());
    running_ = static_cast<int>(slot_conn.size());
    for (size_t g = 0; g < slot_conn.size(); g++) {
      Slot& s = slots_[g];
      s.client = clients_[slot_conn[g]].get();
      s.left = per_slot;
      if (lat != nullptr) s.lat.reserve(per_slot);
    }
    for (Slot& s : slots_) Start(&s);
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](int* running) { return *running == 0; }, &running_));
    }
    if (lat != nullptr) {
      for (Slot& s : slots_)
        lat->insert(lat->end(), s.lat.begin(), s.lat.end());
    }
  }

 private:
  struct Slot {
    netrpc::Client* client = nullptr;
    int left = 0;
    Args args;
    Reply reply;
    int64_t t0 = 0;
    std::vector<int64_t> lat;
  };

  // Start starts the slot's next call; its callback (on the client's reader
  // thread) checks it and starts the one after.
  void Start(Slot* s) {
    s->args = Args{next_a_.fetch_add(1) + 1, kB};
    s->reply = Reply{};
    s->t0 = NowNs();
    s->client->Go(kMethod, s->args, &s->reply, [this, s](netrpc::Call& call) {
      int64_t now = NowNs();
      Check(call.error(), s->args.A, s->reply);
      s->lat.push_back(now - s->t0);
      if (--s->left > 0) {
        Start(s);
      } else {
        absl::MutexLock lock(&mu_);
        --running_;
      }
    });
  }

  std::vector<std::unique_ptr<netrpc::Client>> clients_;
  std::vector<Slot> slots_;
  std::atomic<int64_t> next_a_{0};
  absl::Mutex mu_;
  int running_ = 0;
};

template <typename Load>
void Main(const Flags& flags) {
  Load load(flags);
  for (int i = 0; i < flags.warmup; i++) {
    load.Run({i % flags.conns}, 1, nullptr);
  }
  int per = flags.calls / flags.callers;
  std::vector<int> slot_conn(flags.callers);
  for (int g = 0; g < flags.callers; g++) slot_conn[g] = g % flags.conns;
  std::vector<int64_t> lat;
  lat.reserve(static_cast<size_t>(per) * flags.callers);
  int64_t cpu0 = CpuNs();
  int64_t t0 = NowNs();
  load.Run(slot_conn, per, &lat);
  double secs = static_cast<double>(NowNs() - t0) / 1e9;
  int64_t cpu1 = CpuNs();
  if (lat.empty()) Fatal("no calls (-calls < -callers?)");
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) {
    return static_cast<double>(
        lat[static_cast<size_t>(p * static_cast<double>(lat.size() - 1))] /
        1000);
  };
  std::printf("%d %d %zu %.3f %.0f %.0f %.0f", flags.callers, flags.conns,
              lat.size(), secs, static_cast<double>(lat.size()) / secs,
              pct(0.50), pct(0.99));
  if (flags.cpu) {
    std::printf(" %.2f", static_cast<double>(cpu1 - cpu0) / 1e3 /
                             static_cast<double>(lat.size()));
  }
  std::printf("\n");
  std::fflush(stdout);
  // Skip the destructors: the servers see the connections close at exit.
  std::_Exit(0);
}

}  // namespace loadgen

int main(int argc, char** argv) {
  loadgen::Flags flags = loadgen::ParseFlags(argc, argv);
  if (flags.engine == "client") {
    loadgen::Main<loadgen::ClientLoad>(flags);
  } else {
    loadgen::Main<loadgen::PipeLoad>(flags);
  }
  return 0;
}
