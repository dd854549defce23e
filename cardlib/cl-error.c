/* cl-error.c: placeholder, filled in by its issue. */
