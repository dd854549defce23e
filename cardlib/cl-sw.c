/* cl-sw.c: placeholder, filled in by its issue. */
