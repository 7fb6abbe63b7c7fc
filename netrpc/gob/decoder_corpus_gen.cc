// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// Writes the seed corpus of decoder_fuzz_test: valid gob streams covering
// every kind, both interface layouts, recursion, opaque values and net/rpc
// headers. Regenerate with
//
//   bazel run //netrpc/gob:decoder_corpus_gen -- $PWD/netrpc/gob/testdata/decoder_corpus
//
// Crash reproducers found by fuzzing are added to the directory by hand
// (named regression-*), not by this program.

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "netrpc/gob/encoder.h"

namespace netrpc::gob::fuzz {

struct Point {
  int64_t X = 0;
  int64_t Y = 0;
};
NETRPC_GOB_STRUCT_NAMED(Point, "main.Point", X, Y);

struct Inner {
  std::string Name;
  std::vector<int64_t> Vals;
};
NETRPC_GOB_STRUCT_NAMED(Inner, "main.Inner", Name, Vals);

struct Everything {
  bool Flag = false;
  int64_t I = 0;
  int8_t I8 = 0;
  uint16_t U16 = 0;
  uint64_t U = 0;
  double F = 0;
  float F32 = 0;
  std::complex<float> C64;
  std::string S;
  Bytes B;
  std::vector<int64_t> V;
  std::vector<Point> Points;
  std::array<int16_t, 3> A = {};
  std::map<std::string, int32_t> M;
  std::optional<std::map<int64_t, Point>> PM;
  std::unique_ptr<Everything> Next;
  Interface Any;
  absl::Time T = GoZeroTime();
  absl::Duration D;
  std::vector<Interface> List;
  std::map<std::string, Inner> Inners;
};
NETRPC_GOB_STRUCT_NAMED(Everything, "main.Target", Flag, I, I8, U16, U, F,
                        F32, C64, S, B, V, Points, A, M, PM, Next, Any, T, D,
                        List, Inners);

struct Request {
  std::string ServiceMethod;
  uint64_t Seq = 0;
};
NETRPC_GOB_STRUCT_NAMED(Request, "main.Request", ServiceMethod, Seq);

struct Response {
  std::string ServiceMethod;
  uint64_t Seq = 0;
  std::string Error;
};
NETRPC_GOB_STRUCT_NAMED(Response, "main.Response", ServiceMethod, Seq, Error);

struct Args {
  int64_t A = 0;
  int64_t B = 0;
};
NETRPC_GOB_STRUCT_NAMED(Args, "main.Args", A, B);

namespace {

Everything Full() {
  Everything e;
  e.Flag = true;
  e.I = -12345678901;
  e.I8 = -7;
  e.U16 = 65535;
  e.U = 1u << 31;
  e.F = 0.1;
  e.F32 = 1.5f;
  e.C64 = {1, -2};
  e.S = "héllo";
  e.B = {0, 1, 0xff};
  e.V = {1, -1, 300};
  e.Points = {{1, 2}, {0, 0}};
  e.A = {1, 0, -1};
  e.M = {{"k", 3}};
  e.PM.emplace();
  (*e.PM)[5] = Point{5, 6};
  e.Next = std::make_unique<Everything>();
  e.Next->I = 2;
  e.Next->Any = Interface::Of(std::string("inner"));
  e.Any = Interface::Of(Point{7, 8});
  e.T = absl::FromCivil(absl::CivilSecond(2009, 11, 10, 23, 0, 0),
                        absl::UTCTimeZone()) +
        absl::Nanoseconds(5);
  e.D = absl::Milliseconds(1500);
  e.List = {Interface(), Interface::Of(int64_t{3}),
            Interface::Of(std::vector<std::string>{"a"})};
  e.Inners = {{"x", Inner{"y", {9}}}};
  return e;
}

bool Write(const std::string& dir, const std::string& name,
           const std::string& data) {
  std::ofstream f(dir + "/" + name, std::ios::binary);
  f << data;
  return static_cast<bool>(f);
}

template <typename... T>
std::string Stream(const EncoderOptions& opts, const T&... values) {
  Encoder enc(opts);
  std::string out;
  bool ok = (enc.Encode(values, &out).ok() && ...);
  if (!ok) std::fprintf(stderr, "encode failed\n");
  return out;
}

}  // namespace
}  // namespace netrpc::gob::fuzz

int main(int argc, char** argv) {
  using namespace netrpc::gob;        // NOLINT
  using namespace netrpc::gob::fuzz;  // NOLINT
  if (argc != 2) {
    std::fprintf(stderr, "usage: decoder_corpus_gen DIR\n");
    return 2;
  }
  if (!Register<Point>().ok()) return 1;
  const std::string dir = argv[1];
  EncoderOptions go;
  EncoderOptions up_front;
  up_front.interface_layout = InterfaceLayout::kUpFront;
  bool ok = true;
  ok &= Write(dir, "point", Stream(go, Point{22, 33}, Point{22, 33}));
  ok &= Write(dir, "scalars",
              Stream(go, int64_t{-3}, uint64_t{1} << 40, 2.5, std::string("s"),
                     Bytes{1, 2}, true, std::complex<double>(1, 2)));
  ok &= Write(dir, "everything_go_layout", Stream(go, Full()));
  ok &= Write(dir, "everything_up_front", Stream(up_front, Full()));
  ok &= Write(dir, "everything_twice", Stream(go, Full(), Full()));
  ok &= Write(dir, "rpc_request",
              Stream(go, Request{"Arith.Multiply", 1}, Args{7, 8},
                     Request{"Arith.Multiply", 2}, Args{7, 8}));
  ok &= Write(dir, "rpc_response",
              Stream(go, Response{"Arith.Multiply", 1, ""}, int64_t{56},
                     Response{"Arith.Divide", 2, "divide by zero"},
                     Point{3, 2}));
  ok &= Write(dir, "composites",
              Stream(go, std::vector<std::string>{"a", "b"},
                     std::array<int64_t, 3>{},
                     std::map<std::string, int64_t>{{"x", 1}},
                     std::vector<Point>{{1, 2}, {0, 0}},
                     std::vector<Interface>{Interface(),
                                            Interface::Of(std::string("x"))}));
  return ok ? 0 : 1;
}
