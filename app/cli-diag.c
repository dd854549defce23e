/* cli-diag.c: placeholder, filled in by issue 4. */
#include "cli.h"

int cli_readers (int argc, char **argv) { return CLI_EXIT_FAILURE; }
int cli_card_info (int argc, char **argv) { return CLI_EXIT_FAILURE; }
int cli_support_report (int argc, char **argv) { return CLI_EXIT_FAILURE; }
