// tests/support/sanitized.h: whether this test binary is built under a sanitizer.
//
// Scale tests (100 000 rules, a 200 MB field) check linear cost and bounded memory; under
// AddressSanitizer / ThreadSanitizer (scripts/test.sh's second and third builds) each access is
// checked and the shadow memory is reserved up front, so such tests use a smaller size there or
// skip the memory limit. Correctness checks stay the same in every build.
#pragma once

namespace dealflow::testing {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace dealflow::testing
