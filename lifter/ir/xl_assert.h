/* Internal-bug checks: an xl_assert that fails is a bug in xlate, never bad input. */
#ifndef XL_ASSERT_H
#define XL_ASSERT_H

_Noreturn void xl_assert_fail(const char *expr, const char *file, int line);

#define xl_assert(e) ((e) ? (void)0 : xl_assert_fail(#e, __FILE__, __LINE__))
#define xl_unreachable() xl_assert_fail("unreachable", __FILE__, __LINE__)

#endif
