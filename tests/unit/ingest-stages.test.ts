// The ingest stages after storage are ordered from what each feature declares (issue #15):
// each runs after the stages it reads, ties keep the declared order, and a cycle or an unknown
// name stops the pipeline from being built (so the app does not start) with an error naming it.
import { describe, expect, it } from 'vitest';
import { orderStages, type IngestStage } from '../../src/core/ingest/stages';
import { IngestPipeline } from '../../src/core/ingest/pipeline';
import { openDatabase } from '../../src/core/store/db';
import { MentionsRepo } from '../../src/core/store/mentions-repo';
import { SourcesRepo } from '../../src/core/store/sources-repo';
import { EventBus } from '../../src/core/api/events';
import { openApp } from '../../src/app/app';
import { join } from 'node:path';
import { onClose, tempDir, testPlatform } from './support/core';

const stage = (name: string, after: string[], log: string[] = []): IngestStage => ({ name, after, run: () => log.push(name) });
const names = (s: readonly IngestStage[]): string[] => s.map((x) => x.name);

describe('ingest stages', () => {
  it('run after what they read; stages free to go keep the order they were declared in', () => {
    expect(names(orderStages([stage('moments', ['perimeters']), stage('audiences', ['perimeters']), stage('perimeters', [])]))).toEqual(['perimeters', 'moments', 'audiences']);
    expect(names(orderStages([stage('c', ['b']), stage('b', ['a']), stage('a', [])]))).toEqual(['a', 'b', 'c']);
    expect(orderStages([])).toEqual([]);
  });

  it('a cycle, an unknown name or a name declared twice is an error that names it', () => {
    expect(() => orderStages([stage('perimeters', ['moments']), stage('moments', ['audiences']), stage('audiences', ['perimeters'])])).toThrow(
      'Ingest stages wait for each other: perimeters → moments → audiences → perimeters.',
    );
    expect(() => orderStages([stage('x', []), stage('a', ['b']), stage('b', ['a'])])).toThrow('a → b → a');
    expect(() => orderStages([stage('moments', ['perimetri'])])).toThrow('"moments" runs after "perimetri", which no feature declares');
    expect(() => orderStages([stage('a', []), stage('a', [])])).toThrow('"a" is declared twice');
  });

  it('a pipeline with a cycle is never built; one without runs its stages in order inside each batch', () => {
    const db = openDatabase(join(tempDir(), 'vedetta.db'));
    onClose(() => db.close());
    const deps = { db, mentions: new MentionsRepo(db), sources: new SourcesRepo(db), events: new EventBus(), now: () => Date.UTC(2026, 0, 5), secret: () => 's'.repeat(64) };
    expect(() => new IngestPipeline({ ...deps, stages: [stage('a', ['b']), stage('b', ['a'])] })).toThrow('a → b → a');
    const log: string[] = [];
    const p = new IngestPipeline({ ...deps, stages: [stage('moments', ['perimeters'], log), stage('perimeters', [], log)] });
    p.ingest([{ source: 'web', external_id: '1', text: 'ciao', published_at: new Date(Date.UTC(2026, 0, 5)).toISOString() }], 'import');
    expect(log).toEqual(['perimeters', 'moments']);
  });

  it('the app starts with the features’ own declarations: perimeters first, then audiences and moments', () => {
    const app = openApp({ platform: testPlatform(tempDir()), mode: 'browser' });
    onClose(() => app.close());
    expect(app.ingestStages).toEqual(['perimeters', 'audiences', 'moments']);
  });
});
