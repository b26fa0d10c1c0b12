int encode(int x) { return x; }
