// Run in a child process whose Node trusts a test authority (NODE_EXTRA_CA_CERTS, read only at
// start): a first look at the server, then a call from a client pinned to `pin`. Prints what
// happened as one JSON line. team-client.test.ts uses it to show the pin wins over a
// certificate the system would trust.
import { probeTeam } from '../../../src/main/team/probe';
import { TeamClient } from '../../../src/main/team/team-client';
import { ApiError } from '../../../src/shared/contract';

const [url, pin] = process.argv.slice(2) as [string, string];
const probe = await probeTeam(url);
const c = new TeamClient({ url, pin, connectTimeoutMs: 3_000 });
c.start();
let refused: string | null = null;
try {
  await c.dispatch('auth.status', {}, { session: null });
} catch (e) {
  refused = e instanceof ApiError ? e.key : String(e);
}
c.close();
console.log(JSON.stringify({ publiclyTrusted: probe.publiclyTrusted, fingerprint: probe.fingerprint, refused }));
