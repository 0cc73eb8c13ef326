// Learned rules: per endpoint origin and model, kept through the store across reloads, listed and cleared, and a
// stored value of no known shape is never applied.
import * as assert from 'node:assert/strict';
import { LearnedRules, memoryRulesStore, ruleKey } from '../../src/core/learnedRules';

describe('learned model rules', () => {
  it('are kept per endpoint origin and model, survive a reload of the store, and clear', async () => {
    const store = memoryRulesStore();
    const logged: string[] = [];
    const rules = new LearnedRules(store, message => logged.push(message));
    await rules.learn('https://gw.example.com/v1', 'gpt-5.4', { param: 'temperature', action: 'drop' });
    await rules.learn('https://gw.example.com/v1', 'gpt-5.4', { param: 'temperature', action: 'drop' }); // once
    assert.deepEqual(logged, ['learned for https://gw.example.com gpt-5.4: send no temperature']);

    const reloaded = new LearnedRules(store);
    assert.deepEqual(reloaded.for('https://gw.example.com/other-path', 'gpt-5.4'), [{ param: 'temperature', action: 'drop' }]);
    assert.deepEqual(reloaded.for('https://gw.example.com/v1', 'gpt-5.4-mini'), [], 'another model');
    assert.deepEqual(reloaded.for('https://api.other.com/v1', 'gpt-5.4'), [], 'another endpoint');
    const { body, applied } = reloaded.apply('https://gw.example.com/v1', 'gpt-5.4', { model: 'gpt-5.4', messages: [], temperature: 0.3, top_p: 0.9 }, { streaming: true });
    assert.equal('temperature' in body, false);
    assert.equal(body.top_p, 0.9);
    assert.equal(applied.length, 1);
    assert.deepEqual(reloaded.describe(), ['https://gw.example.com gpt-5.4: send no temperature']);

    await reloaded.clear();
    assert.deepEqual(new LearnedRules(store).describe(), []);
  });

  it('ignores stored values of no known shape', () => {
    const store = { read: () => ({ [ruleKey('http://x', 'm')]: [{ param: 'messages', action: 'drop' }, { param: 'top_p', action: 'explode' }, { param: 'top_p', action: 'drop' }] }) as never, write: async () => undefined };
    assert.deepEqual(new LearnedRules(store).for('http://x', 'm'), [{ param: 'top_p', action: 'drop' }]);
    assert.deepEqual(new LearnedRules({ read: () => 'garbage' as never, write: async () => undefined }).describe(), []);
  });
});
