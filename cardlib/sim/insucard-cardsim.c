/* insucard-cardsim: placeholder until the simulator lands (issue 3). */
#include <stdio.h>

int
main (int argc, char **argv)
{
  fprintf (stderr, "insucard-cardsim: not built yet\n");
  return 1;
}
