// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// A main() for fuzz targets built as ordinary tests: it runs
// LLVMFuzzerTestOneInput on every file of the corpus directories given as
// arguments, and on deterministic mutations of each (Go's TestFuzzOneByte
// style: every byte XORed with a spread of masks, plus every truncation), so
// `bazel test` exercises the target without libFuzzer.
//
//   decoder_fuzz_test netrpc/gob/testdata/decoder_corpus

#include <dirent.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// kMutationsPerSeed bounds the byte flips tried per seed.
constexpr size_t kMutationsPerSeed = 3000;

void Run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()),
                         input.size());
}

size_t Mutate(const std::string& seed) {
  size_t runs = 0;
  for (size_t len = 0; len < seed.size(); ++len) {
    Run(seed.substr(0, len));
    ++runs;
  }
  if (seed.empty()) return runs;
  // Spread the mask steps so that long seeds still see all positions.
  size_t step = std::max<size_t>(1, seed.size() * 255 / kMutationsPerSeed);
  for (size_t k = 0; k < seed.size() * 255; k += step) {
    size_t pos = k % seed.size();
    uint8_t mask = static_cast<uint8_t>(1 + (k / seed.size()) % 255);
    std::string m = seed;
    m[pos] = static_cast<char>(static_cast<uint8_t>(m[pos]) ^ mask);
    Run(m);
    ++runs;
  }
  return runs;
}

}  // namespace

int main(int argc, char** argv) {
  size_t files = 0, runs = 0;
  for (int i = 1; i < argc; ++i) {
    DIR* dir = opendir(argv[i]);
    if (dir == nullptr) {
      std::fprintf(stderr, "cannot open corpus directory %s\n", argv[i]);
      return 1;
    }
    std::vector<std::string> names;
    while (dirent* e = readdir(dir)) {
      if (e->d_name[0] != '.') names.push_back(e->d_name);
    }
    closedir(dir);
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      std::ifstream f(std::string(argv[i]) + "/" + name, std::ios::binary);
      std::stringstream ss;
      ss << f.rdbuf();
      Run(ss.str());
      runs += 1 + Mutate(ss.str());
      ++files;
    }
  }
  std::printf("replayed %zu corpus files, %zu inputs\n", files, runs);
  if (files == 0) {
    std::fprintf(stderr, "empty corpus\n");
    return 1;
  }
  return 0;
}
