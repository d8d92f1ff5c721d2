#!/usr/bin/env node
// The `vedetta` command (package bin; also `npm run vedetta -- …`). It runs the CLI as built
// by `electron-vite build` (out/main/cli.js) when that build is newer than every source, and
// otherwise from source through tsx, so an edit is never run stale and no build is needed.
// The built one starts in about half the CPU time: tsx transforms and resolves each of the
// CLI's few hundred modules at every start. VEDETTA_FROM_SOURCE=1 always runs the source.
import { pathToFileURL } from 'node:url';
import { builtCli, cliIsStale } from './build-state.mjs';

const fromSource = process.env.VEDETTA_FROM_SOURCE === '1' || cliIsStale();
if (fromSource) await import('./tsx.mjs');
const { main } = await import(fromSource ? '../src/cli/main.ts' : pathToFileURL(builtCli).href);
const code = await main(process.argv.slice(2));
// Let stdout drain (piped exports) before leaving; some handles (timers in core) may
// otherwise keep a finished command alive.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
