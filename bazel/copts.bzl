"""The one place for the project's compiler flags."""

# Warnings are errors under --config=ci (see .bazelrc); here they are only on.
NETRPC_COPTS = [
    "-Wall",
    "-Wextra",
]

NETRPC_TEST_COPTS = NETRPC_COPTS
