// File: status_macros.h
//
// Early-return helpers for absl::Status and absl::StatusOr. Abseil 20220623 (the
// Debian version) does not ship its own, so these stand in until it does.
//
//   absl::Status Parse(Reader& r) {
//     NETRPC_RETURN_IF_ERROR(r.Header());
//     NETRPC_ASSIGN_OR_RETURN(uint64_t n, r.Uint());
//     ...
//   }

#ifndef NETRPC_BASE_STATUS_MACROS_H_
#define NETRPC_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// NETRPC_RETURN_IF_ERROR evaluates expr (an absl::Status) and returns it from
// the enclosing function if it is not OK.
#define NETRPC_RETURN_IF_ERROR(expr)                    \
  do {                                                  \
    ::absl::Status netrpc_status_ = (expr);             \
    if (!netrpc_status_.ok()) return netrpc_status_;    \
  } while (0)

#define NETRPC_STATUS_CONCAT_INNER_(a, b) a##b
#define NETRPC_STATUS_CONCAT_(a, b) NETRPC_STATUS_CONCAT_INNER_(a, b)

// NETRPC_ASSIGN_OR_RETURN(lhs, expr) evaluates expr (an absl::StatusOr<T>); on
// error it returns the status, otherwise it moves the value into lhs, which may
// be a declaration (`auto v`) or an existing variable.
#define NETRPC_ASSIGN_OR_RETURN(lhs, expr)                                     \
  NETRPC_ASSIGN_OR_RETURN_IMPL_(                                               \
      NETRPC_STATUS_CONCAT_(netrpc_statusor_, __LINE__), lhs, expr)

#define NETRPC_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

#endif  // NETRPC_BASE_STATUS_MACROS_H_
