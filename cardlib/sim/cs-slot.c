/* cs-slot.c: placeholder, filled in by its issue. */
