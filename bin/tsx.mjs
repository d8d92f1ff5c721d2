#!/usr/bin/env node
// Runs TypeScript from source through tsx's ESM loader. Two uses:
//   import './tsx.mjs'            — from another bin script, before importing .ts files;
//   node bin/tsx.mjs FILE.ts ...  — run any TS file (`npm run bench` does this).
import { register } from 'tsx/esm/api';
import { register as registerCjs } from 'tsx/cjs/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

register();
// .ts files outside a "type": "module" package load as CommonJS.
registerCjs();

const self = import.meta.filename;
if (process.argv[1] && resolve(process.argv[1]) === self) {
  const file = process.argv[2];
  if (!file) {
    console.error('Uso: node bin/tsx.mjs FILE.ts [argomenti…]');
    process.exit(2);
  }
  // The script sees itself as argv[1], as if run directly.
  process.argv.splice(1, 2, resolve(file));
  await import(pathToFileURL(resolve(file)).href);
}
