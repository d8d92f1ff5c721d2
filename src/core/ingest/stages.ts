// The ingest stages after storage: what each feature does with a batch of mentions just
// inserted, inside the batch's transaction (so a batch and everything derived from it commit
// together, or nothing does). Each feature declares its stage with the stages it needs to run
// after; the app orders them once at start-up, and a cycle or an unknown name stops the start
// with an error that names it, instead of a silent wrong order.
import type { MentionTheme } from '../../shared/perimeters';
import type { MentionInsert } from '../store/mentions-repo';

export interface InsertedRow {
  id: number;
  row: MentionInsert;
  sourceKind: string;
}

/** One batch as the stages see it: the new rows, and what the stages before have found. */
export interface IngestBatch {
  readonly rows: readonly InsertedRow[];
  /** The perimeter themes of each new mention id, filled by the 'perimeters' stage. */
  readonly themes: Map<number, MentionTheme[]>;
}

export interface IngestStage {
  /** Unique, the feature's name ('perimeters', 'moments', …). */
  readonly name: string;
  /** Stages whose results this one reads; they run first. */
  readonly after: readonly string[];
  run(batch: IngestBatch): void;
}

export class IngestStageOrderError extends Error {}

/**
 * The stages in an order where each runs after those it names; among stages free to go,
 * the order they were declared in (so the order does not change with an unrelated edit).
 */
export function orderStages(stages: readonly IngestStage[]): IngestStage[] {
  const byName = new Map<string, IngestStage>();
  for (const s of stages) {
    if (byName.has(s.name)) throw new IngestStageOrderError(`Ingest stage "${s.name}" is declared twice.`);
    byName.set(s.name, s);
  }
  for (const s of stages) {
    for (const a of s.after) {
      if (!byName.has(a)) throw new IngestStageOrderError(`Ingest stage "${s.name}" runs after "${a}", which no feature declares.`);
    }
  }
  const out: IngestStage[] = [];
  const done = new Set<string>();
  while (out.length < stages.length) {
    const next = stages.find((s) => !done.has(s.name) && s.after.every((a) => done.has(a)));
    if (!next) throw new IngestStageOrderError(`Ingest stages wait for each other: ${cycleOf(stages, done).join(' → ')}.`);
    out.push(next);
    done.add(next.name);
  }
  return out;
}

/** One cycle among the stages not yet ordered, as names (first repeated at the end). */
function cycleOf(stages: readonly IngestStage[], done: ReadonlySet<string>): string[] {
  const byName = new Map(stages.map((s) => [s.name, s]));
  let cur = stages.find((s) => !done.has(s.name))!;
  const path: string[] = [];
  while (!path.includes(cur.name)) {
    path.push(cur.name);
    cur = byName.get(cur.after.find((a) => !done.has(a))!)!;
  }
  return [...path.slice(path.indexOf(cur.name)), cur.name];
}
