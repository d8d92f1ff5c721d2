// Entry of the checkpoint thread (checkpoint-thread.ts): copies the WAL back into the
// database on a connection of its own whenever the main thread asks.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const port = parentPort;
if (!port) throw new Error('checkpoint-worker: not a worker thread');
const db = new Database((workerData as { dbFile: string }).dbFile, { fileMustExist: true });
// PASSIVE never waits for, nor blocks, the writer; no busy handler either.
db.pragma('busy_timeout = 0');
port.on('message', () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy (another checkpoint): the next one copies what this one could not.
  }
  port.postMessage('checkpointed');
});
