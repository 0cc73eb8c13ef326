// The webview's slices: work done in order, as much as a budget allows now and the rest in later tasks.
import * as assert from 'node:assert/strict';
import { SliceQueue } from '../../../src/webview/slices';

const nextTask = () => new Promise(resolve => setTimeout(resolve, 0));

function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* a piece that costs `ms` */ }
}

describe('webview slices', () => {
  it('does as much as fits the budget now (at least one piece), the rest in later tasks, in order', async () => {
    const done: number[] = [];
    const queue = new SliceQueue();
    queue.runWithinBudget(Array.from({ length: 10 }, (_, i) => () => { busyFor(4); done.push(i); }), 10);
    assert.ok(done.length >= 2 && done.length <= 4, `${done.length} pieces of 4 ms within 10 ms`);
    assert.equal(queue.hasPending, true);
    const none = new SliceQueue();
    const first: number[] = [];
    none.runWithinBudget([() => first.push(0), () => first.push(1)], 0);
    assert.deepEqual(first, [0], 'a spent budget still does one piece');
    for (let i = 0; i < 50 && (queue.hasPending || none.hasPending); i++) await nextTask();
    assert.deepEqual(done, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(first, [0, 1]);
  });

  it('queues added work after what is pending', async () => {
    const done: string[] = [];
    const queue = new SliceQueue();
    queue.run(['a', 'b', 'c'].map(name => () => done.push(name)), 1);
    queue.add(['d', 'e'].map(name => () => done.push(name)));
    assert.deepEqual(done, ['a']);
    for (let i = 0; i < 20 && queue.hasPending; i++) await nextTask();
    assert.deepEqual(done, ['a', 'b', 'c', 'd', 'e']);
  });
});
