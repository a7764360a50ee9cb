#!/usr/bin/env node
// The `review-console` command: a thin shim over the compiled CLI (build first: npx nx build @saga/review-console).
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr });
