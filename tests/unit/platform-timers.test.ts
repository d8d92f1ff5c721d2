import { describe, expect, it } from 'vitest';
import { timersFromEnv } from '../../src/core/platform';

describe('timersFromEnv', () => {
  it('keeps positive whole milliseconds and ignores the rest', () => {
    expect(timersFromEnv({ VEDETTA_ALERT_TICK_MS: '500', VEDETTA_NOTIFY_BACKOFF_MS: '30' })).toEqual({ alertTickMs: 500, notifyBackoffMs: 30 });
    expect(timersFromEnv({ VEDETTA_ALERT_TICK_MS: '0', VEDETTA_NOTIFY_BACKOFF_MS: '1.5' })).toEqual({});
    expect(timersFromEnv({ VEDETTA_ALERT_TICK_MS: 'presto' })).toEqual({});
    expect(timersFromEnv({})).toEqual({});
  });
});
