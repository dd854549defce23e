/* cl-apdu.c: placeholder, filled in by its issue. */
