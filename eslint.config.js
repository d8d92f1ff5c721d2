// Layering enforced by lint (as VS Code does): each runtime folder may import only the
// folders ARCHITECTURE.md allows. A wrong import fails `npm run lint` and so `npm test`.
import tseslint from 'typescript-eslint';

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
    ['**/core/**', '**/ingest/**', '**/main/**', '**/preload/**', '**/server/**', '**/renderer/**', '**/cli/**', 'electron', ...NODE_BUILTINS],
    'src/shared is the contract: no Node, no DOM, no other layer.',
  ),
  layer(
    ['src/renderer/**/*.ts'],
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
];
