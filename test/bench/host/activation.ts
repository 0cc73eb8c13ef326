// Runs inside the real extension host, once per window load (`npm run bench -- activation`, see ../activationBench.ts):
// reads how long VS Code's extension service took to load Comet's code and to activate it, from the performance
// marks it sets around both (code/extHost/{will,did}LoadExtensionCode/<id>, {will,did}ActivateExtension/<id>, in
// globalThis.MonacoPerformanceMarks, the same points its ExtensionActivationTimes are taken at), then times the first
// use: the chat view's first resolve, and the first answer shown in the webview.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { OpenAITestServer, textReply } from '../../support/openaiTestServer';
import { chatIsShown, entries } from '../../integration/webview';

const EXTENSION_ID = 'comet.comet-vscode';

interface Mark {
  name: string;
  startTime: number;
}

function extensionHostMarks(): Mark[] {
  const perf = (globalThis as { MonacoPerformanceMarks?: { getMarks(): Mark[] } }).MonacoPerformanceMarks;
  if (!perf) throw new Error('no MonacoPerformanceMarks in this extension host');
  return perf.getMarks();
}

function span(marks: Mark[], from: string, to: string): number | undefined {
  const start = marks.find(m => m.name === `code/extHost/${from}/${EXTENSION_ID}`);
  const end = marks.find(m => m.name === `code/extHost/${to}/${EXTENSION_ID}`);
  return start && end ? end.startTime - start.startTime : undefined;
}

/** Comet's own marks around its chat bundle (src/host/lazyComet.ts), in ms since the ext host's time origin. */
function cometMarks(): Record<string, number> {
  return Object.fromEntries(performance.getEntriesByType('mark').filter(m => m.name.startsWith('comet/')).map(m => [m.name, m.startTime]));
}

async function poll<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}

export async function run(): Promise<void> {
  const out = process.env.COMET_BENCH_OUT;
  if (!out) throw new Error('COMET_BENCH_OUT is not set');
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  // Nothing in this window asks for Comet at startup (no Comet view open, and 1.139's Copilot Chat, not signed in, asks
  // no one for models), but give startup its time in case something does.
  const startupWait = Date.now() + Number(process.env.COMET_BENCH_STARTUP_WAIT_MS ?? 8000);
  while (!extension.isActive && Date.now() < startupWait) await new Promise(resolve => setTimeout(resolve, 50));
  // The provider's startup path (VS Code 1.104+): as when another extension (Copilot Chat) asks VS Code for the
  // models at startup. VS Code activates Comet by `onLanguageModelChatProvider:comet` and lists its models silently.
  const providerPath = process.env.COMET_BENCH_STARTUP === 'provider';
  // Something else activated Comet first: this load took neither path (the report counts it as not activated by the listing).
  if (providerPath && extension.isActive) return record(out, { scenario: 'provider', vscode: vscode.version, activatedByListing: false });
  const listing = providerPath ? await listLikeVsCodeChat() : undefined;
  const activatedAtStartup = extension.isActive;
  const startupCometMarks = cometMarks();
  if (listing) {
    const marks = extensionHostMarks();
    return record(out, {
      scenario: 'provider',
      vscode: vscode.version,
      activatedByListing: listing.activated,
      codeLoadingMs: span(marks, 'willLoadExtensionCode', 'didLoadExtensionCode'),
      activateMs: span(marks, 'willActivateExtension', 'didActivateExtension'),
      loadAndActivateMs: span(marks, 'willLoadExtensionCode', 'didActivateExtension'),
      chatBundleLoadMs: bundleLoadMs(startupCometMarks),
      chatBundleLoadedAtStartup: startupCometMarks['comet/didLoadChatBundle'] !== undefined,
      listingMs: listing.ms,
      // From VS Code's call into Comet's provider to its answer (src/host/nativeChat.ts marks the first listing).
      cometListingMs: markSpan(startupCometMarks, 'comet/willListModels', 'comet/didListModels'),
      listedModels: listing.models,
    });
  }

  // A loopback endpoint needs no key, so the set-up runs no Comet command (which would activate it).
  const server = await OpenAITestServer.start();
  try {
    await vscode.workspace.getConfiguration('comet').update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
    server.enqueue(textReply(['The first ', 'answer.']));
    // First use: open the chat (its view resolves), then ask; each step waits for what the webview shows.
    const t0 = performance.now();
    await vscode.commands.executeCommand('comet.chatView.focus');
    await poll('the chat view', async () => (await chatIsShown()) && (await entries()) !== undefined);
    const tView = performance.now();
    await vscode.commands.executeCommand('comet.ask', 'Hello');
    await poll('the first answer', async () => (await entries()).some(e => e.role === 'assistant' && e.state === 'done' && e.text.includes('The first answer.')));
    const tAnswer = performance.now();

    const marks = extensionHostMarks();
    const comet = cometMarks();
    const phase = process.env.COMET_TEST_PHASE_FILE ? fs.readFileSync(process.env.COMET_TEST_PHASE_FILE, 'utf8').trim() : '';
    const result = {
      scenario: 'first use',
      phase,
      vscode: vscode.version,
      activatedAtStartup,
      codeLoadingMs: span(marks, 'willLoadExtensionCode', 'didLoadExtensionCode'),
      activateMs: span(marks, 'willActivateExtension', 'didActivateExtension'),
      loadAndActivateMs: span(marks, 'willLoadExtensionCode', 'didActivateExtension'),
      // The chat bundle, if this build has one: its require(), and its start up to the chat being ready.
      chatBundleLoadMs: bundleLoadMs(comet),
      chatBundleLoadedAtStartup: startupCometMarks['comet/didLoadChatBundle'] !== undefined,
      chatStartMs: comet['comet/chatReady'] !== undefined ? comet['comet/chatReady'] - comet['comet/willLoadChatBundle'] : undefined,
      firstViewMs: tView - t0,
      firstAnswerMs: tAnswer - tView,
    };
    record(out, result);
  } finally {
    await server.close();
    // The next window load starts from the default endpoint again (its startup listing then needs no network).
    await vscode.workspace.getConfiguration('comet').update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
  }
}

/** `vscode.lm.selectChatModels` for Comet's vendor, timed: VS Code activates the provider and lists its models silently. */
async function listLikeVsCodeChat(): Promise<{ ms: number; models: number; activated: boolean }> {
  const start = performance.now();
  const models = await vscode.lm.selectChatModels({ vendor: 'comet' });
  const ms = performance.now() - start;
  return { ms, models: models.length, activated: vscode.extensions.getExtension(EXTENSION_ID)?.isActive === true };
}

function markSpan(comet: Record<string, number>, from: string, to: string): number | undefined {
  return comet[from] !== undefined && comet[to] !== undefined ? comet[to] - comet[from] : undefined;
}

const bundleLoadMs = (comet: Record<string, number>) => markSpan(comet, 'comet/willLoadChatBundle', 'comet/didLoadChatBundle');

/** Appends this window load's figures to the run's file, and reports a pass to the harness (read like mocha's). */
function record(out: string, result: object): void {
  const previous = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as unknown[]) : [];
  fs.writeFileSync(out, JSON.stringify([...previous, result]));
  if (process.env.COMET_TEST_RESULT) fs.writeFileSync(process.env.COMET_TEST_RESULT, JSON.stringify({ failures: 0, passes: 1, tests: 1 }));
}
