// A resources folder like the shipped one, but with the sentiment model file missing or
// damaged: the app must start, say so, and score with the rules. Everything else (lexicons,
// the demo) is linked from the real folder.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REAL_RESOURCES = resolve(import.meta.dirname, '../../resources');
export const MODEL_FILE = 'model.bin';

export interface BrokenResources {
  dir: string;
  remove(): void;
}

export function resourcesWithModel(model: 'missing' | 'corrupt'): BrokenResources {
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-resources-'));
  for (const entry of readdirSync(REAL_RESOURCES)) {
    if (entry !== 'sentiment') symlinkSync(join(REAL_RESOURCES, entry), join(dir, entry));
  }
  const sentiment = join(dir, 'sentiment');
  mkdirSync(sentiment);
  for (const entry of readdirSync(join(REAL_RESOURCES, 'sentiment'))) {
    if (entry !== MODEL_FILE) symlinkSync(join(REAL_RESOURCES, 'sentiment', entry), join(sentiment, entry));
  }
  // Bytes no loader can read: a header that is not the model's, then noise.
  if (model === 'corrupt') writeFileSync(join(sentiment, MODEL_FILE), Buffer.concat([Buffer.from('NOT-A-MODEL\0'), Buffer.alloc(4096, 0xa7)]));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
