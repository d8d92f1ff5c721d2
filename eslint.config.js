// Layering enforced by lint (as VS Code does): each runtime folder may import only the
// folders ARCHITECTURE.md allows. A wrong import fails `npm run lint` and so `npm test`.
import tseslint from 'typescript-eslint';

const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        // A string is a gitignore-style group; { regex } says what a group cannot (an allowed file inside a forbidden folder).
        patterns: forbidden.map((f) => (typeof f === 'string' ? { group: [f], message } : { ...f, message })),
      },
    ],
  },
});

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'child_process', 'better-sqlite3'];

export default [
  { ignores: ['out/**', 'node_modules/**', 'dist/**', '**/*.svelte'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer(
    ['src/shared/**/*.ts'],
    ['**/core/**', '**/connectors/**', '**/app/**', '**/main/**', '**/preload/**', '**/server/**', '**/renderer/**', '**/cli/**', 'electron', ...NODE_BUILTINS],
    'src/shared is the contract: no Node, no DOM, no other layer.',
  ),
  layer(
    ['src/renderer/**/*.ts'],
    ['**/core/**', '**/connectors/**', '**/app/**', '**/main/**', '**/preload/**', '**/server/**', '**/cli/**', 'electron', ...NODE_BUILTINS],
    'The renderer talks only to the typed client from src/shared.',
  ),
  layer(
    ['src/core/**/*.ts'],
    ['**/connectors/**', '**/app/**', '**/main/**', '**/preload/**', '**/server/**', '**/renderer/**', '**/cli/**', 'electron'],
    'core is plain Node and imports no connector: it declares ports (core/*/ports.ts) and src/app passes the implementations in.',
  ),
  layer(
    ['src/connectors/**/*.ts'],
    // Of core, a connector sees only the port it implements (and the scheduler's turns, which
    // the feed parser shares so one busy poll never holds the event loop).
    [{ regex: '(^|/)core/(?!(sources|publishing)/ports$|sources/turns$)' }, '**/app/**', '**/main/**', '**/preload/**', '**/server/**', '**/renderer/**', '**/cli/**', 'electron'],
    'connectors implement the ports of core (core/*/ports.ts) with shared types; they know nothing else of core, of screens or of Electron.',
  ),
  layer(
    ['src/app/**/*.ts'],
    ['**/main/**', '**/preload/**', '**/server/**', '**/renderer/**', '**/cli/**', 'electron'],
    'src/app is the composition root: core, connectors and shared, below every adapter and without Electron.',
  ),
  layer(
    ['src/server/**/*.ts'],
    ['**/connectors/**', '**/main/**', '**/preload/**', '**/renderer/**', 'electron'],
    'the server runs without Electron and reaches connectors only through src/app.',
  ),
  layer(
    ['src/cli/**/*.ts'],
    // `sources test` previews a source with no data folder, so without an app: it builds the
    // inbound registry itself.
    [{ regex: '(^|/)connectors/(?!inbound/registry$)' }, '**/main/**', '**/preload/**', '**/renderer/**', 'electron'],
    'the CLI runs without Electron and reaches connectors only through src/app (but for the inbound registry of `sources test`).',
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
  ),
];
