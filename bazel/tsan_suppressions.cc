// ThreadSanitizer's built-in suppressions, linked into every binary and test
// built with --config=tsan (as its --custom_malloc; see .bazelrc).
//
// Each entry is a module of Debian's that is built without TSan, whose own
// synchronization TSan cannot see: it reports the memory that the module
// frees, or reads, as racing with our threads when it is not.

extern "C" const char* __tsan_default_suppressions() {
  return
      // absl::Status shares its message and payloads by an atomic reference
      // count kept inside the library: the thread dropping the last copy
      // frees them after another thread has read them.
      "race:libabsl_status.so\n"
      // Abseil's deadlock detector updates its graph under its own lock.
      "race:libabsl_graphcycles_internal.so\n";
}
