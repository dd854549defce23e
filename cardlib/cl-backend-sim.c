/* cl-backend-sim.c: placeholder, filled in by its issue. */
