// The response policy lives as one JSON value in the settings table: it is one document,
// edited and audited as a whole.
import { DEFAULT_POLICY, PolicySchema, type Policy } from '../../shared/policy';
import type { Db } from './db';

const KEY = 'responses.policy';

export class PolicyRepo {
  private readonly getStmt;
  private readonly putStmt;
  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.putStmt = db.prepare<[string, string]>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  get(): Policy {
    const row = this.getStmt.get(KEY);
    if (!row) return structuredClone(DEFAULT_POLICY);
    try {
      // A value written by a newer or damaged build falls back to the defaults, never to "no rules".
      const parsed = PolicySchema.safeParse({ ...DEFAULT_POLICY, ...(JSON.parse(row.value) as object) });
      return parsed.success ? parsed.data : structuredClone(DEFAULT_POLICY);
    } catch {
      return structuredClone(DEFAULT_POLICY);
    }
  }

  put(p: Policy): void {
    this.putStmt.run(KEY, JSON.stringify(p));
  }
}
