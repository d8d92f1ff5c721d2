// Where Vedetta keeps its data, and the language it speaks, when nobody says otherwise.
// Shared by the CLI and Electron main (which may import server code), so `vedetta serve` and
// the desktop app open the same folder: the one Electron's app.getPath('userData') gives for
// productName "Vedetta".
import { homedir } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, join, resolve, win32 } from 'node:path';
import type { ErrorLang } from '../shared/errors';

export const PRODUCT_NAME = 'Vedetta';

export interface UserDataEnv {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export function platformUserDataDir({ platform = process.platform, env = process.env, home = homedir() }: UserDataEnv = {}): string {
  if (platform === 'win32') {
    const appData = env.APPDATA || win32.join(home, 'AppData', 'Roaming');
    return win32.join(appData, PRODUCT_NAME);
  }
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  const config = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(config, PRODUCT_NAME);
}

/** An explicit folder (--data) wins, then VEDETTA_DATA_DIR, then the platform folder. */
export function resolveDataDir(explicit?: string, opts: UserDataEnv = {}): string {
  const env = opts.env ?? process.env;
  if (explicit) return resolve(explicit);
  if (env.VEDETTA_DATA_DIR) return resolve(env.VEDETTA_DATA_DIR);
  return platformUserDataDir(opts);
}

/**
 * The folder holding package.json, whether this code runs from source (src/server) or from
 * the build, where the bundler may have put it in out/main or in a chunk below it.
 */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '../..');
  }
}

/** <repo>/resources and <repo>/out/renderer, for the CLI, the server and the tests. */
export const repoRoot = packageRoot(import.meta.dirname);
export const repoResourcesDir = join(repoRoot, 'resources');
export const repoRendererDir = join(repoRoot, 'out', 'renderer');

/**
 * The language asked by the environment: VEDETTA_LANG, else the locale of the messages
 * (LC_ALL, LC_MESSAGES, LANG, the first one set); English when it asks for English, else
 * Italian.
 */
export function envLanguage(env: NodeJS.ProcessEnv): ErrorLang {
  const asked = [env.VEDETTA_LANG, env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return asked !== undefined && /^en([_.@-]|$)/i.test(asked) ? 'en' : 'it';
}
