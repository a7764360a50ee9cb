#!/usr/bin/env node
// The `asl` command: a thin shim over the compiled CLI (build first: tsc -b tsconfig.lib.json).
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
