import * as assert from 'node:assert/strict';
import { DEFAULT_BASE_URL, DEFAULT_MODEL, validateSettings } from '../../src/core/settings';

describe('validateSettings', () => {
  it('gives the defaults for an empty configuration', () => {
    const result = validateSettings({});
    assert.ok(result.ok);
    assert.equal(result.settings.baseUrl, DEFAULT_BASE_URL);
    assert.equal(result.settings.model, DEFAULT_MODEL);
    assert.equal(result.settings.temperature, undefined);
    assert.equal(result.settings.stream, true);
    assert.equal(result.settings.instructionRole, 'auto');
    assert.equal(result.settings.maxRetries, 2);
  });

  it('treats null as unset (the settings UI writes null when a field is cleared)', () => {
    const result = validateSettings({ temperature: null, topP: null, maxTokens: null });
    assert.ok(result.ok);
    assert.equal(result.settings.temperature, undefined);
  });

  it('strips a trailing slash from the base URL', () => {
    const result = validateSettings({ baseUrl: 'http://localhost:11434/v1/' });
    assert.ok(result.ok);
    assert.equal(result.settings.baseUrl, 'http://localhost:11434/v1');
  });

  const bad: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ baseUrl: 'localhost:11434' }, 'comet.baseUrl', /http\(s\) URL/],
    [{ baseUrl: 'ftp://x' }, 'comet.baseUrl', /http\(s\) URL/],
    [{ temperature: 3 }, 'comet.temperature', /between 0 and 2, not 3/],
    [{ temperature: '0.5' }, 'comet.temperature', /must be a number/],
    [{ topP: -0.1 }, 'comet.topP', /between 0 and 1/],
    [{ maxTokens: 0 }, 'comet.maxTokens', /between 1/],
    [{ maxTokens: 1.5 }, 'comet.maxTokens', /whole number/],
    [{ reasoningEffort: 'extreme' }, 'comet.reasoningEffort', /one of "default", "low", "medium", "high"/],
    [{ instructionRole: 'assistant' }, 'comet.instructionRole', /one of/],
    [{ model: '  ' }, 'comet.model', /must name a model/],
    [{ stream: 'yes' }, 'comet.stream', /true or false/],
    [{ maxRetries: 11 }, 'comet.maxRetries', /between 0 and 10/],
  ];
  for (const [raw, setting, message] of bad) {
    it(`names ${setting} for ${JSON.stringify(raw)}`, () => {
      const result = validateSettings(raw);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.problems[0].setting, setting);
      assert.match(result.problems[0].message, message);
    });
  }

  it('reports every bad setting, not just the first', () => {
    const result = validateSettings({ temperature: 5, topP: 5 });
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual(result.problems.map(p => p.setting), ['comet.temperature', 'comet.topP']);
  });
});
