// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: errors.h
//
// The error values of Go's net/rpc, as absl::Status. Go compares errors by
// identity (`err == rpc.ErrShutdown`) or by type (`err.(rpc.ServerError)`);
// here each sentinel is a pair: a function that builds the status and a
// predicate that recognises it by a status payload, so the text stays exactly
// Go's while the check does not depend on it.
//
//   absl::Status s = client->Call("Arith.Div", args, &reply);
//   if (netrpc::IsServerError(s)) {
//     // s.message() is the server's text verbatim, e.g. "divide by zero".
//   } else if (netrpc::IsShutdown(s)) {
//     // the client is closed; dial again.
//   }
//
// Texts that cross the wire (the Error field of a response) are Go's byte for
// byte; see wire/SPEC.md §2.6.

#ifndef NETRPC_ERRORS_H_
#define NETRPC_ERRORS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace netrpc {

// ErrShutdown returns Go's rpc.ErrShutdown: "connection is shut down"
// (code kUnavailable). A Client returns it for calls made after Close, or
// after its connection broke and its pending calls were failed.
absl::Status ErrShutdown();

// IsShutdown reports whether `status` is ErrShutdown().
bool IsShutdown(const absl::Status& status);

// ServerError returns Go's rpc.ServerError: the error text a server sent in
// a response, verbatim (code kUnknown, as gRPC maps an opaque remote error).
absl::Status ServerError(absl::string_view text);

// IsServerError reports whether `status` came from the remote server (a
// method's error or the server's dispatch error), as opposed to a transport
// or local failure.
bool IsServerError(const absl::Status& status);

// EOFError returns Go's io.EOF: the stream ended cleanly between messages
// (code kOutOfRange, text "EOF").
absl::Status EOFError();

// IsEOF reports whether `status` is EOFError().
bool IsEOF(const absl::Status& status);

// UnexpectedEOFError returns Go's io.ErrUnexpectedEOF: the stream ended in the
// middle of a message, or a client's connection broke with calls pending
// (code kDataLoss, text "unexpected EOF").
absl::Status UnexpectedEOFError();

// IsUnexpectedEOF reports whether `status` carries the text "unexpected EOF".
bool IsUnexpectedEOF(const absl::Status& status);

// DeadlineError returns the error of a call whose CallOptions timeout passed
// before its reply arrived (code kDeadlineExceeded). Go's net/rpc has no
// deadlines, so the text is ours: "rpc: call timed out after 100ms".
absl::Status DeadlineError(absl::Duration timeout);

// CanceledError returns the error of a call canceled with Call::Cancel
// (code kCancelled, text "rpc: call canceled").
absl::Status CanceledError();

}  // namespace netrpc

#endif  // NETRPC_ERRORS_H_
