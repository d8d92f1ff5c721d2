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
import * as espree from 'espree';

const layer = (files, forbidden, message, faces = []) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        // A string is a gitignore-style group; { regex } says what a group cannot (an allowed file inside a forbidden folder).
        // One config object per folder: a later object's options would replace, not extend, these.
        patterns: [...forbidden.map((f) => (typeof f === 'string' ? { group: [f], message } : { ...f, message })), ...faces],
      },
    ],
  },
});

// Feature modules (issue #15): a folder of core with one face, its index.ts. From outside a
// feature (src/app, cli, server, main, core/api, core/ingest, core/store, another feature)
// only its face is imported, never a file inside it. core/api, core/ingest and core/store are
// not features but the infrastructure the features share: they have no face.
const FEATURES = 'analysis|audiences|audit|auth|metrics|moments|perimeters|policy|publishing|responses|sources|webhooks';
const FACE_MESSAGE = 'import a feature of core through its face (core/<feature>/index.ts), not a file inside it.';
// Outside core: any path into a feature's folder past its face.
const FACES_FROM_OUTSIDE = { regex: `(^|/)core/(${FEATURES})/`, message: FACE_MESSAGE };
// Inside core, between features (relative paths). The exception: auth's access vocabulary
// (./permissions: roles and access rules) and its system/anonymous actors (./actor) are leaf
// files every feature's op declarations, services and the dispatcher read; reaching them
// through auth's face would load auth's service (and through it audit's) into every ops.ts,
// and audit's own declarations would then import the feature that imports audit: a cycle.
const FACES_FROM_CORE = { regex: `^(\\.\\./)+(?!auth/(permissions|actor)$)(${FEATURES})/`, message: FACE_MESSAGE };

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
  // typescript-eslint's parser reads every file; the plain scripts run in Node as they are, so
  // they are parsed as JavaScript: TypeScript syntax there is an error here, not at run time.
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], languageOptions: { parser: espree } },
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
  {
    // SQL lives in the store layer (src/core/store): everywhere else a repo method names what
    // is read or written. Tests and benches may look at the database directly.
    files: ['src/**/*.ts'],
    ignores: ['src/core/store/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(prepare|exec|pragma)$/][arguments.0.type=/^(Literal|TemplateLiteral)$/]",
          message: 'SQL belongs in src/core/store: add a repo method (or a helper beside the migrations) and call it.',
        },
      ],
    },
  },
  layer(
    ['src/shared/**/*.ts'],
    ['**/core/**', '**/connectors/**', '**/app/**', '**/main/**', '**/preload/**', '**/server/**', '**/renderer/**', '**/cli/**', 'electron', ...NODE_BUILTINS],
    'src/shared is the contract: no Node, no DOM, no other layer.',
  ),
  layer(
    ['src/renderer/**/*.ts', 'src/renderer/**/*.svelte'],
    ['**/core/**', '**/connectors/**', '**/app/**', '**/main/**', '**/preload/**', '**/server/**', '**/cli/**', 'electron', ...NODE_BUILTINS],
    'The renderer talks only to the typed client from src/shared.',
  ),
  layer(
    ['src/core/**/*.ts'],
    ['**/connectors/**', '**/app/**', '**/main/**', '**/preload/**', '**/server/**', '**/renderer/**', '**/cli/**', 'electron', 'nodemailer'],
    'core is plain Node and imports no connector: it declares ports (core/*/ports.ts) and src/app passes the implementations in.',
    [FACES_FROM_CORE],
  ),
  layer(
    ['src/connectors/**/*.ts'],
    // Of core, a connector sees only the port it implements (and the scheduler's turns, which
    // the feed parser shares so one busy poll never holds the event loop).
    [{ regex: '(^|/)core/(?!(sources|publishing|metrics)/ports$|sources/turns$)' }, '**/app/**', '**/main/**', '**/preload/**', '**/server/**', '**/renderer/**', '**/cli/**', 'electron'],
    'connectors implement the ports of core (core/*/ports.ts) with shared types; they know nothing else of core, of screens or of Electron.',
  ),
  layer(
    ['src/app/**/*.ts'],
    ['**/main/**', '**/preload/**', '**/server/**', '**/renderer/**', '**/cli/**', 'electron'],
    'src/app is the composition root: core, connectors and shared, below every adapter and without Electron.',
    [FACES_FROM_OUTSIDE],
  ),
  layer(
    ['src/server/**/*.ts'],
    ['**/connectors/**', '**/main/**', '**/preload/**', '**/renderer/**', 'electron'],
    'the server runs without Electron and reaches connectors only through src/app.',
    [FACES_FROM_OUTSIDE],
  ),
  layer(
    ['src/cli/**/*.ts'],
    // `sources test` previews a source with no data folder, so without an app: it builds the
    // inbound registry itself.
    [{ regex: '(^|/)connectors/(?!inbound/registry$)' }, '**/main/**', '**/preload/**', '**/renderer/**', 'electron'],
    'the CLI runs without Electron and reaches connectors only through src/app (but for the inbound registry of `sources test`).',
    [FACES_FROM_OUTSIDE],
  ),
  layer(
    ['src/preload/**/*.ts'],
    ['**/core/**', '**/connectors/**', '**/app/**', '**/main/**', '**/server/**', '**/renderer/**', '**/cli/**'],
    'preload exposes the typed client only.',
  ),
  layer(
    ['src/main/**/*.ts'],
    ['**/connectors/**', '**/preload/**', '**/renderer/**', '**/cli/**'],
    'main opens src/app, reaches connectors only through it (and the server, for the inbound webhook).',
    [FACES_FROM_OUTSIDE],
  ),
);
