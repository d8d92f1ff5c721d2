// The composer's saved reply templates and the reasoned overrides of the checks' warnings.
import type { Database } from 'better-sqlite3';
import type { ResponseWarningKind } from '../../shared/responses';

export interface TemplateRow {
  id: number;
  name: string;
  text: string;
  updated_by: string;
  updated_at: number;
}

export interface OverrideRow {
  response_id: number;
  warning: ResponseWarningKind;
  /** JSON array of the theme names the override was given for. */
  themes: string;
  reason: string;
  by_id: number;
  by_name: string;
  at: number;
}

export class ResponseComposerRepo {
  constructor(private readonly db: Database) {}

  templates(): TemplateRow[] {
    return this.db.prepare<[], TemplateRow>('SELECT * FROM response_templates ORDER BY name COLLATE NOCASE, id').all();
  }

  template(id: number): TemplateRow | null {
    return this.db.prepare<[number], TemplateRow>('SELECT * FROM response_templates WHERE id = ?').get(id) ?? null;
  }

  templateIdByName(name: string): number | null {
    return this.db.prepare<[string], { id: number }>('SELECT id FROM response_templates WHERE name = ?').get(name)?.id ?? null;
  }

  createTemplate(name: string, text: string, by: string, at: number): number {
    return Number(this.db.prepare('INSERT INTO response_templates (name, text, updated_by, updated_at) VALUES (?, ?, ?, ?)').run(name, text, by, at).lastInsertRowid);
  }

  updateTemplate(id: number, name: string, text: string, by: string, at: number): void {
    this.db.prepare('UPDATE response_templates SET name = ?, text = ?, updated_by = ?, updated_at = ? WHERE id = ?').run(name, text, by, at, id);
  }

  deleteTemplate(id: number): boolean {
    return this.db.prepare('DELETE FROM response_templates WHERE id = ?').run(id).changes > 0;
  }

  overrides(responseId: number): OverrideRow[] {
    return this.db.prepare<[number], OverrideRow>('SELECT * FROM response_overrides WHERE response_id = ?').all(responseId);
  }

  putOverride(o: OverrideRow): void {
    this.db
      .prepare(
        `INSERT INTO response_overrides (response_id, warning, themes, reason, by_id, by_name, at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (response_id, warning) DO UPDATE SET themes = excluded.themes, reason = excluded.reason, by_id = excluded.by_id, by_name = excluded.by_name, at = excluded.at`,
      )
      .run(o.response_id, o.warning, o.themes, o.reason, o.by_id, o.by_name, o.at);
  }
}
