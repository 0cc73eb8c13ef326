// A request that never got a response: the network's own failures (a refused port, a DNS server that never answers)
// are told apart from Comet's deadline (comet.requestTimeoutSeconds), through the real SDK client Comet builds and
// real sockets. The DNS that never answers is undici's real connect timeout, reached through a lookup that never
// calls back; only its 10 s default is shortened.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { describeFailure } from '../../src/core/describeFailure';
import { createChatBackend, type Connection } from '../../src/llm/chatClient';
import { toFailure, type LlmFailure } from '../../src/llm/failure';

const BODY = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };

async function failureOf(connection: Connection): Promise<LlmFailure> {
  try {
    for await (const _ of createChatBackend(connection, true)(BODY, new AbortController().signal)) {
      // Nothing arrives: every case here fails before a response.
    }
  } catch (error) {
    return toFailure(error);
  }
  assert.fail('the request should have failed');
}

const describe_ = (failure: LlmFailure, baseUrl: string) =>
  describeFailure(failure, { baseUrl, model: 'm', timeoutSeconds: 120, maxRetries: 0 }).message;

describe('network failures before any response', () => {
  it('a DNS server that never answers is "could not reach" with undici\'s code, not Comet\'s deadline', async () => {
    const neverResolves = new Agent({ connect: { timeout: 100, lookup: () => undefined } });
    const realFetch = globalThis.fetch;
    // Comet looks the global fetch up per call (VS Code patches it for proxies); here undici's own, on that agent.
    globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
      undiciFetch(input as string, { ...(init as object), dispatcher: neverResolves })) as unknown as typeof fetch;
    try {
      const baseUrl = 'http://dns-never-answers.invalid/v1';
      const failure = await failureOf({ baseUrl, apiKey: 'sk-test', timeoutMs: 120_000, maxRetries: 0 });
      assert.equal(failure.kind, 'network');
      assert.equal(failure.kind === 'network' && failure.cause, 'UND_ERR_CONNECT_TIMEOUT');
      assert.match(describe_(failure, baseUrl), /^Could not reach http:\/\/dns-never-answers\.invalid\/v1 \(UND_ERR_CONNECT_TIMEOUT\)/);
    } finally {
      globalThis.fetch = realFetch;
      await neverResolves.close();
    }
  });

  it('a refused port is "could not reach" with ECONNREFUSED', async () => {
    const server = http.createServer();
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>(resolve => server.close(() => resolve()));
    const failure = await failureOf({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'sk-test', timeoutMs: 120_000, maxRetries: 0 });
    assert.deepEqual([failure.kind, failure.kind === 'network' && failure.cause], ['network', 'ECONNREFUSED']);
  });

  it('a server that takes the request and never answers runs into Comet\'s deadline, told as such', async () => {
    const held: http.ServerResponse[] = [];
    const server = http.createServer((_request, response) => void held.push(response));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const failure = await failureOf({ baseUrl, apiKey: 'sk-test', timeoutMs: 200, maxRetries: 0 });
      assert.deepEqual([failure.kind, failure.kind === 'timeout' && failure.phase], ['timeout', 'connect']);
      assert.match(describe_(failure, baseUrl), /^No answer from 127\.0\.0\.1:\d+ within 120 s/);
      assert.equal(held.length, 1, 'the request reached the server');
    } finally {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    }
  });
});
