// One piece of CPU-heavy ingest work per event-loop turn, process-wide. The UI is answered
// by the same process: when dozens of feeds answer at once, parsing and storing them all in
// one turn would make every click wait; taking turns keeps each wait to one item of work.
import { yieldTurn } from '../event-loop';

let tail: Promise<void> = Promise.resolve();

/** Resolves on a later event-loop turn than every earlier caller's. */
export function nextTurn(): Promise<void> {
  const mine = tail.then(yieldTurn);
  tail = mine;
  return mine;
}
