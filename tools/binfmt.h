/* xlate as binfmt_misc's handler of ARM executables (tools/binfmt.c). */
#ifndef XL_TOOLS_BINFMT_H
#define XL_TOOLS_BINFMT_H

/* When the kernel started this xlate for an ARM executable (AT_EXECFD in the auxv), runs
   it and returns its exit status; otherwise returns -1 at once. */
int binfmt_main(int argc, char **argv, char **envp);

/* xlate binfmt --install | --remove | --status [--name NAME]: the exit status. */
int binfmt_cmd(int argc, char **argv, const char *usage);

#endif
