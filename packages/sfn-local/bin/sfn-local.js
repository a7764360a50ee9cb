#!/usr/bin/env node
// The `sfn-local` command: a thin shim over the compiled CLI (build first: tsc -b tsconfig.lib.json).
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
// Anything still holding the event loop (a handler's socket, a real-time timer) must not keep a
// stopped server's process alive.
setTimeout(() => process.exit(), 1000).unref();
