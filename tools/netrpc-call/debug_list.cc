#include "tools/netrpc-call/debug_list.h"

#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "netrpc/conn.h"
#include "netrpc/errors.h"

namespace netrpc_call {
namespace {

// HtmlUnescape undoes html/template's escaping (netrpc/debug_page.cc's
// table) and the numeric references it uses.
std::string HtmlUnescape(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    if (s[0] != '&') {
      out.push_back(s[0]);
      s.remove_prefix(1);
      continue;
    }
    size_t semi = s.find(';');
    if (semi == absl::string_view::npos || semi > 10) {
      out.push_back(s[0]);
      s.remove_prefix(1);
      continue;
    }
    absl::string_view ent = s.substr(1, semi - 1);
    std::string rep;
    if (ent == "lt") rep = "<";
    else if (ent == "gt") rep = ">";
    else if (ent == "amp") rep = "&";
    else if (ent == "quot") rep = "\"";
    else if (ent == "apos") rep = "'";
    else if (absl::ConsumePrefix(&ent, "#")) {
      uint32_t code = 0;
      bool ok = (absl::ConsumePrefix(&ent, "x") || absl::ConsumePrefix(&ent, "X"))
                    ? absl::SimpleHexAtoi(ent, &code)
                    : absl::SimpleAtoi(ent, &code);
      if (ok && code < 0x80) rep = std::string(1, static_cast<char>(code));
    }
    if (rep.empty()) {
      out.push_back('&');
      s.remove_prefix(1);
      continue;
    }
    out += rep;
    s.remove_prefix(semi + 1);
  }
  return out;
}

// SplitSignature splits "Name(Arg, Reply) error" at the top-level ", ".
bool SplitSignature(absl::string_view sig, DebugMethod* m) {
  if (!absl::ConsumeSuffix(&sig, ") error")) return false;
  size_t open = sig.find('(');
  if (open == absl::string_view::npos) return false;
  m->method = std::string(sig.substr(0, open));
  absl::string_view types = sig.substr(open + 1);
  int depth = 0;
  size_t split = absl::string_view::npos;
  for (size_t i = 0; i + 1 < types.size(); ++i) {
    char c = types[i];
    if (c == '[' || c == '(' || c == '{') ++depth;
    if (c == ']' || c == ')' || c == '}') --depth;
    if (depth == 0 && c == ',' && types[i + 1] == ' ') split = i;
  }
  if (split == absl::string_view::npos) return false;
  m->arg_type = std::string(types.substr(0, split));
  m->reply_type = std::string(types.substr(split + 2));
  return true;
}

}  // namespace

std::string DebugMethod::ToString() const {
  return absl::StrCat(service, ".", method, "(", arg_type, ") ", reply_type,
                      " calls=", calls);
}

absl::StatusOr<std::vector<DebugMethod>> ParseDebugPage(
    absl::string_view html) {
  if (!absl::StrContains(html, "<title>Services</title>")) {
    return absl::InvalidArgumentError(
        "not a net/rpc debug page (no <title>Services</title>)");
  }
  std::vector<DebugMethod> out;
  std::string service;
  bool have_service = false;
  DebugMethod* pending = nullptr;
  for (absl::string_view line : absl::StrSplit(html, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (absl::ConsumePrefix(&line, "Service ")) {
      service = HtmlUnescape(line);
      have_service = true;
      continue;
    }
    constexpr absl::string_view kSig = "<td align=left font=fixed>";
    constexpr absl::string_view kCalls = "<td align=center>";
    if (absl::ConsumePrefix(&line, kSig)) {
      if (!have_service || !absl::ConsumeSuffix(&line, "</td>")) {
        return absl::InvalidArgumentError(
            absl::StrCat("unexpected debug page row: ", line));
      }
      DebugMethod m;
      m.service = service;
      if (!SplitSignature(HtmlUnescape(line), &m)) {
        return absl::InvalidArgumentError(
            absl::StrCat("unexpected method on the debug page: ", line));
      }
      out.push_back(std::move(m));
      pending = &out.back();
      continue;
    }
    if (pending != nullptr && absl::ConsumePrefix(&line, kCalls) &&
        absl::ConsumeSuffix(&line, "</td>")) {
      if (!absl::SimpleAtoi(line, &pending->calls)) {
        return absl::InvalidArgumentError(
            absl::StrCat("unexpected call count on the debug page: ", line));
      }
      pending = nullptr;
    }
  }
  return out;
}

absl::StatusOr<std::string> FetchDebugPage(absl::string_view address,
                                           absl::string_view path) {
  const std::string url = absl::StrCat("http://", address, path);
  absl::StatusOr<std::unique_ptr<netrpc::Conn>> conn = netrpc::DialTCP(address);
  if (!conn.ok()) {
    return absl::Status(conn.status().code(),
                        absl::StrCat("GET ", url, ": ", conn.status().message()));
  }
  absl::Status s = (*conn)->Write(absl::StrCat(
      "GET ", path, " HTTP/1.0\r\nHost: ", address,
      "\r\nUser-Agent: netrpc-call\r\nConnection: close\r\n\r\n"));
  if (!s.ok()) {
    return absl::Status(s.code(), absl::StrCat("GET ", url, ": ", s.message()));
  }
  std::string response;
  char buf[16384];
  while (true) {
    absl::StatusOr<size_t> n = (*conn)->Read(buf, sizeof buf);
    if (!n.ok()) {
      if (netrpc::IsEOF(n.status())) break;
      return absl::Status(n.status().code(),
                          absl::StrCat("GET ", url, ": ", n.status().message()));
    }
    response.append(buf, *n);
    if (response.size() > (64u << 20)) {
      return absl::ResourceExhaustedError(
          absl::StrCat("GET ", url, ": answer larger than 64 MiB"));
    }
  }
  (void)(*conn)->Close();
  size_t head_end = response.find("\r\n\r\n");
  size_t skip = 4;
  if (head_end == std::string::npos) {
    head_end = response.find("\n\n");
    skip = 2;
  }
  if (head_end == std::string::npos) {
    return absl::UnavailableError(absl::StrCat(
        "GET ", url, ": not an HTTP answer (is ", address,
        " an HTTP server? --list needs a server that calls rpc.HandleHTTP)"));
  }
  absl::string_view head(response.data(), head_end);
  absl::string_view status_line = head.substr(0, head.find_first_of("\r\n"));
  std::vector<absl::string_view> parts =
      absl::StrSplit(status_line, absl::MaxSplits(' ', 1));
  if (parts.size() != 2 || !absl::StartsWith(parts[0], "HTTP/")) {
    return absl::UnavailableError(
        absl::StrCat("GET ", url, ": not an HTTP answer: ", status_line));
  }
  if (!absl::StartsWith(parts[1], "200")) {
    return absl::NotFoundError(absl::StrCat(
        "GET ", url, ": ", parts[1],
        " (does the server call rpc.HandleHTTP? set --debug_path if it "
        "serves the page elsewhere)"));
  }
  if (absl::StrContains(absl::AsciiStrToLower(head),
                        "transfer-encoding: chunked")) {
    return absl::UnimplementedError(
        absl::StrCat("GET ", url, ": chunked answers are not supported"));
  }
  return response.substr(head_end + skip);
}

}  // namespace netrpc_call
