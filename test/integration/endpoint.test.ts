// Comet: Choose Endpoint… in a real VS Code, against servers on 127.0.0.1 only: a reachable server, one that rejects
// the key, and a refused connection, each with its message; and Show Logs opens the output channel.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { EndpointCheck } from '../../src/host/endpointCommands';
import type { OpenAITestServer } from '../support/openaiTestServer';
import { setUpComet } from './helpers';
import { workbench } from './webview';

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('Choose Endpoint', () => {
  let server: OpenAITestServer;
  let original: string | undefined;

  before(async () => {
    server = await setUpComet();
    original = server.baseUrl;
  });
  after(async () => {
    await vscode.workspace.getConfiguration('comet').update('baseUrl', original, vscode.ConfigurationTarget.Global);
    server.close();
  });

  const choose = (baseUrl: string) => vscode.commands.executeCommand<EndpointCheck>('comet.chooseEndpoint', { baseUrl });

  it('a reachable server: sets comet.baseUrl in User settings and says how many models it has', async () => {
    server.models = ['a', 'b', 'c'];
    const check = await choose(server.baseUrl);
    assert.equal(check.kind, 'reachable');
    assert.equal(check.message, `${server.baseUrl} is reachable with 3 models.`);
    const inspected = vscode.workspace.getConfiguration('comet').inspect<string>('baseUrl');
    assert.equal(inspected?.globalValue, server.baseUrl);
    assert.ok(server.requests.some(r => r.method === 'GET' && r.path === '/v1/models'));
  });

  it('a server that answers 401: the key is rejected, and the message says what to do', async () => {
    const rejecting = http.createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Invalid token', type: 'authentication_error' } }));
    });
    const port = await listen(rejecting);
    try {
      const check = await choose(`http://127.0.0.1:${port}/v1`);
      assert.equal(check.kind, 'key-rejected');
      assert.match(check.message, /rejected the API key \(401\)\. Run Comet: Set API Key/);
    } finally {
      rejecting.close();
    }
  });

  it('a refused connection: not reachable, with the URL and what to check', async () => {
    const closed = http.createServer();
    const port = await listen(closed);
    await new Promise(resolve => closed.close(resolve));
    const url = `http://127.0.0.1:${port}/v1`;
    const check = await choose(url);
    assert.equal(check.kind, 'unreachable');
    assert.ok(check.message.startsWith(`${url} is not reachable (`), check.message);
    assert.match(check.message, /Check that the URL is right, that the server is running/);
  });

  it('Show Logs opens the Comet output channel', async () => {
    await vscode.commands.executeCommand('comet.showLogs');
    // The channel's lines (this suite logged its checks there) show in the workbench's panel; the editor renders
    // spaces as no-break spaces.
    const shown = await waitForOutput(() => workbench.evaluate<boolean>(`!!document.querySelector('.part.panel') && document.querySelector('.part.panel').innerText.replace(/\u00a0/g, ' ').includes('Choose Endpoint: ')`));
    assert.ok(shown, await workbench.evaluate<string>(`(document.querySelector('.part.panel')?.innerText ?? 'no panel').slice(0, 2000) + ' | selects: ' + Array.from(document.querySelectorAll('.part.panel select')).map(s => s.value).join(',')`));
  });
});

async function waitForOutput(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await check().catch(() => false)) return true;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return false;
}
