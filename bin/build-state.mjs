// Is `out/` (what `electron-vite build` writes) built from the sources as they are now?
// Shared by the `vedetta` command, which runs the built CLI when it is, and `npm start`,
// which builds when it is not.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;
/** The CLI as built (electron.vite.config.ts, main build, entry `cli`). */
export const builtCli = join(root, 'out', 'main', 'cli.js');
const builtRenderer = join(root, 'out', 'renderer', 'index.html');
/** What the build reads: a change to any of these makes `out/` stale. */
const inputs = ['src', 'electron.vite.config.ts', 'package.json'];

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Older than its sources, or missing. A walk of src/ (~500 entries) takes a few ms. */
function stale(file) {
  if (!existsSync(file)) return true;
  const built = statSync(file).mtimeMs;
  return inputs.some((p) => existsSync(join(root, p)) && newestMtime(join(root, p)) > built);
}

export const cliIsStale = () => stale(builtCli);
export const buildIsStale = () => stale(builtRenderer) || stale(builtCli);
