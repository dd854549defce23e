/* cs-deck.c: placeholder, filled in by its issue. */
