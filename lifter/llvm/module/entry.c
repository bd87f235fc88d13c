/*
 * xlate-llvm.so: the LLVM raiser as a module that `xlate` loads only to translate ahead of
 * time (tools/aot.c, load_raiser). libLLVM is large: linked into xlate itself, loading and
 * relocating it took 14 ms and 50 MB of every `xlate run`, twice qemu-arm's whole start-up.
 * The module carries its own copy of the µIR library (its tables are constant data, and
 * helpers are named by index), and is linked -Bsymbolic so that it always uses it.
 */
#include "../raise.h"

/* What tools/aot.c looks up with dlsym: the signature of raise_program, checked here. */
raise_program_fn *const xlate_llvm_raise_program = raise_program;
