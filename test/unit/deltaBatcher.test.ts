// The host's delta batching: the first delta goes out at once, later ones at most once per frame, nothing is lost.
import * as assert from 'node:assert/strict';
import { DELTA_FLUSH_MS, DeltaBatcher } from '../../src/core/deltaBatcher';
import type { ChatUpdate } from '../../src/shared/domain';

const tick = (ms = 0) => new Promise(resolve => setTimeout(resolve, ms));

describe('DeltaBatcher', () => {
  let posted: ChatUpdate[];
  let clock: number;
  let batcher: DeltaBatcher;
  const texts = () => posted.map(m => (m.type === 'assistantDelta' ? m.text : ''));

  beforeEach(() => {
    posted = [];
    clock = 1000;
    batcher = new DeltaBatcher('a1', message => posted.push(message), () => clock);
  });
  afterEach(() => batcher.dispose());

  it('posts the first delta without waiting a frame, the deltas of one burst as one message', async () => {
    batcher.add('Hel', '');
    batcher.add('lo', 'think');
    assert.equal(posted.length, 0, 'not in the middle of the burst');
    await tick(); // the next macrotask: no frame's wait
    assert.deepEqual(posted, [{ type: 'assistantDelta', id: 'a1', text: 'Hello', reasoning: 'think' }]);
  });

  it('then coalesces at most once per frame', async () => {
    batcher.add('a', '');
    await tick();
    clock += 2; // 2 ms after the first post
    batcher.add('b', '');
    batcher.add('c', '');
    await tick(5);
    assert.deepEqual(texts(), ['a'], 'waits out the frame');
    clock += DELTA_FLUSH_MS;
    await tick(DELTA_FLUSH_MS + 5);
    assert.deepEqual(texts(), ['a', 'bc']);
  });

  it('flush posts what waits at once, and nothing when nothing waits', async () => {
    batcher.add('x', '');
    batcher.flush();
    batcher.flush();
    assert.deepEqual(texts(), ['x']);
    await tick(DELTA_FLUSH_MS + 5);
    assert.deepEqual(texts(), ['x'], 'the timer was cleared');
  });
});
