// Presence (issue #16): who else is on a subject, said on arrival, change and departure only
// (heartbeats are silent), forgotten PRESENCE_TTL_MS after a client's last word.
import { describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../src/core/api/events';
import { PresenceService } from '../../src/core/presence';
import { PRESENCE_TTL_MS } from '../../src/shared/ops/presence';
import type { Actor } from '../../src/shared/auth';
import { presenceLines } from '../../src/renderer/features/presence/presence-logic';

const actor = (userId: number, displayName: string): Actor => ({ userId, username: displayName.toLowerCase(), displayName, roles: ['manager'] });
const GIULIA = actor(2, 'Giulia');
const LAURA = actor(3, 'Laura');
const mention = { kind: 'mention' as const, id: 7 };

function setup(): { svc: PresenceService; heard: unknown[]; clock: { t: number } } {
  const events = new EventBus();
  const heard: unknown[] = [];
  events.subscribe((event, payload) => {
    if (event === 'presence.changed') heard.push(payload);
  });
  const clock = { t: 1_000_000 };
  return { svc: new PresenceService({ events, now: () => clock.t }), heard, clock };
}

describe('presence', () => {
  it('says who else is there, and tells the others only when something changes', () => {
    const { svc, heard } = setup();
    expect(svc.set(GIULIA, mention, 'viewing').others).toEqual([]);
    expect(svc.set(LAURA, mention, 'viewing').others).toEqual([{ person: { id: 2, displayName: 'Giulia' }, activity: 'viewing' }]);
    expect(heard).toHaveLength(2);
    svc.set(GIULIA, mention, 'viewing'); // heartbeat
    expect(heard).toHaveLength(2);
    svc.set(GIULIA, mention, 'replying');
    expect(heard.at(-1)).toEqual({
      subject: mention,
      people: [
        { person: { id: 2, displayName: 'Giulia' }, activity: 'replying' },
        { person: { id: 3, displayName: 'Laura' }, activity: 'viewing' },
      ],
    });
    svc.set(GIULIA, mention, null);
    expect(heard.at(-1)).toEqual({ subject: mention, people: [{ person: { id: 3, displayName: 'Laura' }, activity: 'viewing' }] });
    svc.stop();
  });

  it('forgets a client that stopped saying it is there, and says so', () => {
    vi.useFakeTimers();
    try {
      const { svc, heard, clock } = setup();
      svc.set(GIULIA, mention, 'replying');
      clock.t += PRESENCE_TTL_MS / 2;
      svc.set(LAURA, mention, 'viewing');
      // Giulia's laptop closes: no more heartbeats. Laura's keep coming.
      for (let k = 0; k < 4; k++) {
        clock.t += PRESENCE_TTL_MS / 3;
        svc.set(LAURA, mention, 'viewing');
        vi.advanceTimersByTime(PRESENCE_TTL_MS / 3);
      }
      expect(heard.at(-1)).toEqual({ subject: mention, people: [{ person: { id: 3, displayName: 'Laura' }, activity: 'viewing' }] });
      expect(svc.set(LAURA, mention, 'viewing').others).toEqual([]);
      svc.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('words a presence line: writers first, names joined', () => {
    const lines = presenceLines(
      [
        { person: { id: 1, displayName: 'Marco' }, activity: 'viewing' },
        { person: { id: 2, displayName: 'Giulia' }, activity: 'replying' },
        { person: { id: 3, displayName: 'Anna' }, activity: 'viewing' },
      ],
      (names) => new Intl.ListFormat('it', { type: 'conjunction' }).format(names),
    );
    expect(lines).toEqual([
      { key: 'presence.replying', names: 'Giulia', count: 1 },
      { key: 'presence.viewing', names: 'Marco e Anna', count: 2 },
    ]);
  });
});
