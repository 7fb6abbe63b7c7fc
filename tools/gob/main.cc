// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// gob: inspect and rewrite Go gob streams.
//
//   gob dump [--types] [FILE]   print each value as one line of JSON
//   gob recode [FILE]           decode and re-encode as a fresh stream
//
// FILE defaults to standard input. Errors go to standard error and the exit
// status is 1 (values decoded before the error are printed); usage errors
// exit with 2.

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "tools/gob/gob_tool.h"

namespace {

constexpr char kUsage[] =
    "usage: gob dump [--types] [FILE]\n"
    "       gob recode [FILE]\n";

int Usage() {
  std::cerr << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) return Usage();
  std::string command = argv[1];
  bool types = false;
  std::vector<std::string> files;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--types" && command == "dump") {
      types = true;
    } else if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      return 0;
    } else if (!arg.empty() && arg[0] == '-' && arg != "-") {
      return Usage();
    } else {
      files.push_back(arg);
    }
  }
  if ((command != "dump" && command != "recode") || files.size() > 1) {
    return Usage();
  }

  std::ifstream file;
  std::istream* in = &std::cin;
  if (!files.empty() && files[0] != "-") {
    file.open(files[0], std::ios::binary);
    if (!file) {
      std::cerr << "gob: cannot open " << files[0] << "\n";
      return 1;
    }
    in = &file;
  }
  absl::Status s = command == "dump"
                       ? gob_tool::Dump(*in, std::cout, {types})
                       : gob_tool::Recode(*in, std::cout);
  std::cout.flush();
  if (!s.ok()) {
    std::cerr << "gob " << command << ": " << s.message() << "\n";
    return 1;
  }
  return 0;
}
