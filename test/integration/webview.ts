// The tests' view of the real chat webview, through the runner's bridge (see test/support/webviewBridge.ts).
import * as http from 'node:http';
import * as path from 'node:path';
import type { BridgeRequest, SocketFrames } from '../support/webviewBridge';

const BRIDGE = process.env.COMET_TEST_BRIDGE;

function call(request: BridgeRequest): Promise<unknown> {
  if (!BRIDGE) throw new Error('COMET_TEST_BRIDGE is not set: run the tests through the harness');
  const body = JSON.stringify(request);
  return new Promise((resolve, reject) => {
    const req = http.request(BRIDGE, { method: 'POST', headers: { 'content-type': 'application/json' } }, res => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', part => (text += part));
      res.on('end', () => {
        const reply = JSON.parse(text) as { ok: boolean; result?: unknown; error?: string };
        if (reply.ok) resolve(reply.result);
        else reject(new Error(`webview ${request.op}: ${reply.error}`));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface EntrySnapshot {
  /** The entry's id (a question drawn as sent has the panel's `sent:…` until the host's entry replaces it). */
  id: string;
  role: string;
  state: string | null;
  text: string;
  actions: string[];
}

/** The chat's entries in the page: the list's own children, or a chunk's (a restored chat's older ones,
 *  src/webview/entryChunks.ts); `role` narrows them. For expressions evaluated in the webview. */
export function entrySelector(role?: string): string {
  const entry = role ? `[data-role=${role}]` : '[data-role]';
  return `#messages > ${entry}, #messages > .entry-chunk > ${entry}`;
}

/** Every chat entry as the browser renders it. */
export async function entries(): Promise<EntrySnapshot[]> {
  return (await call({
    op: 'eval',
    // The text as a reader sees it, without the buttons' labels.
    expression: `Array.from(document.querySelectorAll('${entrySelector()}')).map(el => ({
      id: el.dataset.id, role: el.dataset.role, state: el.dataset.state ?? null,
      text: (() => {
        const hidden = Array.from(el.querySelectorAll('button, .code-actions'));
        hidden.forEach(b => { b.setAttribute('data-was-display', b.style.display); b.style.display = 'none'; });
        // Entries off screen or not laid out yet skip rendering (content-visibility: auto), and innerText is then
        // empty: lay this one out for the read.
        const skipped = [el, ...el.querySelectorAll('.md-block'), ...(el.parentElement.matches('.entry-chunk') ? [el.parentElement] : [])];
        skipped.forEach(e => { e.setAttribute('data-was-cv', e.style.contentVisibility); e.style.contentVisibility = 'visible'; });
        const text = el.innerText;
        skipped.forEach(e => (e.style.contentVisibility = e.getAttribute('data-was-cv') || ''));
        hidden.forEach(b => (b.style.display = b.getAttribute('data-was-display') || ''));
        return text;
      })(),
      actions: Array.from(el.querySelectorAll('[data-action]')).map(b => b.dataset.action) }))`,
  })) as EntrySnapshot[];
}

/** Whether the chat webview is in the page right now (no waiting). */
export async function chatIsShown(): Promise<boolean> {
  return (await call({ op: 'hasChat' })) as boolean;
}

export function evaluate<T>(expression: string): Promise<T> {
  return call({ op: 'eval', expression }) as Promise<T>;
}

export const click = (selector: string) => call({ op: 'click', selector });
/** Sends the host a message as if the chat's own script had posted it. */
export const postAsWebview = (message: unknown) => call({ op: 'postAsWebview', message });

/** Another workbench window on this code-server and workspace, driven through the same bridge. */
export async function openWindow(): Promise<OtherWindow> {
  const window = (await call({ op: 'openWindow' })) as number;
  return {
    hasChat: async () => (await call({ op: 'hasChat', window })) as boolean,
    evaluate: <T>(expression: string) => call({ op: 'eval', expression, window }) as Promise<T>,
    click: (selector: string) => call({ op: 'click', selector, window }),
    fill: (selector: string, text: string) => call({ op: 'fill', selector, text, window }),
    press: (selector: string, key: string) => call({ op: 'press', selector, key, window }),
    workbenchPress: (key: string) => call({ op: 'workbenchPress', key, window }),
  };
}

/** Closes the windows openWindow opened (their numbers stay taken). */
export async function closeWindows(): Promise<void> {
  await call({ op: 'closeWindows' });
}

export interface OtherWindow {
  hasChat(): Promise<boolean>;
  evaluate<T>(expression: string): Promise<T>;
  click(selector: string): Promise<unknown>;
  fill(selector: string, text: string): Promise<unknown>;
  press(selector: string, key: string): Promise<unknown>;
  workbenchPress(key: string): Promise<unknown>;
}
export const workbench = {
  evaluate: <T>(expression: string) => call({ op: 'workbenchEval', expression }) as Promise<T>,
  type: (text: string) => call({ op: 'workbenchType', text }),
  press: (key: string) => call({ op: 'workbenchPress', key }),
  click: (selector: string) => call({ op: 'workbenchClick', selector }),
};
export const fill = (selector: string, text: string) => call({ op: 'fill', selector, text });
export const press = (selector: string, key: string) => call({ op: 'press', selector, key });
export const wheel = (selector: string, deltaY: number) => call({ op: 'wheel', selector, deltaY });

/** Starts, or stops and writes to `file`, a CPU profile of the page the webview is in (benches only). */
export function profileWebview(action: 'start' | 'stop', file = ''): Promise<unknown> {
  return call(action === 'start' ? { op: 'profile', action } : { op: 'profile', action, file });
}

/** For benches: the arrivals of the WebSocket frames that carry `marker`, between start and take (the bridge's op). */
export function watchSocketFrames(action: 'start', marker: string): Promise<unknown>;
export function watchSocketFrames(action: 'take'): Promise<SocketFrames>;
export function watchSocketFrames(action: 'start' | 'take', marker = ''): Promise<unknown> {
  return call(action === 'start' ? { op: 'socketFrames', action, marker } : { op: 'socketFrames', action });
}

export async function screenshot(name: string, selector?: string): Promise<string> {
  const dir = process.env.COMET_TEST_RESULTS_DIR ?? path.resolve('test-results');
  return (await call({ op: 'screenshot', file: path.join(dir, name), selector })) as string;
}

/** Polls until `check` passes (returns a truthy value), and fails with the last snapshot if it never does. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      let snapshot = '';
      try {
        snapshot = JSON.stringify(await entries(), null, 1);
      } catch (error) {
        snapshot = String(error);
      }
      throw new Error(`timed out waiting for ${what}${lastError ? ` (${String(lastError)})` : ''}; the chat shows: ${snapshot}`);
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

/** Waits until the last assistant entry has ended in `state`, and returns all entries. */
export function waitForLastAssistant(state: string, timeoutMs?: number): Promise<EntrySnapshot[]> {
  return waitFor(`the last assistant entry to be ${state}`, async () => {
    const all = await entries();
    const last = all.filter(e => e.role === 'assistant').at(-1);
    return last?.state === state ? all : undefined;
  }, timeoutMs);
}

/**
 * Opens a quick pick with `open`, types `filter` once the focus is in its input and its list shows every `shown`, and
 * presses Enter once `choice` is its focused row; resolves with what `open` resolves with. VS Code hands a webview that
 * was just revealed its focus late (a debounce, then a message to its frame; microsoft/vscode#75209), and on a loaded
 * machine that can close a picker before anything was typed in it: the picker is then opened again, three times at most.
 */
export async function chooseInQuickPick<T>(open: () => Thenable<T>, shown: string[], filter: string, choice: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let closed = false;
    const picking = Promise.resolve(open()).finally(() => (closed = true));
    const inPicker = (check: string) => workbench.evaluate<boolean>(`!!document.activeElement?.matches('.quick-input-widget input') && (${check})`);
    const lists = shown.map(text => `document.querySelector('.quick-input-widget').textContent.includes(${JSON.stringify(text)})`).join(' && ');
    await waitFor('the picker, with the focus in its input', async () => closed || inPicker(lists || 'true'));
    if (!closed) await workbench.type(filter);
    await waitFor(`${choice} as the picker's choice`, async () =>
      closed || inPicker(`(document.querySelector('.quick-input-widget .monaco-list-row.focused')?.textContent ?? '').includes(${JSON.stringify(choice)})`));
    const closedBeforeChoice = closed;
    if (!closed) await workbench.press('Enter');
    const result = await picking;
    if (!closedBeforeChoice) return result;
    if (attempt === 3) throw new Error('the picker closed before a choice was made, three times');
    // Said each time, so that a picker that closes now and then stays visible in the log.
    console.log(`[test] the picker closed before a choice was made (attempt ${attempt}); opening it again`);
    // What was typed after it closed went to whatever took the focus: the chat's composer, most likely.
    if (filter && await evaluate<boolean>(`(document.getElementById('prompt')?.value ?? '').includes(${JSON.stringify(filter)})`).catch(() => false)) await fill('#prompt', '');
  }
}
