/* cl-codec.c: placeholder, filled in by its issue. */
