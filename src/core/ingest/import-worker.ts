// Entry of the import worker thread (node:worker_threads): reads, decodes, parses and spools
// the file (import-read.ts), then sends the records back in published order, one batch per
// credit the main thread gives, so what waits in memory stays a few batches.
import { parentPort, workerData } from 'node:worker_threads';
import { Cancelled, readBack, readImportFile, type FromWorker, type ToWorker, type WorkerInput } from './import-read';

const port = parentPort;
if (!port) throw new Error('import-worker: not a worker thread');
const send = (m: FromWorker): void => port.postMessage(m);

let cancelled = false;
let credit = 0;
let wake: (() => void) | null = null;
port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') cancelled = true;
  else credit++;
  wake?.();
  wake = null;
});

async function run(input: WorkerInput): Promise<void> {
  const out = await readImportFile(
    input,
    input.totalBytes,
    (p) => send({ type: 'progress', ...p }),
    () => cancelled,
    (encoding) => send({ type: 'encoding', encoding }),
  );
  if (!out.ok) {
    send({ type: 'failed', outcome: out });
    return;
  }
  const { index, ...summary } = out;
  send({ type: 'read', summary });
  for (const records of readBack(input.spoolPath, index, summary.sorted, input.batch)) {
    while (credit === 0 && !cancelled) await new Promise<void>((r) => (wake = r));
    if (cancelled) break;
    credit--;
    send({ type: 'batch', records });
  }
  send(cancelled ? { type: 'cancelled' } : { type: 'end' });
}

run(workerData as WorkerInput).catch((e: unknown) => {
  send(e instanceof Cancelled ? { type: 'cancelled' } : { type: 'crashed', message: e instanceof Error ? e.message : String(e) });
});
