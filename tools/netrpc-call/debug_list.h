// File: debug_list.h
//
// The `--list` mode of netrpc-call: fetch the `/debug/rpc` page of a Go
// net/rpc server served over HTTP (rpc.HandleHTTP; ours serves the same
// page) and read its methods back out of the HTML.
//
//   NETRPC_ASSIGN_OR_RETURN(std::string html,
//       netrpc_call::FetchDebugPage("127.0.0.1:8080", "/debug/rpc"));
//   NETRPC_ASSIGN_OR_RETURN(std::vector<netrpc_call::DebugMethod> methods,
//                           netrpc_call::ParseDebugPage(html));
//   for (const auto& m : methods) std::cout << m.ToString() << "\n";
//   // Arith.Divide(*main.Args) *main.Quotient calls=3
//
// Thread-safety: the functions are thread-safe.

#ifndef TOOLS_NETRPC_CALL_DEBUG_LIST_H_
#define TOOLS_NETRPC_CALL_DEBUG_LIST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace netrpc_call {

// DebugMethod is one row of the debug page.
struct DebugMethod {
  std::string service;     // "Arith"
  std::string method;      // "Divide"
  std::string arg_type;    // "*main.Args" (Go's reflect spelling)
  std::string reply_type;  // "*main.Quotient"
  int64_t calls = 0;

  // ToString is "Service.Method(ArgType) ReplyType calls=N".
  std::string ToString() const;
};

// ParseDebugPage reads the rows of Go's debug page (net/rpc's debug.go
// template, HTML-escaped). kInvalidArgument if the text is not such a page.
absl::StatusOr<std::vector<DebugMethod>> ParseDebugPage(absl::string_view html);

// FetchDebugPage GETs http://address/path (HTTP/1.0, no keep-alive) and
// returns the body of a 200 answer; any other status is an error naming the
// URL and what to check. It blocks until the server closes the connection.
absl::StatusOr<std::string> FetchDebugPage(absl::string_view address,
                                           absl::string_view path);

}  // namespace netrpc_call

#endif  // TOOLS_NETRPC_CALL_DEBUG_LIST_H_
