/* cl-card.c: placeholder, filled in by its issue. */
