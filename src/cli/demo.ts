// `vedetta demo`: the demo workspace built without a window — perimeter, audiences, a manual
// channel, one person per role, Tier 2 with its alerts, and a fresh run of the demo stream
// stored at once (app/replays.ts buildDemo). The report says what was added and who can sign
// in with one click; --format json gives the same to a script.
import { mkdirSync } from 'node:fs';
import { DEMO_PEOPLE, openApp } from '../app/app';
import { renderText } from '../shared/errors';
import type { DemoPerson } from '../shared/ops/auth';
import { nodePlatform, parse, said, stderrLogger, UsageError, type CliIo } from './io';
import { resolveDataDir } from '../server/user-data';

export async function demoCommand(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  if (args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    io.out(renderText('help.demo'));
    return 0;
  }
  const { values } = parse(args, { format: { type: 'string', default: 'text' }, data: { type: 'string' } }, 0);
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError('cli.formatTextJson');
  const dataDir = resolveDataDir(values.data, { env });
  mkdirSync(dataDir, { recursive: true });
  const json = values.format === 'json';
  if (!json) io.out(said('output.demoStart', { dir: dataDir }));
  const app = openApp({ platform: nodePlatform(dataDir, stderrLogger(io)), mode: 'cli' });
  try {
    const built = await app.buildDemo();
    const { prepared } = built;
    // The people the demo set up, as the sign-in screen will list them.
    const people = ((await app.dispatch('auth.status', {})) as { demoPeople?: DemoPerson[] }).demoPeople ?? [];
    if (json) {
      io.out(`${JSON.stringify({ dataDir, ...built, people })}\n`);
      return 0;
    }
    const yes = (b: boolean): string => renderText(b ? 'output.demoYes' : 'output.demoNo');
    io.out(said('output.demoBuilt', { run: prepared.run, accepted: built.accepted, total: built.total, duplicates: built.duplicates, rejected: built.rejected }));
    io.out(said('output.demoParts', { perimeter: yes(prepared.perimeter), audiences: prepared.audiences, channel: yes(prepared.channel), people: prepared.people, metrics: yes(prepared.metrics) }));
    io.out(said('output.demoPeopleHead'));
    // In the demo's order (one per role), whatever order the store keeps them in.
    const rank = (u: string): number => DEMO_PEOPLE.findIndex((p) => p.username === u);
    for (const p of [...people].sort((a, b) => rank(a.username) - rank(b.username))) {
      io.out(said('output.demoPerson', { username: p.username, name: p.displayName, role: p.roles.join(', ') }));
    }
    io.out(said('output.demoOpen', { dir: dataDir }));
    return 0;
  } finally {
    app.close();
  }
}
