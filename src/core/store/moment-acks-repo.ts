// SQL of moment acknowledgements: who took a moment in charge, and when (wall clock).
import type { MomentAcknowledgement } from '../../shared/moments';
import type { Db } from './db';

export interface MomentAckRow {
  moment_id: number;
  anchor: string;
  user_id: number | null;
  username: string;
  display_name: string;
  acknowledged_at: number;
}

export class MomentAcksRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      get: db.prepare<[number], MomentAckRow>('SELECT * FROM moment_acks WHERE moment_id = ?'),
      all: db.prepare<[], MomentAckRow>('SELECT * FROM moment_acks'),
      put: db.prepare<[number, string, number | null, string, string, number]>(`
        INSERT INTO moment_acks (moment_id, anchor, user_id, username, display_name, acknowledged_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (moment_id) DO UPDATE SET anchor = excluded.anchor, user_id = excluded.user_id, username = excluded.username,
          display_name = excluded.display_name, acknowledged_at = excluded.acknowledged_at`),
      delete: db.prepare<[number]>('DELETE FROM moment_acks WHERE moment_id = ?'),
    };
  }

  get(momentId: number): MomentAckRow | null {
    return this.s.get.get(momentId) ?? null;
  }

  all(): MomentAckRow[] {
    return this.s.all.all();
  }

  put(momentId: number, r: Omit<MomentAckRow, 'moment_id'>): void {
    this.s.put.run(momentId, r.anchor, r.user_id, r.username, r.display_name, r.acknowledged_at);
  }

  delete(momentId: number): void {
    this.s.delete.run(momentId);
  }

  /**
   * The acknowledgement of the moment with this id, kind and opening time; null when none, or
   * when the row belongs to another moment that had this number before a rebuild (re-attached
   * once the rebuild ends).
   */
  of(momentId: number, kind: string, openedAt: number): MomentAcknowledgement | null {
    const r = this.get(momentId);
    if (!r) return null;
    try {
      const a = JSON.parse(r.anchor) as { kind?: unknown; openedAt?: unknown };
      if (a.kind !== kind || a.openedAt !== openedAt) return null;
    } catch {
      return null;
    }
    return { name: r.display_name, at: new Date(r.acknowledged_at).toISOString() };
  }
}
