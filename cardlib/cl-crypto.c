/* cl-crypto.c: placeholder, filled in by its issue. */
