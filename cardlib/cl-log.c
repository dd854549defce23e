/* cl-log.c: placeholder, filled in by its issue. */
