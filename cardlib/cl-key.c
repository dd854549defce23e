/* cl-key.c: placeholder, filled in by its issue. */
