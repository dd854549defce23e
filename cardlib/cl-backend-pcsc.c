/* cl-backend-pcsc.c: placeholder, filled in by its issue. */
