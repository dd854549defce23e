/* cs-fault.c: placeholder, filled in by its issue. */
