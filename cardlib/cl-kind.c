/* cl-kind.c: placeholder, filled in by its issue. */
