// Pure selection and undo logic of the inbox's bulk actions (no Svelte, no DOM). A selection is
// a set of mention ids; a range is taken in the list's order; an action is a call that sets one
// value per mention, and its undo the same call with the values the server says it replaced.
import type { SentimentLabel } from '../../../shared/sentiment';
import type { Mention } from '../../../shared/schemas';

export function toggled(sel: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(sel);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/**
 * Shift-click: every row between the anchor (the last row toggled) and this one, both included,
 * joins the selection. Without an anchor still on the list, just this row toggles.
 */
export function withRange(sel: ReadonlySet<number>, order: readonly number[], anchor: number | null, id: number): Set<number> {
  const to = order.indexOf(id);
  const from = anchor === null ? -1 : order.indexOf(anchor);
  if (from < 0 || to < 0) return toggled(sel, id);
  const next = new Set(sel);
  for (let i = Math.min(from, to); i <= Math.max(from, to); i++) next.add(order[i]!);
  return next;
}

/** The selection as it stands on the list: rows gone (filtered out, reloaded) are not acted on. */
export function onList(sel: ReadonlySet<number>, order: readonly number[]): number[] {
  return sel.size === 0 ? [] : order.filter((id) => sel.has(id));
}

/** The "select all" box: checked when every loaded row is, mixed when some are. */
export function pageState(sel: ReadonlySet<number>, order: readonly number[]): 'none' | 'some' | 'all' {
  const n = onList(sel, order).length;
  if (n === 0) return 'none';
  return n === order.length ? 'all' : 'some';
}

type Items<V> = ({ id: number } & V)[];

/** One bulk call: the op and the value it sets on each mention. */
export type BulkCall =
  | { op: 'mentions.bulkTag'; tagId: number; items: Items<{ tagged: boolean }> }
  | { op: 'mentions.bulkAssign'; items: Items<{ userId: number | null }> }
  | { op: 'mentions.bulkRead'; items: Items<{ read: boolean }> }
  | { op: 'mentions.bulkStatus'; items: Items<{ status: Mention['status'] }> }
  | { op: 'mentions.bulkSentiment'; items: Items<{ label: SentimentLabel }> };

/** The same call with other values on (maybe fewer) mentions: an undo from the replaced values. */
export function withItems<C extends BulkCall>(call: C, items: C['items']): C {
  return { ...call, items };
}

/** An action done: what it set, what it replaced, and how the toast says it. */
export interface DoneAction {
  forward: BulkCall;
  /** The call that puts back what the forward one replaced (only on the mentions it changed). */
  backward: BulkCall | null;
  /** The toast's words, without "Annullato:" (already in the person's language). */
  what: string;
}

/** The most actions kept for Ctrl+Z: a morning's triage, not a history. */
export const UNDO_DEPTH = 20;

export function pushDone(stack: readonly DoneAction[], a: DoneAction): DoneAction[] {
  return [...stack, a].slice(-UNDO_DEPTH);
}
