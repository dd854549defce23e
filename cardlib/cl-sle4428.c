/* cl-sle4428.c: placeholder, filled in by its issue. */
