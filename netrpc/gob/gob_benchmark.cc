// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// Steady-state costs on a warmed stream (types already sent): typed and
// dynamic encode and decode of a representative struct.
//
//   bazel run -c opt //netrpc/gob:gob_benchmark
//
// The same value in Go, for comparison (go test -bench):
//
//   type Nested struct { A int; B string }
//   type Bench struct {
//     I int; U uint64; J int32; S string; L []int; N Nested
//     M map[string]int; F float64; Ok bool
//   }

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/encoder.h"

namespace netrpc::gob::bench {

struct Nested {
  int64_t A = 0;
  std::string B;
};
NETRPC_GOB_STRUCT_NAMED(Nested, "main.Nested", A, B);

struct Bench {
  int64_t I = 0;
  uint64_t U = 0;
  int32_t J = 0;
  std::string S;
  std::vector<int64_t> L;
  Nested N;
  std::map<std::string, int64_t> M;
  double F = 0;
  bool Ok = false;
};
NETRPC_GOB_STRUCT_NAMED(Bench, "main.Bench", I, U, J, S, L, N, M, F, Ok);

namespace {

Bench Sample() {
  Bench b;
  b.I = -123456;
  b.U = 987654321;
  b.J = 42;
  b.S = "Arith.Multiply";
  b.L = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  b.N = Nested{7, "nested"};
  b.M = {{"one", 1}, {"two", 2}, {"three", 3}};
  b.F = 3.25;
  b.Ok = true;
  return b;
}

// Stream returns the type definitions (prefix) and `count` value messages.
void Stream(int count, std::string* prefix, std::string* values) {
  Encoder enc;
  Bench b = Sample();
  enc.Encode(b, prefix).IgnoreError();
  for (int i = 0; i < count; ++i) enc.Encode(b, values).IgnoreError();
}

constexpr int kBatch = 1000;

void BM_TypedEncode(benchmark::State& state) {
  Encoder enc;
  Bench b = Sample();
  std::string out;
  enc.Encode(b, &out).IgnoreError();
  for (auto _ : state) {
    out.clear();
    benchmark::DoNotOptimize(enc.Encode(b, &out));
  }
  state.SetBytesProcessed(state.iterations() * out.size());
}
BENCHMARK(BM_TypedEncode);

void BM_TypedDecode(benchmark::State& state) {
  std::string prefix, values;
  Stream(kBatch, &prefix, &values);
  Decoder dec;
  dec.Append(prefix);
  Bench b;
  dec.Decode(&b).IgnoreError();
  int left = 0;
  for (auto _ : state) {
    if (left == 0) {
      dec.Append(values);
      left = kBatch;
    }
    Bench v;
    benchmark::DoNotOptimize(dec.Decode(&v));
    --left;
  }
  state.SetBytesProcessed(state.iterations() * (values.size() / kBatch));
}
BENCHMARK(BM_TypedDecode);

void BM_DynamicEncode(benchmark::State& state) {
  std::string prefix, values;
  Stream(1, &prefix, &values);
  Decoder dec = Decoder::FromBytes(prefix);
  Value v;
  dec.DecodeValue(&v).IgnoreError();
  Encoder enc;
  std::string out;
  enc.EncodeValue(v, &out).IgnoreError();
  for (auto _ : state) {
    out.clear();
    benchmark::DoNotOptimize(enc.EncodeValue(v, &out));
  }
  state.SetBytesProcessed(state.iterations() * out.size());
}
BENCHMARK(BM_DynamicEncode);

void BM_DynamicDecode(benchmark::State& state) {
  std::string prefix, values;
  Stream(kBatch, &prefix, &values);
  Decoder dec;
  dec.Append(prefix);
  Value first;
  dec.DecodeValue(&first).IgnoreError();
  int left = 0;
  for (auto _ : state) {
    if (left == 0) {
      dec.Append(values);
      left = kBatch;
    }
    Value v;
    benchmark::DoNotOptimize(dec.DecodeValue(&v));
    --left;
  }
  state.SetBytesProcessed(state.iterations() * (values.size() / kBatch));
}
BENCHMARK(BM_DynamicDecode);

}  // namespace
}  // namespace netrpc::gob::bench

BENCHMARK_MAIN();
