// Phase "proxy-off": http.proxy is still set, but http.proxySupport is "off" (User settings.json on disk): requests go
// direct, so the host that only the proxy resolves is not reached, and the proxy carries nothing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OpenAITestServer } from '../support/openaiTestServer';
import { PROXY_TEST_HOST } from '../support/testProxy';
import { newChat, setSetting, setUpComet, TEST_KEY } from './helpers';
import { askAndSettle, carriedTo, httpSetting, NAME_NOT_RESOLVED, proxyUrl } from './proxyHelpers';

describe('with http.proxySupport off', () => {
  let server: OpenAITestServer;

  before(async () => {
    server = await setUpComet();
    await newChat();
  });
  after(async () => {
    await setSetting('baseUrl', undefined);
    await server.close();
  });

  it('does not use the proxy', async () => {
    assert.equal(httpSetting('proxy'), proxyUrl());
    assert.equal(httpSetting('proxySupport'), 'off');
    await setSetting('baseUrl', server.baseUrl.replace('127.0.0.1', PROXY_TEST_HOST));
    // Each endpoint origin has a key of its own.
    await vscode.commands.executeCommand('comet.setApiKey', TEST_KEY);
    const before = carriedTo(PROXY_TEST_HOST).length;
    const { state, error } = await askAndSettle('proxy support off');
    assert.equal(state, 'error');
    assert.match(error ?? '', NAME_NOT_RESOLVED);
    assert.equal(carriedTo(PROXY_TEST_HOST).length, before);
    assert.equal(server.chatRequests().length, 0);
  });
});
