/* cli-key.c: placeholder, filled in by issue 2. */
#include "cli.h"

int cli_key_kcv (int argc, char **argv) { return CLI_EXIT_FAILURE; }
int cli_key_derive_kcv (int argc, char **argv) { return CLI_EXIT_FAILURE; }
