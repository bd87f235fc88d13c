/*
 * Linked (whole) into every translated program ahead of the static capstone, which the
 * runtime's ARM decoder needs: capstone's cs.o refers to the init and option functions of
 * every architecture it was built for, so each one's decoder, printer and tables (3.8 MB of
 * a 11 MB hello, and most of its relocations) came along although only ARM is ever opened.
 * These weak stand-ins satisfy those references first, so the linker takes no other
 * architecture's module from the archive; a module that something else pulls in anyway
 * overrides them. Opening another architecture then fails with CS_ERR_ARCH. The names are
 * capstone 4's (Debian 12); a name another version lacks costs nothing.
 */
#include <capstone/capstone.h>

#define NOT_BUILT(arch)                                                                  \
    __attribute__((weak)) cs_err arch##_global_init(void *ud);                           \
    __attribute__((weak)) cs_err arch##_global_init(void *ud)                            \
    {                                                                                    \
        (void)ud;                                                                        \
        return CS_ERR_ARCH;                                                              \
    }                                                                                    \
    __attribute__((weak)) cs_err arch##_option(void *handle, int type, size_t value);    \
    __attribute__((weak)) cs_err arch##_option(void *handle, int type, size_t value)     \
    {                                                                                    \
        (void)handle;                                                                    \
        (void)type;                                                                      \
        (void)value;                                                                     \
        return CS_ERR_ARCH;                                                              \
    }

NOT_BUILT(AArch64)
NOT_BUILT(Mips)
NOT_BUILT(PPC)
NOT_BUILT(Sparc)
NOT_BUILT(SystemZ)
NOT_BUILT(X86)
NOT_BUILT(XCore)
NOT_BUILT(M68K)
NOT_BUILT(TMS320C64x)
NOT_BUILT(M680X)
NOT_BUILT(EVM)
