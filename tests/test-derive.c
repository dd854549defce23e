/* test-derive.c: placeholder until its tests land (issue 2). */
int main (void);
int main (void) { return 77; }
