/* cs-vpcd.c: placeholder, filled in by its issue. */
