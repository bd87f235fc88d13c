/* Host code listing for `xlate dump -d asm`: capstone in x86-64 mode. */
#include <capstone/capstone.h>
#include <inttypes.h>

#include "jit.h"

int jit_print_code(FILE *f, const void *code, size_t size)
{
    csh h;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
        return -1;
    cs_insn *insn;
    size_t n = cs_disasm(h, code, size, (uint64_t)(uintptr_t)code, 0, &insn);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "  %" PRIx64 ":  %-8s %s\n", insn[i].address, insn[i].mnemonic, insn[i].op_str);
    if (n)
        cs_free(insn, n);
    cs_close(&h);
    return 0;
}
