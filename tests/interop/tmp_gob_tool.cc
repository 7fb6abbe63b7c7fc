// TEMPORARY stand-in for //tools/gob to exercise the tests; deleted later.
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "netrpc/gob/gob.h"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  std::string mode = argv[1];
  bool types = false;
  std::string file;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--types") types = true; else file = a;
  }
  std::string data;
  if (file.empty()) {
    data.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream f(file, std::ios::binary);
    data.assign(std::istreambuf_iterator<char>(f), {});
  }
  netrpc::gob::Decoder dec = netrpc::gob::Decoder::FromBytes(data);
  netrpc::gob::Encoder enc;
  std::string out;
  size_t printed = 0;
  while (true) {
    netrpc::gob::Value v;
    absl::Status s = dec.DecodeValue(&v);
    if (types) {
      for (; printed < dec.definitions().size(); ++printed) {
        auto id = dec.definitions()[printed];
        std::cout << netrpc::gob::WireTypeToJson(id, *dec.Definition(id)) << "\n";
      }
    }
    if (absl::IsOutOfRange(s)) break;
    if (!s.ok()) { std::cerr << "gob " << mode << ": " << s.message() << "\n"; return 1; }
    if (mode == "dump") std::cout << netrpc::gob::ValueToJson(v) << "\n";
    else {
      absl::Status e = enc.EncodeValue(v, &out);
      if (!e.ok()) { std::cerr << "gob recode: " << e.message() << "\n"; return 1; }
    }
  }
  std::cout << out;
  return 0;
}
