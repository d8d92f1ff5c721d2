#!/usr/bin/env node
// The `vedetta` command (package bin; also `npm run vedetta -- …`). The CLI is TypeScript
// run from source through tsx, so there is no separate build step for it.
import './tsx.mjs';

const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Let stdout drain (piped exports) before leaving; some handles (timers in core) may
// otherwise keep a finished command alive.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
