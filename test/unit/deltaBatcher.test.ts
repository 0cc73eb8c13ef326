// The host's delta batching: a delta a frame after the last message goes out at once, the rest at most once per frame,
// nothing is lost.
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

  it('posts the first delta in the call that brings it, and the rest of its burst once the frame has passed', () => {
    batcher.add('Hel', '');
    assert.deepEqual(posted, [{ type: 'assistantDelta', id: 'a1', text: 'Hel', reasoning: '' }], 'no timer in between');
    batcher.add('lo', 'think');
    assert.equal(posted.length, 1, 'within the frame');
    assert.deepEqual(pending.map(t => t.at - 1000), [DELTA_FLUSH_MS], 'one timer, due when the frame has passed');
    advance(DELTA_FLUSH_MS);
    assert.deepEqual(posted.slice(1), [{ type: 'assistantDelta', id: 'a1', text: 'lo', reasoning: 'think' }]);
  });

  it('then coalesces at most once per frame', () => {
    batcher.add('a', '');
    advance(2);
    batcher.add('b', '');
    batcher.add('c', '');
    advance(DELTA_FLUSH_MS - 3);
    assert.deepEqual(texts(), ['a'], 'waits out the frame');
    advance(1);
    assert.deepEqual(texts(), ['a', 'bc']);
  });

  it('posts once a frame during a long burst in which no timer gets to run (a big network read being folded)', () => {
    for (let i = 0; i < 40; i++) {
      batcher.add(String(i % 10), '');
      clock += 1; // the clock moves, the event loop does not: no timer runs
    }
    assert.deepEqual(texts(), ['0', '1234567890123456', '7890123456789012'], 'at 0, 16 and 32 ms into the burst');
    advance(0);
    assert.equal(posted.length, 3, 'a timer a post has overtaken posts nothing');
    batcher.flush();
    assert.deepEqual(texts().join(''), '0123456789'.repeat(4), 'nothing lost');
    advance(DELTA_FLUSH_MS);
    assert.equal(posted.length, 4, 'no timer left behind');
  });

  it('flush posts what waits at once, and nothing when nothing waits', () => {
    batcher.add('x', '');
    batcher.add('y', '');
    batcher.flush();
    batcher.flush();
    assert.deepEqual(texts(), ['x', 'y']);
    advance(DELTA_FLUSH_MS);
    assert.deepEqual(texts(), ['x', 'y'], 'the timer was cancelled');
  });
});
