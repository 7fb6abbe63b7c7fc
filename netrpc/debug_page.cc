// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/debug_page.h"

#include "absl/strings/str_cat.h"
#include "netrpc/server_internal.h"

namespace netrpc {

std::string HTMLEscape(absl::string_view text) {
  // html/template's htmlEscaper table.
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\0': out += "\xef\xbf\xbd"; break;
      case '"': out += "&#34;"; break;
      case '&': out += "&amp;"; break;
      case '\'': out += "&#39;"; break;
      case '+': out += "&#43;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string DebugPage(const Server& server) {
  return internal::DebugPageOf(*server.state());
}

namespace internal {

std::string DebugPageOf(ServerState& state) {
  // debug.go's debugText, executed: the whitespace between actions is the
  // template's own and is reproduced exactly.
  std::string out = "<html>\n\t<body>\n\t<title>Services</title>\n\t";
  for (const internal::DebugService& service : state.Snapshot()) {
    absl::StrAppend(&out, "\n\t<hr>\n\tService ", HTMLEscape(service.name),
                    "\n\t<hr>\n\t\t<table>\n\t\t<th align=center>Method</th>"
                    "<th align=center>Calls</th>\n\t\t");
    for (const internal::DebugMethod& m : service.methods) {
      absl::StrAppend(&out, "\n\t\t\t<tr>\n\t\t\t<td align=left font=fixed>",
                      HTMLEscape(m.name), "(", HTMLEscape(m.arg_type), ", ",
                      HTMLEscape(m.reply_type),
                      ") error</td>\n\t\t\t<td align=center>", m.calls,
                      "</td>\n\t\t\t</tr>\n\t\t");
    }
    absl::StrAppend(&out, "\n\t\t</table>\n\t");
  }
  absl::StrAppend(&out, "\n\t</body>\n\t</html>");
  return out;
}

}  // namespace internal

}  // namespace netrpc
