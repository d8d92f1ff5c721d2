// The real `vedetta` command, spawned as a user runs it, for the CLI tests.
import { spawn } from 'node:child_process';
import { repoRoot } from './app';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `vedetta ARGS` from the repository with the user's environment, minus any
 * VEDETTA_DATA_DIR of the machine (tests name their folder), in Italian whatever the
 * machine's LANG (the tests read the Italian text; `env` may ask for another), plus `env`.
 * Killed, and the promise rejected with what it printed, after `timeoutMs`.
 */
export function vedetta(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/vedetta.mjs', ...args], {
      cwd: repoRoot,
      env: { ...process.env, VEDETTA_DATA_DIR: '', VEDETTA_LANG: 'it', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vedetta ${args.join(' ')} did not finish:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
