// The local engine as its own process (what `npx sfn-local` runs), so that load.bench.ts can kill it.
import { main } from '@saga/sfn-local/cli';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
