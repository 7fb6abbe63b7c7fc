// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: debug_page.h
//
// DebugPage renders the /debug/rpc page of Go's net/rpc (debug.go): each
// service, sorted by name, with its methods, sorted by name, spelled
// `Name(ArgType, ReplyType) error` in Go syntax, and how many times each was
// called. The HTML is Go's template output byte for byte (wire/SPEC.md §3),
// so tools that scrape Go servers' pages read ours.
//
//   std::string html = netrpc::DebugPage(netrpc::DefaultServer());
//
// HandleHTTP serves it; a gateway's admin page can embed it.

#ifndef NETRPC_DEBUG_PAGE_H_
#define NETRPC_DEBUG_PAGE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "netrpc/server.h"

namespace netrpc {

// DebugPage returns the page for `server`'s services as they are now.
// [thread-safe]
std::string DebugPage(const Server& server);

// HTMLEscape escapes text as Go's html/template does for element content.
std::string HTMLEscape(absl::string_view text);

}  // namespace netrpc

#endif  // NETRPC_DEBUG_PAGE_H_
