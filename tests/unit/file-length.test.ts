// The style rule "no file over ~400 lines without a reason written at its top", kept by a test:
// a long file says why within its first lines ("Over 400 lines …"), so a newcomer who opens it
// reads the reason before the length.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const LIMIT = 400;
const REASON = /Over \d+ lines/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|mts|svelte)$/.test(e.name) ? [p] : [];
  });
}

describe('file length', () => {
  it(`every source file over ${LIMIT} lines says why in its first lines`, () => {
    const files = sources(join(root, 'src'));
    expect(files.length).toBeGreaterThan(100);
    const unexplained = files
      .map((f) => ({ f, lines: readFileSync(f, 'utf8').split('\n') }))
      .filter(({ lines }) => lines.length > LIMIT && !REASON.test(lines.slice(0, 12).join('\n')))
      .map(({ f, lines }) => `${relative(root, f)} (${lines.length} lines)`);
    expect(unexplained).toEqual([]);
  });
});
