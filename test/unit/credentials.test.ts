// Which key goes where: a key per endpoint origin, none for servers on this machine, and COMETAPI_KEY for CometAPI
// unless the user confirmed another origin.
import * as assert from 'node:assert/strict';
import { COMETAPI_ORIGIN, isLoopbackOrigin, originOf, resolveCredentials } from '../../src/core/credentials';

const none = new Set<string>();

describe('credentials per endpoint origin', () => {
  it('names an endpoint by its origin', () => {
    assert.equal(originOf('https://api.cometapi.com/v1/'), 'https://api.cometapi.com');
    assert.equal(originOf('http://localhost:11434/v1'), 'http://localhost:11434');
    assert.equal(COMETAPI_ORIGIN, 'https://api.cometapi.com');
    assert.notEqual(originOf('https://openrouter.ai/api/v1'), COMETAPI_ORIGIN);
  });

  it('knows the servers on this machine', () => {
    for (const origin of ['http://localhost:11434', 'http://127.0.0.1:8080', 'http://127.1.2.3', 'http://[::1]:1234', 'http://ollama.localhost']) assert.ok(isLoopbackOrigin(origin), origin);
    for (const origin of ['https://api.cometapi.com', 'http://10.0.0.5:8080', 'http://localhost.example.com', 'http://127.0.0.1.nip.io', 'not a url']) assert.ok(!isLoopbackOrigin(origin), origin);
  });

  it('sends the key stored for the origin, and only that one', () => {
    assert.deepEqual(resolveCredentials('https://openrouter.ai', { stored: 'or-key', environment: 'comet-env', environmentTrusted: none }), { kind: 'key', apiKey: 'or-key' });
  });

  it('sends nothing to a local server unless a key was set for it', () => {
    assert.deepEqual(resolveCredentials('http://localhost:11434', { environmentTrusted: none }), { kind: 'none' });
    assert.deepEqual(resolveCredentials('http://localhost:11434', { environment: 'comet-env', environmentTrusted: none }), { kind: 'none' });
    assert.deepEqual(resolveCredentials('http://localhost:11434', { stored: 'local', environmentTrusted: none }), { kind: 'key', apiKey: 'local' });
  });

  it('uses COMETAPI_KEY for CometAPI, and asks before it goes anywhere else', () => {
    assert.deepEqual(resolveCredentials(COMETAPI_ORIGIN, { environment: 'comet-env', environmentTrusted: none }), { kind: 'key', apiKey: 'comet-env' });
    assert.deepEqual(resolveCredentials('https://gateway.example', { environment: 'comet-env', environmentTrusted: none }), { kind: 'confirm', origin: 'https://gateway.example', apiKey: 'comet-env' });
    assert.deepEqual(resolveCredentials('https://gateway.example', { environment: 'comet-env', environmentTrusted: new Set(['https://gateway.example']) }), { kind: 'key', apiKey: 'comet-env' });
  });

  it('has nothing to send to a remote origin without a key', () => {
    assert.deepEqual(resolveCredentials('https://gateway.example', { environmentTrusted: none }), { kind: 'missing', origin: 'https://gateway.example' });
  });
});
