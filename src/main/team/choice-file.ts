// The person's choice of workspace, kept in a small JSON file in Electron's userData
// (workspace.json). Read with the shared schema: a file that is missing means the first run; a
// file that cannot be read or does not match means the choice screen again, with a message —
// never a crash, and never a guess (a broken file must not turn a team workspace into the
// local one without the person knowing).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceChoiceSchema, type WorkspaceChoice } from '../../shared/workspace';

export const CHOICE_FILE = 'workspace.json';
/** Far above any real choice: a huge file is not read into memory. */
const MAX_BYTES = 16 * 1024;

export type ChoiceRead = { kind: 'none' } | { kind: 'ok'; choice: WorkspaceChoice } | { kind: 'broken' } | { kind: 'unreadable'; reason: string };

export function readChoice(dir: string): ChoiceRead {
  let text: string;
  try {
    const buf = readFileSync(join(dir, CHOICE_FILE));
    if (buf.length > MAX_BYTES) return { kind: 'broken' };
    text = buf.toString('utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'none' };
    return { kind: 'unreadable', reason: code ?? String(err) };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'broken' };
  }
  const parsed = WorkspaceChoiceSchema.safeParse(json);
  return parsed.success ? { kind: 'ok', choice: parsed.data } : { kind: 'broken' };
}

/** Written whole to a temporary name, then renamed: a crash mid-write leaves the old choice, not half a file. */
export function writeChoice(dir: string, choice: WorkspaceChoice): void {
  const valid = WorkspaceChoiceSchema.parse(choice);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `${CHOICE_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(valid, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, join(dir, CHOICE_FILE));
}
