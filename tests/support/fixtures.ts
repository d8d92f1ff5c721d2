// The real-world samples some suites read (feeds, labelled sentiment corpora) live outside the
// repository, in ../shared/fixtures beside the checkout; CI always has them. A suite that needs
// them fails naming what is missing, never skips: a skipped suite looks like a passing one.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const FIXTURES_ROOT = resolve(import.meta.dirname, '../../../shared/fixtures');

/** The absolute path of `rel` inside the shared fixtures; throws when it is absent. */
export function requireFixtures(rel: string, root: string = FIXTURES_ROOT): string {
  const path = resolve(root, rel);
  if (!existsSync(path)) {
    throw new Error(
      `Shared test fixtures missing: ${path} does not exist. ` +
        `This suite reads the real-world samples kept in ../shared/fixtures (beside the repository checkout, ` +
        `where CI always has them); put them there to run it.`,
    );
  }
  return path;
}
