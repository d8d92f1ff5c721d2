// The crisis banner's pure pieces: which crises it shows (open, not acknowledged, newest first),
// and the desktop notification's link to the moment (main → this window only → the page).
import { describe, expect, it } from 'vitest';
import { openMomentIn } from '../../src/main/ipc';
import { createIpcBridge, type IpcRendererLike } from '../../src/preload/ipc-client';
import { pendingCrises } from '../../src/renderer/features/moments/crises.svelte';
import type { MomentSummary } from '../../src/shared/moments';

const moment = (over: Partial<MomentSummary>): MomentSummary => ({
  id: 1,
  kind: 'crisis',
  state: 'open',
  title: 'Muffa',
  keyKind: 'theme',
  themeId: 1,
  openedAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:05:00.000Z',
  closedAt: null,
  volume: 18,
  negative: 18,
  sentiment: -0.8,
  peakZ: 9,
  spark: [],
  acknowledgedBy: null,
  baselineMinutes: 60,
  baselineFull: true,
  ...over,
});

describe('the crisis banner', () => {
  it('shows open crises nobody took in charge, newest first', () => {
    const items = [
      moment({ id: 1, openedAt: '2026-11-20T10:00:00.000Z' }),
      moment({ id: 2, openedAt: '2026-11-20T10:30:00.000Z' }),
      moment({ id: 3, acknowledgedBy: { name: 'Marta Ferri', at: '2026-11-20T10:31:00.000Z' } }),
      moment({ id: 4, state: 'closed' }),
      moment({ id: 5, kind: 'opportunity' }),
    ];
    expect(pendingCrises(items).map((m) => m.id)).toEqual([2, 1]);
    expect(pendingCrises([])).toEqual([]);
  });

  it('a click on the desktop notification reaches the page as moments.open, for that window only', () => {
    const listeners: ((e: unknown, msg: unknown) => void)[] = [];
    const ipc: IpcRendererLike = {
      invoke: async () => ({ ok: true, value: null }),
      on: (_c, l) => listeners.push(l),
      removeListener: () => undefined,
    };
    const bridge = createIpcBridge(ipc);
    const opened: unknown[] = [];
    bridge.on('moments.open', (p) => opened.push(p));
    let destroyed = false;
    const sink = { isDestroyed: () => destroyed, send: (_channel: string, msg: unknown) => listeners.forEach((l) => l(null, msg)) };
    openMomentIn(sink, 7);
    expect(opened).toEqual([{ id: 7 }]);
    destroyed = true;
    openMomentIn(sink, 8);
    expect(opened).toEqual([{ id: 7 }]);
  });
});
