// Starting one of our worker threads (node:worker_threads) from source or from the build: the
// one place that knows where a worker's code lives in each case.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

export interface WorkerSpec {
  /** `import.meta.url` of the module that starts it: both paths below are relative to it. */
  from: string;
  /** The entry's source, e.g. './import-worker.ts' (run under tsx: the CLI, the tests). */
  source: string;
  /** The entry's name in electron.vite.config.ts's main inputs, e.g. 'import-worker'. */
  bundled: string;
  workerData?: unknown;
  resourceLimits?: ResourceLimits;
}

/**
 * Under tsx the thread first registers tsx's loader (a worker does not inherit it). In a build,
 * electron-vite writes each worker as its own entry next to out/main/index.js, and the caller
 * may sit in index.js or in a shared chunk below it.
 */
export function startWorker(spec: WorkerSpec): Worker {
  const { from, workerData, resourceLimits } = spec;
  if (from.endsWith('.ts')) {
    // tsx/esm/api's ESM build (require.resolve would name its CommonJS one).
    const api = pathToFileURL(join(dirname(createRequire(from).resolve('tsx/esm')), 'api', 'index.mjs')).href;
    const entry = new URL(spec.source, from).href;
    const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(boot, { eval: true, workerData, resourceLimits });
  }
  for (const rel of [`./${spec.bundled}.js`, `../${spec.bundled}.js`]) {
    const url = new URL(rel, from);
    if (existsSync(fileURLToPath(url))) return new Worker(url, { workerData, resourceLimits });
  }
  throw new Error(`${spec.bundled} not found beside the bundle`);
}
