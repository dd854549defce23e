/* cl-derive.c: placeholder, filled in by its issue. */
