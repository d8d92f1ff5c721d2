// A feature module's face as the composition root sees it (issue #15): the ops it declares
// and handles, the contract events it sends and listens to, and its ingest stage. Each
// `core/<feature>/index.ts` builds one; src/app registers them all in one loop, so what a
// feature adds to the app is written in its own folder and nowhere else.
import { opNames, type EventName, type OpName } from '../../shared/contract';
import { orderStages, type IngestStage } from '../ingest/stages';
import type { OpDeclarations } from './call-scope';
import type { Handlers } from './dispatch';

/** The contract events a feature sends, and those it listens to on the event bus. */
export interface FeatureEvents {
  readonly emits: readonly EventName[];
  readonly consumes: readonly EventName[];
}

/** One registered feature. Built with featureModule(), which ties its handlers to its ops. */
export interface FeatureModule {
  readonly name: string;
  readonly ops: Partial<OpDeclarations<OpName>>;
  readonly handlers: Partial<Handlers>;
  readonly events: FeatureEvents;
  readonly stage?: IngestStage;
}

/**
 * A feature module whose handlers are exactly its declared ops: an op declared without its
 * handler (or handled without its declaration) does not compile.
 */
export function featureModule<K extends OpName>(m: {
  name: string;
  ops: OpDeclarations<K>;
  handlers: Pick<Handlers, K>;
  events: FeatureEvents;
  stage?: IngestStage;
}): FeatureModule {
  return m;
}

export class ModuleRegistrationError extends Error {}

export interface RegisteredModules {
  /** Every contract op's handler, each from the one module that declares it. */
  readonly handlers: Handlers;
  /** The modules' ingest stages, ordered from their declarations (see orderStages). */
  readonly stages: readonly IngestStage[];
  readonly modules: readonly FeatureModule[];
}

/**
 * Gathers the modules into one app: the op table (each op handled by exactly one module, the
 * one that declares it, and no contract op left without a handler) and the ingest stages in
 * their declared order. Any mismatch stops the start with an error naming it.
 */
export function registerModules(modules: readonly FeatureModule[]): RegisteredModules {
  const handlers: Partial<Record<OpName, unknown>> = {};
  const owner = new Map<string, string>();
  for (const m of modules) {
    if (owner.has(`module:${m.name}`)) throw new ModuleRegistrationError(`Feature module "${m.name}" is registered twice.`);
    owner.set(`module:${m.name}`, m.name);
    const declared = Object.keys(m.ops).sort();
    const handled = Object.keys(m.handlers).sort();
    for (const op of handled) if (!declared.includes(op)) throw new ModuleRegistrationError(`Feature module "${m.name}" handles "${op}" without declaring it.`);
    for (const op of declared) if (!handled.includes(op)) throw new ModuleRegistrationError(`Feature module "${m.name}" declares "${op}" without handling it.`);
    for (const op of handled as OpName[]) {
      const other = owner.get(op);
      if (other !== undefined) throw new ModuleRegistrationError(`Op "${op}" is handled by both "${other}" and "${m.name}".`);
      owner.set(op, m.name);
      handlers[op] = m.handlers[op];
    }
  }
  const missing = opNames.filter((op) => !owner.has(op));
  if (missing.length > 0) throw new ModuleRegistrationError(`No feature module handles ${missing.map((op) => `"${op}"`).join(', ')}.`);
  const stages = orderStages(modules.flatMap((m) => (m.stage ? [m.stage] : [])));
  // Every contract op has its one handler (checked just above), which is what Handlers says.
  return { handlers: handlers as Handlers, stages, modules };
}
