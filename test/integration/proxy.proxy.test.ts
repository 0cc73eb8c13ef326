// Phase "proxy": http.proxy points at the test proxy and http.noProxy lists NO_PROXY_TEST_HOST, both in the User
// settings.json on disk. Chat requests and GET /models go through the proxy; a host in http.noProxy does not.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { textReply, type OpenAITestServer } from '../support/openaiTestServer';
import { NO_PROXY_TEST_HOST, PROXY_TEST_HOST, PROXY_TEST_HOST_MODELS } from '../support/testProxy';
import { newChat, setSetting, setUpComet, TEST_KEY } from './helpers';
import { askAndSettle, carriedTo, httpSetting, NAME_NOT_RESOLVED, proxyUrl } from './proxyHelpers';
import { chooseInQuickPick } from './webview';

describe('through the proxy in the User settings.json', () => {
  let server: OpenAITestServer;
  let port: string;

  before(async () => {
    server = await setUpComet();
    port = new URL(server.baseUrl).port;
  });
  after(async () => {
    await setSetting('baseUrl', undefined);
    await setSetting('model', undefined);
    await server.close();
  });
  beforeEach(async () => {
    server.reset();
    await newChat();
  });

  it('VS Code read the proxy settings from the file on disk', () => {
    assert.equal(httpSetting('proxy'), proxyUrl());
    assert.deepEqual(httpSetting('noProxy'), [NO_PROXY_TEST_HOST]);
    assert.equal(httpSetting('proxySupport'), 'override');
  });

  it('the streamed answer arrives from a host only the proxy resolves, and the proxy logged the request', async () => {
    // Counted from before the endpoint changes: on 1.139 VS Code's chat then lists Comet's models at once, and the
    // tunnel that listing opened through the proxy may carry the question too.
    const before = carriedTo(PROXY_TEST_HOST).length;
    await setSetting('baseUrl', server.baseUrl.replace('127.0.0.1', PROXY_TEST_HOST));
    // Each endpoint origin has a key of its own.
    await vscode.commands.executeCommand('comet.setApiKey', TEST_KEY);
    server.enqueue(textReply(['Through ', 'the ', 'proxy.'], { delayMs: 20 }));
    const { state, answer, error } = await askAndSettle('through the proxy?');
    assert.equal(state, 'done', error);
    assert.match(answer.text, /Through the proxy\./);
    assert.equal(server.chatRequests().length, 1);
    const logged = carriedTo(PROXY_TEST_HOST).slice(before);
    // A plain forward (POST http://host:port/v1/chat/completions) or a CONNECT tunnel (host:port), as VS Code chose.
    assert.ok(logged.some(e => e.url.includes(`${PROXY_TEST_HOST}:${port}`)), `the proxy logged it: ${JSON.stringify(logged)}`);
  });

  it('GET /models goes through the proxy too', async () => {
    // A host name of its own: a connection already open to the chat host could carry the request unseen. The list
    // and the counts come first: on VS Code 1.139 its own chat lists Comet's models through the proxy as soon as the
    // endpoint and key change, and the picker then shows that listing (one cache).
    server.models = ['proxied-model-a', 'proxied-model-b'];
    const modelsBefore = server.requests.filter(r => r.method === 'GET' && r.path === '/v1/models').length;
    await setSetting('baseUrl', server.baseUrl.replace('127.0.0.1', PROXY_TEST_HOST_MODELS));
    // Each endpoint origin has a key of its own.
    await vscode.commands.executeCommand('comet.setApiKey', TEST_KEY);
    const picked = await chooseInQuickPick(() => vscode.commands.executeCommand<string | undefined>('comet.selectModel'), ['proxied-model-b'], 'proxied-model-b', 'proxied-model-b');
    assert.equal(picked, 'proxied-model-b');
    assert.ok(server.requests.filter(r => r.method === 'GET' && r.path === '/v1/models').length > modelsBefore, 'the models were listed (by the picker, or by VS Code\'s chat through the same cache)');
    assert.ok(carriedTo(`${PROXY_TEST_HOST_MODELS}:${port}`).length > 0, 'the proxy logged GET /models');
  });

  it('a host in http.noProxy is reached directly, not through the proxy (and so, here, not at all)', async () => {
    await setSetting('baseUrl', server.baseUrl.replace('127.0.0.1', NO_PROXY_TEST_HOST));
    // Each endpoint origin has a key of its own.
    await vscode.commands.executeCommand('comet.setApiKey', TEST_KEY);
    const { state, error } = await askAndSettle('bypass the proxy');
    assert.equal(state, 'error');
    assert.match(error ?? '', NAME_NOT_RESOLVED);
    assert.equal(carriedTo(NO_PROXY_TEST_HOST).length, 0);
    assert.equal(server.chatRequests().length, 0);
  });
});
