// Issue 10 in a real VS Code, the network half: servers that send too much, or nothing but keep-alives, end the
// answer with a clear error and leave the extension host (and the next question) working.
import * as assert from 'node:assert/strict';
import { chunk, KEEP_ALIVES, textReply, type OpenAITestServer } from '../support/openaiTestServer';
import { askComet, setSetting, useCometSuite } from './helpers';
import { entries, waitFor } from './webview';
import * as vscode from 'vscode';

const MB = 1024 * 1024;

describe('bounds in a real VS Code', () => {
  let server: OpenAITestServer;

  useCometSuite(started => (server = started));

  const errorEntry = () => waitFor('the error entry', async () => (await entries()).find(e => e.role === 'error'), 60_000);

  it('a 502 with a huge HTML-like body is one short error, and the next question works', async () => {
    // 50 MB of tags that never close, the shape that made the old regexes quadratic; only ~64 KB of it is read.
    server.enqueue({ kind: 'huge', status: 502, contentType: 'text/html', pattern: '<div class="x" <span <', bytes: 50 * MB });
    await askComet('First question', 'error', 60_000);
    const error = await errorEntry();
    assert.match(error.text, /failed \(502: <div class="x" <span </);
    assert.ok(error.text.length < 1000, `${error.text.length} characters`);

    server.enqueue(textReply(['Back ', 'to normal.']));
    await vscode.commands.executeCommand('comet.ask', 'Second question');
    await waitFor('the second answer', async () => (await entries()).some(e => e.role === 'assistant' && e.state === 'done' && e.text.includes('Back to normal.')), 60_000);
  });

  it('a huge single line ends the answer with a clear error and keeps the text before it', async () => {
    server.enqueue({
      kind: 'longLine',
      before: [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Partial answer ' }), chunk({ content: 'before the flood.' })],
      bytes: 30 * MB,
    });
    await askComet('Flood me', 'error', 60_000);
    const error = await errorEntry();
    assert.match(error.text, /single stream line longer than 1 MB, so the answer was cut off there\. The partial answer above is kept\./);
    await waitFor('the partial answer', async () => (await entries()).find(e => e.role === 'assistant')?.text.includes('Partial answer before the flood.'));
  });

  it('keep-alives that are not JSON between the chunks leave the answer whole, with no error', async () => {
    const words = ['Kept ', 'alive ', 'through ', 'every ', 'ping.'];
    const body = KEEP_ALIVES.join('') + words.map((content, i) => `data: ${JSON.stringify(chunk({ content }))}\n\n${KEEP_ALIVES[i % KEEP_ALIVES.length]}`).join('')
      + `data: ${JSON.stringify(chunk({}, 'stop'))}\n\n${KEEP_ALIVES[2]}data: [DONE]\n\n`;
    server.enqueue({ kind: 'raw', status: 200, headers: { 'content-type': 'text/event-stream' }, body, chunkSize: 16 });
    const shown = await askComet('Keep talking', 'done', 60_000);
    // The entry's text is the answer, then its footer on a line of its own.
    assert.equal(shown.find(e => e.role === 'assistant')?.text.split('\n')[0], words.join(''));
    assert.equal(shown.filter(e => e.role === 'error').length, 0);
  });

  it('a web page that answers where the API should be is named as one, with comet.baseUrl to fix, not an empty answer', async () => {
    // What a base URL without its /v1 gets from many sites: their page, with a 200.
    server.enqueue({ kind: 'raw', status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!DOCTYPE html>\n<html><head><title>Span Agent</title></head>\n<body><a href="/login">Sign in</a></body></html>\n' });
    await askComet('Hello?', 'error', 60_000);
    const error = await errorEntry();
    assert.match(error.text, /answered with something other than a chat completion \(Span Agent Sign in\)\..*check comet\.baseUrl/);
    assert.deepEqual(error.actions, ['open-settings']);
  });

  it('keep-alives beyond comet.requestTimeoutSeconds end the wait with an error that names the setting', async () => {
    await setSetting('requestTimeoutSeconds', 2);
    try {
      server.enqueue({ kind: 'keepAlive', everyMs: 100, forMs: 30_000 });
      await askComet('Think hard', 'error', 30_000);
      const error = await errorEntry();
      assert.match(error.text, /did not start answering within 2 s \(it sent only keep-alives, or nothing\).*raise comet\.requestTimeoutSeconds/);
      assert.deepEqual(error.actions, ['open-settings']);
    } finally {
      await setSetting('requestTimeoutSeconds', undefined);
    }
  });
});
