// Long work on the main thread (a rebuild, a re-match, an import, a re-score) gives the event
// loop back between its pieces, so the UI's requests and the webhook are answered meanwhile.

/**
 * Resolves on the event loop's next turn, after its I/O callbacks (setImmediate): a request
 * already waiting on a socket is answered before the work goes on.
 */
export function yieldTurn(): Promise<void> {
  return new Promise<void>((r) => setImmediate(r));
}

/**
 * A pause for work in many small steps: it gives the turn back only when `everyMs` have
 * passed since it last did (elapsed time, not a step count: steps differ in cost, and the
 * machine may be busy), and is free otherwise.
 */
export function pacedYield(everyMs: number, clock: () => number = () => performance.now()): () => Promise<void> {
  let since = clock();
  return async () => {
    if (clock() - since < everyMs) return;
    await yieldTurn();
    since = clock();
  };
}
