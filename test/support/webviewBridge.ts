// Lets tests inside the extension host reach the real webview, which only the browser can see: a loopback HTTP
// endpoint in the runner that finds Comet's chat frame (same-origin iframes in the browser build) and evaluates,
// clicks, types or takes screenshots there with Playwright.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';

export type BridgeRequest =
  | { op: 'hasChat' }
  | { op: 'eval'; expression: string }
  | { op: 'click'; selector: string }
  | { op: 'fill'; selector: string; text: string }
  | { op: 'press'; selector: string; key: string }
  | { op: 'screenshot'; file: string; selector?: string }
  | { op: 'workbenchEval'; expression: string }
  /** Keys into whatever has focus in the workbench (quick picks, input boxes). */
  | { op: 'workbenchType'; text: string }
  | { op: 'workbenchPress'; key: string }
  /** Clicks the first element of the workbench page (not the webview) that matches. */
  | { op: 'workbenchClick'; selector: string };

const CHAT_ROOT = '#comet-root';

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
        case 'click': return frame.locator(request.selector).first().click({ timeout: 10_000 });
        case 'fill': return frame.locator(request.selector).first().fill(request.text, { timeout: 10_000 });
        case 'press': return frame.locator(request.selector).first().press(request.key, { timeout: 10_000 });
      }
    }
  }
}

export async function startBridge(page: () => Page | undefined): Promise<{ url: string; close(): void }> {
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const part of req) body += part;
    const current = page();
    try {
      if (!current) throw new Error('no page yet');
      const result = await perform(current, JSON.parse(body) as BridgeRequest);
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
