/* cl-context.c: placeholder, filled in by its issue. */
