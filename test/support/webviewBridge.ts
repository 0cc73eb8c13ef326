// Lets tests inside the extension host reach the real webview, which only the browser can see: a loopback HTTP
// endpoint in the runner that finds Comet's chat frame (same-origin iframes in the browser build) and evaluates,
// clicks, types or takes screenshots there with Playwright.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { CDPSession, Frame, Page } from 'playwright-core';

/** `window`: which workbench page (0, the default, is the one running the tests; others come from openWindow). */
export type BridgeRequest = BridgeOp & { window?: number };

type BridgeOp =
  /** Opens one more workbench window on the same code-server and workspace (no tests in it); returns its number. */
  | { op: 'openWindow' }
  /** Closes every window openWindow opened. */
  | { op: 'closeWindows' }
  | { op: 'hasChat' }
  | { op: 'eval'; expression: string }
  | { op: 'click'; selector: string }
  | { op: 'fill'; selector: string; text: string }
  | { op: 'press'; selector: string; key: string }
  /** The mouse over the element, then its wheel turned by `deltaY` pixels (negative: up), as a user scrolls. */
  | { op: 'wheel'; selector: string; deltaY: number }
  | { op: 'screenshot'; file: string; selector?: string }
  | { op: 'workbenchEval'; expression: string }
  /** Keys into whatever has focus in the workbench (quick picks, input boxes). */
  | { op: 'workbenchType'; text: string }
  | { op: 'workbenchPress'; key: string }
  /** Posts a message to the host as the chat's own script could (a compromised view forging one). */
  | { op: 'postAsWebview'; message: unknown }
  /** Clicks the first element of the workbench page (not the webview) that matches. */
  | { op: 'workbenchClick'; selector: string }
  /** A CPU profile of the page's renderer main thread (the workbench and its same-origin webview frames), for benches. */
  | { op: 'profile'; action: 'start' }
  | { op: 'profile'; action: 'stop'; file: string }
  /** For benches: when the page's renderer handled each WebSocket frame that carries `marker` (the extension host's
   *  RPC reaches the workbench over one), from `start` until `take`; see SocketFrameArrival. */
  | { op: 'socketFrames'; action: 'start'; marker: string }
  | { op: 'socketFrames'; action: 'take' };

/** A frame's arrival, on the page's `performance.timeOrigin + performance.now()` clock, and its size. */
export interface SocketFrameArrival { at: number; bytes: number }

/** The frames that carried the marker, and the page's clock against the browser's monotonic one (which CPU profiles
 *  count in too): page ms = timeOrigin + (monotonic s - navigationStart) * 1000. */
export interface SocketFrames { arrivals: SocketFrameArrival[]; timeOrigin: number; navigationStart: number }

const CHAT_ROOT = '#comet-root';
const profilers = new Map<Page, CDPSession>();
const frameWatches = new Map<Page, { cdp: CDPSession; frames: SocketFrames }>();

/**
 * Network.webSocketFrameReceived fires on the renderer's main thread as the frame is handed to the page's script, with
 * a monotonic timestamp; the page's clock is its timeOrigin plus monotonic time since its navigation started, so
 * Performance.getMetrics' NavigationStart (monotonic) turns one into the other.
 */
async function watchSocketFrames(page: Page, marker: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const navigationStart = metrics.find(m => m.name === 'NavigationStart')?.value;
  if (navigationStart === undefined) throw new Error('no NavigationStart metric');
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  const arrivals: SocketFrameArrival[] = [];
  const needle = Buffer.from(marker);
  const frames: SocketFrames = { arrivals, timeOrigin, navigationStart };
  cdp.on('Network.webSocketFrameReceived', ({ timestamp, response }) => {
    const payload = response.opcode === 2 ? Buffer.from(response.payloadData, 'base64') : Buffer.from(response.payloadData);
    if (payload.includes(needle)) arrivals.push({ at: timeOrigin + (timestamp - navigationStart) * 1000, bytes: payload.length });
  });
  await cdp.send('Network.enable');
  frameWatches.set(page, { cdp, frames });
}

export async function findChatFrame(page: Page): Promise<Frame | undefined> {
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    try {
      if (await frame.evaluate(selector => document.querySelector(selector) !== null, CHAT_ROOT)) return frame;
    } catch {
      /* detached or navigating */
    }
  }
  return undefined;
}

async function chatFrame(page: Page, timeoutMs = 15_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await findChatFrame(page);
    if (frame) return frame;
    if (Date.now() > deadline) throw new Error('the Comet chat webview is not in the page');
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

async function perform(page: Page, request: BridgeRequest): Promise<unknown> {
  switch (request.op) {
    case 'openWindow':
    case 'closeWindows':
      throw new Error('openWindow is handled by the bridge itself');
    case 'hasChat':
      return (await findChatFrame(page)) !== undefined;
    case 'workbenchEval':
      return page.evaluate(request.expression);
    case 'workbenchType':
      return page.keyboard.type(request.text);
    case 'workbenchPress':
      return page.keyboard.press(request.key);
    case 'workbenchClick':
      return page.locator(request.selector).first().click({ timeout: 10_000 });
    case 'profile': {
      if (request.action === 'start') {
        const cdp = await page.context().newCDPSession(page);
        profilers.set(page, cdp);
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        return cdp.send('Profiler.start');
      }
      const cdp = profilers.get(page);
      if (!cdp) throw new Error('no profile was started');
      profilers.delete(page);
      const { profile } = await cdp.send('Profiler.stop');
      fs.mkdirSync(path.dirname(request.file), { recursive: true });
      fs.writeFileSync(request.file, JSON.stringify(profile));
      await cdp.detach();
      return request.file;
    }
    case 'socketFrames': {
      if (request.action === 'start') return watchSocketFrames(page, request.marker);
      const watch = frameWatches.get(page);
      if (!watch) throw new Error('no socket frame watch was started');
      frameWatches.delete(page);
      await watch.cdp.detach();
      return watch.frames;
    }
    case 'screenshot': {
      fs.mkdirSync(path.dirname(request.file), { recursive: true });
      if (request.selector) await page.locator(request.selector).first().screenshot({ path: request.file });
      else await page.screenshot({ path: request.file });
      return request.file;
    }
    default: {
      const frame = await chatFrame(page);
      switch (request.op) {
        case 'eval': return frame.evaluate(request.expression);
        // The chat's script posts through this function of VS Code's outer webview frame (acquireVsCodeApi).
        case 'postAsWebview':
          return frame.parentFrame()?.evaluate(message => (window as unknown as { __vscode_post_message__(channel: string, data: unknown): void }).__vscode_post_message__('onmessage', { message, transfer: [] }), request.message);
        // A click that opens an editor starts a navigation in the workbench; the click is done once it landed.
        case 'click': return frame.locator(request.selector).first().click({ timeout: 30_000, noWaitAfter: true });
        case 'fill': return frame.locator(request.selector).first().fill(request.text, { timeout: 10_000 });
        case 'press': return frame.locator(request.selector).first().press(request.key, { timeout: 10_000 });
        case 'wheel':
          await frame.locator(request.selector).first().hover({ timeout: 10_000 });
          return page.mouse.wheel(0, request.deltaY);
      }
    }
  }
}

export async function startBridge(page: () => Page | undefined, openWindow?: () => Promise<Page>): Promise<{ url: string; close(): void }> {
  const windows: Page[] = [];
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const part of req) body += part;
    try {
      const request = JSON.parse(body) as BridgeRequest;
      let result: unknown;
      if (request.op === 'openWindow') {
        if (!openWindow) throw new Error('this runner opens no other windows');
        windows.push(await openWindow());
        result = windows.length;
      } else if (request.op === 'closeWindows') {
        for (const window of windows) await window.close().catch(() => undefined);
        result = windows.length;
      } else {
        const current = request.window ? windows[request.window - 1] : page();
        if (!current) throw new Error(request.window ? `no window ${request.window}` : 'no page yet');
        result = await perform(current, request);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, result: result ?? null }));
    } catch (error) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: (error as Error).message }));
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
