// The host's delta batching: the first delta goes out at once, later ones at most once per frame, nothing is lost.
// A fake clock and timer, so that what is asked of the timer is checked, not how a loaded machine runs it.
import * as assert from 'node:assert/strict';
import { DELTA_FLUSH_MS, DeltaBatcher, type BatchTimers } from '../../src/core/deltaBatcher';
import type { ChatUpdate } from '../../src/shared/domain';

describe('DeltaBatcher', () => {
  let posted: ChatUpdate[];
  let clock: number;
  let pending: Array<{ run: () => void; at: number; cancelled?: boolean }>;
  let batcher: DeltaBatcher;
  const timers: BatchTimers = {
    now: () => clock,
    schedule: (run, ms) => {
      const timer = { run, at: clock + ms };
      pending.push(timer);
      return timer;
    },
    cancel: handle => {
      if (handle) (handle as { cancelled: boolean }).cancelled = true;
    },
  };
  /** Moves the clock on by `ms`, running the timers that fall due. */
  const advance = (ms: number) => {
    clock += ms;
    for (const timer of pending.splice(0)) {
      if (timer.cancelled) continue;
      if (timer.at <= clock) timer.run();
      else pending.push(timer);
    }
  };
  const texts = () => posted.map(m => (m.type === 'assistantDelta' ? m.text : ''));

  beforeEach(() => {
    posted = [];
    clock = 1000;
    pending = [];
    batcher = new DeltaBatcher('a1', message => posted.push(message), timers);
  });

  it('posts the first delta without waiting a frame, the deltas of one burst as one message', () => {
    batcher.add('Hel', '');
    batcher.add('lo', 'think');
    assert.equal(posted.length, 0, 'not in the middle of the burst');
    assert.deepEqual(pending.map(t => t.at - 1000), [0], 'one timer, due at once');
    advance(0);
    assert.deepEqual(posted, [{ type: 'assistantDelta', id: 'a1', text: 'Hello', reasoning: 'think' }]);
  });

  it('then coalesces at most once per frame', () => {
    batcher.add('a', '');
    advance(0);
    advance(2);
    batcher.add('b', '');
    batcher.add('c', '');
    advance(DELTA_FLUSH_MS - 3);
    assert.deepEqual(texts(), ['a'], 'waits out the frame');
    advance(1);
    assert.deepEqual(texts(), ['a', 'bc']);
  });

  it('flush posts what waits at once, and nothing when nothing waits', () => {
    batcher.add('x', '');
    batcher.flush();
    batcher.flush();
    assert.deepEqual(texts(), ['x']);
    advance(DELTA_FLUSH_MS);
    assert.deepEqual(texts(), ['x'], 'the timer was cancelled');
  });
});
