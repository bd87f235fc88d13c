/* `xlate IN -o OUT`: ahead-of-time translation (tools/aot.c, docs/aot.md). */
#ifndef XL_TOOLS_AOT_H
#define XL_TOOLS_AOT_H

/* argv[0] is "xlate"; the rest are the translate command's arguments. Prints its own
   errors (one line) and returns the exit status: 0, 1 (cannot translate), 2 (usage). */
int aot_translate_main(int argc, char **argv);

#endif
