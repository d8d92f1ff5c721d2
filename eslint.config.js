// Two jobs. Layering, as VS Code does: each runtime folder may import only the folders the
// dependency rules of ARCHITECTURE.md allow (README's Layout section has the short version).
// And typed rules that catch what the compiler lets through: a promise nobody awaits or
// catches, a promise where a plain value was expected, a switch that forgets a case. Any
// finding fails `npm run lint` and so `npm test`.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';

const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((group) => ({ group: [group], message })),
      },
    ],
  },
});

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'child_process', 'better-sqlite3'];

// Everything tsconfig.json type-checks; the plain .js/.mjs scripts have no types to lint with.
const TYPED = ['**/*.ts', '**/*.svelte'];

/**
 * `npm run lint` keeps ESLint's cache, which knows one file at a time: a function elsewhere
 * that starts returning a promise would leave its unchanged callers' cached "no floating
 * promise" standing (typescript-eslint#4694). This hash of every file the types come from is
 * part of the config, which ESLint's cache is keyed by: any change to them lints everything
 * again, and only a run over unchanged sources is answered from the cache.
 */
function typesFingerprint(root) {
  const hash = createHash('sha256');
  const add = (path) => hash.update(path).update('\0').update(readFileSync(join(root, path))).update('\0');
  const walk = (dir) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (/\.(ts|svelte)$/.test(e.name)) add(path);
    }
  };
  for (const dir of ['src', 'tests', 'scripts']) walk(dir);
  for (const f of readdirSync(root).sort()) if (/\.ts$/.test(f) || f === 'tsconfig.json' || f === 'package-lock.json') add(f);
  return hash.digest('hex');
}

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'dist/**'] },
  ...tseslint.configs.recommended,
  // Parses .svelte files (and the runes in .svelte.ts) with the TypeScript parser for their scripts.
  ...svelte.configs.base,
  {
    files: TYPED,
    settings: { vedettaTypesFingerprint: typesFingerprint(import.meta.dirname) },
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer(
    ['src/shared/**/*.ts'],
    ['**/core/**', '**/ingest/**', '**/main/**', '**/preload/**', '**/server/**', '**/renderer/**', '**/cli/**', 'electron', ...NODE_BUILTINS],
    'src/shared is the contract: no Node, no DOM, no other layer.',
  ),
  layer(
    ['src/renderer/**/*.ts', 'src/renderer/**/*.svelte'],
    ['**/core/**', '**/ingest/**', '**/main/**', '**/preload/**', '**/server/**', '**/cli/**', 'electron', ...NODE_BUILTINS],
    'The renderer talks only to the typed client from src/shared.',
  ),
  layer(
    ['src/core/**/*.ts'],
    ['**/main/**', '**/preload/**', '**/server/**', '**/renderer/**', '**/cli/**', 'electron'],
    'core is plain Node: it never imports electron or an adapter.',
  ),
  layer(
    ['src/ingest/**/*.ts'],
    ['**/core/**', '**/main/**', '**/preload/**', '**/server/**', '**/renderer/**', '**/cli/**', 'electron'],
    'ingest hands items to a sink; it knows nothing of core, screens or Electron.',
  ),
  layer(
    ['src/server/**/*.ts', 'src/cli/**/*.ts'],
    ['**/main/**', '**/preload/**', '**/renderer/**', 'electron'],
    'server and CLI run without Electron.',
  ),
  layer(
    ['src/preload/**/*.ts'],
    ['**/core/**', '**/ingest/**', '**/main/**', '**/server/**', '**/renderer/**', '**/cli/**'],
    'preload exposes the typed client only.',
  ),
  layer(
    ['src/main/**/*.ts'],
    ['**/preload/**', '**/renderer/**', '**/cli/**'],
    'main wires core, ingest, shared (and the server, for the inbound webhook).',
  ),
);
