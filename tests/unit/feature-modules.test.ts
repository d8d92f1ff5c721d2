// Feature modules (issue #15): each feature of core has one face, its index.ts, which the app
// registers in one loop. What a face declares must be what its folder does: its events are
// contract events, every event its code emits (or listens to) is declared, and nothing is
// declared that its code never does; its ops are the op table's; and the registry refuses a
// start with a cycle among the stages, an op handled twice or an op left without a handler.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { featureModule, ModuleRegistrationError, registerModules, type FeatureModule } from '../../src/core/api/modules';
import { OP_DECLARATIONS } from '../../src/core/api/op-table';
import { eventNames, isEventName, opNames, type EventName, type OpName } from '../../src/shared/contract';
import { onClose, tempDir, testPlatform } from './support/core';
import { openApp } from '../../src/app/app';

const ROOT = resolve(import.meta.dirname, '../..');
const FEATURES = ['analysis', 'assignments', 'audiences', 'audit', 'auth', 'metrics', 'moments', 'notes', 'notifications', 'perimeters', 'policy', 'presence', 'publishing', 'responses', 'search', 'sources', 'tags', 'webhooks'];

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return filesUnder(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Which module a source file belongs to: its feature's folder, or the app (which owns ingest). */
function ownerOf(file: string): string | null {
  const m = /^src\/core\/([^/]+)\//.exec(file);
  if (m && FEATURES.includes(m[1]!)) return m[1]!;
  if (file.startsWith('src/app/') || file.startsWith('src/core/ingest/')) return 'app';
  return null;
}

/** The contract events each module's code emits and listens to, read from its source. */
function eventsInCode(): { emits: Map<string, Set<EventName>>; consumes: Map<string, Set<EventName>>; unowned: string[] } {
  const emits = new Map<string, Set<EventName>>();
  const consumes = new Map<string, Set<EventName>>();
  const unowned: string[] = [];
  const add = (map: Map<string, Set<EventName>>, owner: string, name: string): void => {
    if (!isEventName(name)) return;
    map.set(owner, (map.get(owner) ?? new Set()).add(name));
  };
  for (const file of filesUnder('src/core').concat(filesUnder('src/app'))) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const owner = ownerOf(file);
    // Only contract events count: a worker thread's 'message' or 'exit' is not one.
    for (const m of text.matchAll(/\.emit\(\s*'([\w.]+)'/g)) {
      if (owner === null) {
        if (isEventName(m[1]!)) unowned.push(`${file}: ${m[1]}`);
      } else add(emits, owner, m[1]!);
    }
    // events.on('x', …) and a subscriber that picks one name (event === 'x').
    for (const m of text.matchAll(/\.on\(\s*'([\w.]+)'|\bevent === '([\w.]+)'/g)) {
      if (owner === null) {
        if (isEventName((m[1] ?? m[2])!)) unowned.push(`${file}: listens to ${m[1] ?? m[2]}`);
      } else add(consumes, owner, (m[1] ?? m[2])!);
    }
  }
  return { emits, consumes, unowned };
}

function openModules(): readonly FeatureModule[] {
  const app = openApp({ platform: testPlatform(tempDir()), mode: 'browser' });
  onClose(() => app.close());
  return app.modules;
}

describe('feature modules', () => {
  it('every feature folder of core has a face', () => {
    for (const f of FEATURES) expect(existsSync(join(ROOT, 'src/core', f, 'index.ts')), `src/core/${f}/index.ts`).toBe(true);
  });

  it('declare contract events only, every event their code emits or listens to, and none it does not', () => {
    const modules = openModules();
    expect(modules.map((m) => m.name).sort()).toEqual(['app', ...FEATURES.filter((f) => f !== 'policy')].sort());
    const code = eventsInCode();
    expect(code.unowned, 'events emitted or listened to outside any module').toEqual([]);
    for (const m of modules) {
      for (const e of [...m.events.emits, ...m.events.consumes]) expect(eventNames, `${m.name}: ${e}`).toContain(e);
      expect([...m.events.emits].sort(), `${m.name} emits`).toEqual([...(code.emits.get(m.name) ?? [])].sort());
      expect([...m.events.consumes].sort(), `${m.name} consumes`).toEqual([...(code.consumes.get(m.name) ?? [])].sort());
    }
    // Every contract event has a module that sends it. Two have two: sources.changed, from the
    // sources feature and from the pipeline (an import or a webhook creates its source), and
    // mentions.updated, from a sentiment correction and from a bulk action that hides mentions.
    const senders = new Map<EventName, string[]>();
    for (const m of modules) for (const e of m.events.emits) senders.set(e, [...(senders.get(e) ?? []), m.name]);
    // But two: moments.open and notifications.open are the desktop's (main/ipc.ts), a click on
    // a system notification that opens its moment (or its subject) in the window; they never
    // go through core's bus.
    expect(eventNames.filter((e) => !senders.has(e))).toEqual(['moments.open', 'notifications.open']);
    expect([...senders].filter(([, by]) => by.length > 1).sort()).toEqual([
      ['mentions.updated', ['analysis', 'tags']],
      ['sources.changed', ['app', 'sources']],
    ]);
  });

  it('declare the op table: each op by one module, with the declaration the dispatcher reads', () => {
    const modules = openModules();
    const declared = modules.flatMap((m) => Object.keys(m.ops) as OpName[]);
    expect([...declared].sort()).toEqual([...opNames].sort());
    for (const m of modules) for (const op of Object.keys(m.ops) as OpName[]) expect(m.ops[op], op).toBe(OP_DECLARATIONS[op]);
  });

  it('a start with a cycle among the declared stages, an op handled twice or none fails with an error that names it', () => {
    const real = openModules();
    const stage = (name: string, after: string[]) => ({ name, after, run: () => {} });
    const withStages = (stages: Record<string, string[]>): FeatureModule[] =>
      real.map((m) => (m.stage ? { ...m, stage: stage(m.stage.name, stages[m.stage.name] ?? [...m.stage.after]) } : m));
    expect(registerModules(real).stages.map((s) => s.name)).toEqual(['perimeters', 'audiences', 'moments']);
    expect(() => registerModules(withStages({ perimeters: ['moments'] }))).toThrow('Ingest stages wait for each other: perimeters → moments → perimeters.');
    expect(() => registerModules(withStages({ perimeters: ['moment'] }))).toThrow('"perimeters" runs after "moment", which no feature declares');
    const audit = real.find((m) => m.name === 'audit')!;
    expect(() => registerModules([...real, { ...audit, name: 'audit-again' }])).toThrow(ModuleRegistrationError);
    expect(() => registerModules([...real, { ...audit, name: 'audit-again' }])).toThrow(/^Op "audit\.\w+" is handled by both "audit" and "audit-again"\.$/);
    expect(() => registerModules(real.filter((m) => m !== audit))).toThrow(/^No feature module handles "audit\./);
    expect(() => registerModules([...real, audit])).toThrow('Feature module "audit" is registered twice.');
    // A module built by hand (not through featureModule) that handles an op it never declared.
    const rogue = featureModule({ name: 'rogue', ops: {}, handlers: {}, events: { emits: [], consumes: [] } });
    expect(() => registerModules([...real.filter((m) => m !== audit), { ...rogue, handlers: audit.handlers }])).toThrow('Feature module "rogue" handles "audit.');
  });
});
