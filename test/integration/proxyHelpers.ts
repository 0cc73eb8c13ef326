// Shared by the proxy phases (proxy.proxy.test.ts, proxy.proxy-off.test.ts). The runner starts a real HTTP proxy
// (test/support/testProxy.ts) on 127.0.0.1 and writes VS Code's proxy settings into the User settings.json on disk
// before the phase's window loads. Only the proxy resolves the test host names (to the loopback test server), so an
// answer from one of them can only have come through it, and it logs what it carried.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readProxyLog, type ProxyLogEntry } from '../support/testProxy';
import { entries, waitFor, type EntrySnapshot } from './webview';

export const proxyUrl = () => process.env.COMET_TEST_PROXY_URL ?? '';

/**
 * What the chat says when a test host name is looked up directly. A resolver that answers says ENOTFOUND; one that
 * never answers makes the lookup fail (EAI_AGAIN) or the connection attempt time out (undici, after 10 s), which CI's
 * machines do. Never Comet's own "No answer within comet.requestTimeoutSeconds": no request was sent.
 */
export const NAME_NOT_RESOLVED = /^Could not reach \S+ \((?:ENOTFOUND|EAI_AGAIN|UND_ERR_CONNECT_TIMEOUT)\)/;

/** What the proxy carried to `host` so far. */
export function carriedTo(host: string): ProxyLogEntry[] {
  const log = process.env.COMET_TEST_PROXY_LOG;
  assert.ok(proxyUrl() && log, 'the runner starts the proxy and passes COMET_TEST_PROXY_URL and COMET_TEST_PROXY_LOG');
  return readProxyLog(log).filter(entry => entry.url.includes(host));
}

/** Asks, and waits for the answer to finish or fail; returns the answer and, on failure, the error the chat shows. */
export async function askAndSettle(question: string): Promise<{ state: string; answer: EntrySnapshot; error?: string }> {
  await vscode.commands.executeCommand('comet.ask', question);
  return waitFor('the answer to finish or fail', async () => {
    const shown = await entries();
    const index = shown.findLastIndex(e => e.role === 'assistant');
    const answer = shown[index];
    if (!answer || (answer.state !== 'done' && answer.state !== 'error')) return undefined;
    const error = shown.slice(index + 1).find(e => e.role === 'error')?.text;
    // A failed answer is settled once the chat also shows what went wrong.
    if (answer.state === 'error' && !error) return undefined;
    return { state: answer.state, answer, error };
  }, 30_000);
}

/** The settings the runner wrote, as the extension host reads them. */
export function httpSetting<T>(key: string): T | undefined {
  return vscode.workspace.getConfiguration('http').get<T>(key);
}
