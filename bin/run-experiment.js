#!/usr/bin/env -S node --max-semi-space-size=2
// `run-experiment ...` is `run-notebook experiment ...`, as the seed tool spells it
// (see bin/run-notebook.js for the node flag).
process.argv.splice(2, 0, 'experiment');
await import('./run-notebook.js');
