// Setup file of the e2e project (runs in each test file): lets startVedetta keep a spare
// instance starting while a test runs, when the file has tests left, and stops the spare
// nobody took when the file ends.
import { afterAll, beforeEach, type RunnerTestCase, type RunnerTestSuite } from 'vitest';
import { keepSpareInstances, stopSpareInstances } from '../../support/vedetta-process';

function testsOf(suite: RunnerTestSuite): RunnerTestCase[] {
  return suite.tasks.flatMap((t) => (t.type === 'suite' ? testsOf(t) : t.type === 'test' && t.mode === 'run' ? [t] : []));
}

let left = 0;
beforeEach(({ task }) => {
  const tests = testsOf(task.file);
  left = tests.length - tests.indexOf(task) - 1;
});
keepSpareInstances(() => left > 0);
afterAll(stopSpareInstances);
