// The helper behind every suite that reads ../shared/fixtures: it must hand back the path when
// the fixtures are there and fail loudly, naming the path, when they are not.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES_ROOT, requireFixtures } from '../support/fixtures';

const root = mkdtempSync(join(tmpdir(), 'vedetta-fixtures-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('requireFixtures', () => {
  it('returns the absolute path of a fixture folder that exists', () => {
    mkdirSync(join(root, 'feeds/defusedxml'), { recursive: true });
    expect(requireFixtures('feeds/defusedxml', root)).toBe(join(root, 'feeds/defusedxml'));
  });

  it('throws naming the missing path and where the fixtures live', () => {
    const missing = join(root, 'sentiment');
    expect(() => requireFixtures('sentiment', root)).toThrow(missing);
    expect(() => requireFixtures('sentiment', root)).toThrow(/Shared test fixtures missing: .* does not exist/);
    expect(() => requireFixtures('sentiment', root)).toThrow('../shared/fixtures');
  });

  it('looks in ../shared/fixtures beside the repository by default', () => {
    expect(FIXTURES_ROOT).toBe(resolve(import.meta.dirname, '../../../shared/fixtures'));
  });
});
