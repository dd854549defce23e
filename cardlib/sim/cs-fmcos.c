/* cs-fmcos.c: placeholder, filled in by its issue. */
