// Vitest global setup of the projects that start `vedetta serve`: one folder for the run
// where tests/support/vedetta-process.ts keeps its data-folder templates (people made once
// with the real CLI, then copied), gone when the run ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-templates-'));
  // Test files run in forks that inherit this environment.
  process.env.VEDETTA_TEST_TEMPLATES = dir;
  return () => {
    rmSync(dir, { recursive: true, force: true });
  };
}
