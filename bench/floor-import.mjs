// The floor (floor.mjs) written the other obvious way, with an ES import of node:http: timed next to
// it, so the benchmark shows what that import alone costs on each Node version.

import 'node:http';
import './floor.mjs';
