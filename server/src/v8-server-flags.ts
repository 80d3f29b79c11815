// The language server's own V8 tuning, on top of what it shares with the CLI (v8-flags.ts):
// imported first by server.ts.
//
// The young generation starts at 1 MB a semi-space and V8 doubles it, up to 16 MB, whenever
// much of it survives a scavenge. Opening a large config (the bench's 20k lines) survives a
// lot, so one first check grew it to 32 MB in all, and the server's RSS after opening the
// file was 93 MB (issue 5's target: 80); the space is given back only when the server has
// been idle a while. Without growth the server reads the same file in 76 MB. The cost is more
// scavenges: a re-check of that file takes about 54 ms instead of 43 (`npm run bench`);
// a config of a few hundred lines is checked in a few milliseconds either way. The CLI, which
// checks one config after another and exits, keeps V8's default.
import './v8-flags';
import { setFlagsFromString } from 'node:v8';

// Read by V8 each time it would grow the young generation (not only at start-up).
setFlagsFromString('--semi-space-growth-factor=1');
