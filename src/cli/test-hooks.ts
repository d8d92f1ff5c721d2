// Test-only hooks of the CLI host, from variables that only test suites set. They reach core
// through the Platform, never through process.env read inside core.
//   VEDETTA_TEST_CRASH_AFTER_SEND=1        SIGKILL itself after a platform accepted a post and
//                                           before the outbox records it (fault injection)
//   VEDETTA_TEST_PUBLISH_BACKOFF_MS=50      outbox retry delay instead of seconds to minutes
//   VEDETTA_TEST_SLA_MINUTE_MS=15000        one minute of a Tier 2 alert SLA lasts this long
//   VEDETTA_TEST_REDDIT_DOMAIN=reddit.com:PORT and VEDETTA_TEST_REDDIT_CA_FILE=ca.pem
//                                           publish to a local Reddit-shaped server over HTTPS
//                                           (every *.reddit.com name resolves to 127.0.0.1)
import { readFileSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import type { TestHooks } from '../core/platform';

const localLookup: LookupFunction = (_hostname, options, callback) => {
  const cb = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
  const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
  if (all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
};

export function testHooksFromEnv(env: NodeJS.ProcessEnv): TestHooks | undefined {
  const hooks: TestHooks = {};
  if (env.VEDETTA_TEST_CRASH_AFTER_SEND === '1') {
    hooks.afterPublishSend = () => {
      process.kill(process.pid, 'SIGKILL');
    };
  }
  const backoff = Number(env.VEDETTA_TEST_PUBLISH_BACKOFF_MS);
  if (Number.isInteger(backoff) && backoff > 0) hooks.publishBackoffMs = [backoff];
  const slaMinute = Number(env.VEDETTA_TEST_SLA_MINUTE_MS);
  if (Number.isInteger(slaMinute) && slaMinute > 0) hooks.slaMinuteMs = slaMinute;
  if (env.VEDETTA_TEST_REDDIT_DOMAIN && env.VEDETTA_TEST_REDDIT_CA_FILE) {
    hooks.reddit = {
      endpointDomain: env.VEDETTA_TEST_REDDIT_DOMAIN,
      requestOptions: { ca: readFileSync(env.VEDETTA_TEST_REDDIT_CA_FILE, 'utf8'), lookup: localLookup },
    };
  }
  return Object.keys(hooks).length > 0 ? hooks : undefined;
}
