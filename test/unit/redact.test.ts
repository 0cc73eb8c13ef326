import * as assert from 'node:assert/strict';
import { redactSecrets } from '../../src/core/redact';

describe('redactSecrets', () => {
  it('removes the given key wherever it appears, and anything that looks like a key', () => {
    assert.equal(redactSecrets('bad key abc123secret!', 'abc123secret'), 'bad key [redacted]!');
    assert.equal(redactSecrets('Incorrect API key provided: sk-proj-AAAAAAAAAAAAAAAA'), 'Incorrect API key provided: [redacted]');
    assert.equal(redactSecrets('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x'), 'Authorization: [redacted]');
  });
  it('leaves ordinary text alone', () => {
    assert.equal(redactSecrets('task-runner is fine', undefined), 'task-runner is fine');
  });
});
