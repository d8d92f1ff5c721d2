// The audit view's state: filters, the paged list (newest first, keyset on id), the chain
// verification and the CSV export.
import type { OpOutput, VedettaApi } from '../../../shared/contract';
import type { AnchorCopyStatus, AuditFilter, AuditRow, AuditVerifyResult } from '../../../shared/ops/audit';

export const AUDIT_PAGE = 100;

/** yyyy-mm-dd of a date input → epoch ms at local midnight (start) or end of day. */
export function dayBound(day: string, end: boolean): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), end ? 23 : 0, end ? 59 : 0, end ? 59 : 0, end ? 999 : 0);
  return d.getTime();
}

export interface AuditFilterForm {
  actor: string;
  action: string;
  subject: string;
  from: string;
  to: string;
}

export function toFilter(f: AuditFilterForm): AuditFilter {
  const out: AuditFilter = {};
  if (f.actor.trim()) out.actor = f.actor.trim();
  if (f.action.trim()) out.action = f.action.trim();
  if (f.subject.trim()) out.subject = f.subject.trim();
  const from = dayBound(f.from, false);
  const to = dayBound(f.to, true);
  if (from !== undefined) out.from = from;
  if (to !== undefined) out.to = to;
  return out;
}

export class AuditStore {
  form = $state<AuditFilterForm>({ actor: '', action: '', subject: '', from: '', to: '' });
  items = $state.raw<AuditRow[]>([]);
  total = $state(0);
  next = $state<number | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  verification = $state.raw<AuditVerifyResult | null>(null);
  verifying = $state(false);
  facets = $state.raw<OpOutput<'audit.facets'>>({ actors: [], actions: [] });
  /** Where the anchor's copy goes (administrators only); null until loaded. */
  anchorCopy = $state.raw<AnchorCopyStatus | null>(null);
  anchorCopyError = $state<string | null>(null);
  savingAnchorCopy = $state(false);
  #seq = 0;

  constructor(private readonly api: VedettaApi) {}

  async load(): Promise<void> {
    const seq = ++this.#seq;
    this.loading = true;
    this.error = null;
    try {
      const [page, facets] = await Promise.all([
        this.api.call('audit.list', { filter: toFilter(this.form), limit: AUDIT_PAGE }),
        this.api.call('audit.facets', {}),
      ]);
      if (seq !== this.#seq) return;
      this.items = page.items;
      this.total = page.total;
      this.next = page.next;
      this.facets = facets;
    } catch (e) {
      if (seq === this.#seq) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  async more(): Promise<void> {
    if (this.next === null || this.loading) return;
    const seq = this.#seq;
    this.loading = true;
    try {
      const page = await this.api.call('audit.list', { filter: toFilter(this.form), before: this.next, limit: AUDIT_PAGE });
      if (seq !== this.#seq) return;
      this.items = [...this.items, ...page.items];
      this.next = page.next;
      this.total = page.total;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.loading = false;
    }
  }

  async verify(): Promise<void> {
    this.verifying = true;
    try {
      this.verification = await this.api.call('audit.verify', {});
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.verifying = false;
    }
  }

  async loadAnchorCopy(): Promise<void> {
    try {
      this.anchorCopy = await this.api.call('audit.anchorCopy', {});
    } catch (e) {
      this.anchorCopyError = e instanceof Error ? e.message : String(e);
    }
  }

  /** Chooses (a path) or stops (null) the copy folder; true when the server took it. */
  async setAnchorCopy(dir: string | null): Promise<boolean> {
    this.savingAnchorCopy = true;
    this.anchorCopyError = null;
    try {
      this.anchorCopy = await this.api.call('audit.setAnchorCopy', { dir });
      // The verification now has a copy to compare (or no longer has one).
      void this.verify();
      return true;
    } catch (e) {
      this.anchorCopyError = e instanceof Error ? e.message : String(e);
      return false;
    } finally {
      this.savingAnchorCopy = false;
      // The attempt, taken or refused, is itself a row of the log on screen.
      void this.load();
    }
  }

  /** Downloads the filtered log as CSV through a temporary link. */
  async exportCsv(): Promise<void> {
    try {
      const res = await this.api.call('audit.exportCsv', { filter: toFilter(this.form) });
      const url = URL.createObjectURL(new Blob([res.csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = res.fileName;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  reset(): void {
    this.form = { actor: '', action: '', subject: '', from: '', to: '' };
    void this.load();
  }
}
