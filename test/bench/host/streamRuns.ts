// The streaming bench's two sides over one loopback stream of 5,000 tiny deltas: (a) a raw `openai` SDK loop in this
// extension host and (b) Comet's whole path (ask -> the webview shows the answer `done`), with the SDK's read times
// stamped on the way in and the webview's own times stamped in the panel.
//
// Clocks: every timestamp is `performance.timeOrigin + performance.now()` (epoch ms, sub-ms) on its own side: the
// extension host's Node and the webview's Chromium on the same machine read the same system clock. The offset between
// the two is estimated with a bridge round trip and reported; it is well under a millisecond plus half the round trip.
import OpenAI from 'openai';
import * as vscode from 'vscode';
import { TEST_KEY } from '../../integration/helpers';
import { entries, evaluate, waitFor } from '../../integration/webview';
import type { OpenAITestServer } from '../../support/openaiTestServer';
import { ANSWER_MARK } from '../../../src/core/liveAnswer';

export const STREAM_DELTAS = 5000;
export const STREAM_RUNS = 7;
export const now = () => performance.timeOrigin + performance.now();

/** Tiny deltas: one short word each, a paragraph break every 100. */
export function pieces(): string[] {
  return Array.from({ length: STREAM_DELTAS }, (_, i) => (i % 100 === 99 ? `w${i}.\n\n` : `w${i} `));
}
const EXPECTED_END = `w${STREAM_DELTAS - 1}`;

/** When the SDK got its bytes: the first read that carries a non-empty content delta, and the read that ended the body. */
export interface WireTimes {
  fetchAt: number;
  firstContentAt?: number;
  lastReadAt?: number;
}

/**
 * Wraps the global fetch (which Comet and the SDK look up per call) so that each response body read is stamped as the
 * SDK takes it. The SDK parses and yields the chunks of a read synchronously after it, so this is the SDK's yield
 * within microseconds. The same wrapper is on for both the raw loop and Comet.
 */
export function stampFetch(): { times: WireTimes[]; restore(): void } {
  const original = globalThis.fetch;
  const times: WireTimes[] = [];
  globalThis.fetch = async (input, init) => {
    const stamp: WireTimes = { fetchAt: now() };
    const response = await original(input, init);
    if (!String(input instanceof Request ? input.url : input).endsWith('/chat/completions') || !response.body) return response;
    times.push(stamp);
    const decoder = new TextDecoder();
    const body = response.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const at = now();
        if (stamp.firstContentAt === undefined && /"content":"[^"]/.test(decoder.decode(chunk, { stream: true }))) stamp.firstContentAt = at;
        stamp.lastReadAt = at;
        controller.enqueue(chunk);
      },
    }));
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return { times, restore: () => (globalThis.fetch = original) };
}

/** Installed in the chat webview: stamps when the last answer first shows text, and when it shows `done`. */
export const WATCH_DONE = `(() => {
  const t = () => performance.timeOrigin + performance.now();
  const marks = (window.__cometBench = {});
  const list = document.getElementById('messages');
  const check = () => {
    const answer = list.querySelector(':scope > [data-role=assistant]:last-of-type');
    if (!answer) return;
    if (marks.firstText === undefined && answer.querySelector('.md-block, p')?.textContent) marks.firstText = t();
    if (marks.done === undefined && answer.dataset.state === 'done' && answer.textContent.includes(${JSON.stringify(EXPECTED_END)})) {
      marks.done = t();
      requestAnimationFrame(() => (marks.painted = t()));
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(list, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-state'] });
  // When the host's messages arrive (before the panel's own handler, which listens in the bubbling phase); one
  // listener at a time, however many runs install this.
  if (window.__cometBenchArrivals) removeEventListener('message', window.__cometBenchArrivals, true);
  addEventListener('message', window.__cometBenchArrivals = event => {
    const type = event.data && event.data.type;
    if (type === 'assistantDelta' && marks.firstDeltaMessage === undefined) marks.firstDeltaMessage = t();
    if (type === 'entryUpdated' && marks.doneMessage === undefined && event.data.entry && event.data.entry.state === 'done' && String(event.data.entry.text).includes(${JSON.stringify(EXPECTED_END)})) marks.doneMessage = t();
  }, true);
  return true;
})()`;

interface Marks { firstText?: number; done?: number; painted?: number; firstDeltaMessage?: number; doneMessage?: number }

export async function newEmptyChat(): Promise<void> {
  await vscode.commands.executeCommand('comet.newChat');
  await waitFor('an empty chat', async () => (await entries()).length === 0);
}

export interface RawRun {
  totalMs: number;
  wire: WireTimes;
  /** The SDK read the first content -> the loop has it; the SDK read the last chunk -> the loop ends. What any
   *  consumer in this host waits for, before anything of it can be posted anywhere. */
  firstReadToLoopMs: number;
  lastReadToEndMs: number;
}

export async function rawSdkRun(server: OpenAITestServer, wire: WireTimes[]): Promise<RawRun> {
  // Built per run, as Comet builds its backend per answer.
  const started = now();
  const client = new OpenAI({ apiKey: TEST_KEY, baseURL: server.baseUrl, maxRetries: 0 });
  const stream = await client.chat.completions.create({
    model: 'gpt-5.4-mini',
    messages: [{ role: 'user', content: 'Stream please' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let firstAt: number | undefined;
  for await (const chunk of stream) {
    const content = chunk.choices[0]?.delta?.content ?? '';
    if (content && firstAt === undefined) firstAt = now();
    text += content;
  }
  const ended = now();
  if (!text.includes(EXPECTED_END)) throw new Error('the raw SDK loop did not get the whole stream');
  const stamp = wire[wire.length - 1];
  return { totalMs: ended - started, wire: stamp, firstReadToLoopMs: firstAt! - stamp.firstContentAt!, lastReadToEndMs: ended - stamp.lastReadAt! };
}

export interface CometRun {
  /** ask -> the webview shows `done`. */
  totalMs: number;
  /** ask -> Comet calls fetch. */
  beforeFetchMs: number;
  /** The SDK got the first content delta -> it is in the webview's DOM. */
  firstDeltaToDomMs: number;
  /** The SDK read the end of the stream -> the webview shows `done`. */
  doneAfterLastChunkMs: number;
  /** ask -> the answer's `done` message arrives in the webview (before the panel handles it). */
  totalToDoneMessageMs?: number;
  /** `done` in the DOM -> the next animation frame (painted). */
  doneToFrameMs: number;
  /** Of (c) and (d): the SDK's read -> the message arrives in the webview (the host's part and the relay). */
  firstDeltaToMessageMs?: number;
  doneToMessageMs?: number;
  /** Of (b): fetch -> the SDK read the first content; that read -> the SDK read the end of the body. */
  fetchToFirstContentMs: number;
  firstToLastReadMs: number;
  /** When the SDK read the first content (the start of (c)), on this host's clock. */
  firstContentAt: number;
  /** Of (c) and (d): the SDK's read -> Comet posts the message (the host's part alone, from Comet's own marks). */
  firstDeltaToPostMs: number;
  doneToPostMs: number;
}

/** Profiles started right before the question and stopped once it is done, so they cover the stream only. */
export interface Watch { start(): Promise<unknown>; stop(): Promise<unknown> }

export async function cometRun(wire: WireTimes[], watch?: Watch): Promise<CometRun> {
  await newEmptyChat();
  await evaluate(WATCH_DONE);
  await watch?.start();
  const before = wire.length;
  for (const name of Object.values(ANSWER_MARK)) performance.clearMarks(name);
  const asked = now();
  void vscode.commands.executeCommand('comet.ask', 'Stream please');
  // The webview stamps its own times.
  const marks = await pollMarks<Marks>('window.__cometBench', m => m.painted !== undefined, 'the streamed answer done in the panel');
  await watch?.stop();
  const stamp = wire[before];
  if (!stamp?.firstContentAt || !stamp.lastReadAt || marks.firstText === undefined) throw new Error('a timestamp is missing');
  return {
    totalMs: marks.done! - asked,
    totalToDoneMessageMs: marks.doneMessage === undefined ? undefined : marks.doneMessage - asked,
    firstContentAt: stamp.firstContentAt,
    beforeFetchMs: stamp.fetchAt - asked,
    fetchToFirstContentMs: stamp.firstContentAt - stamp.fetchAt,
    firstToLastReadMs: stamp.lastReadAt - stamp.firstContentAt,
    firstDeltaToDomMs: marks.firstText - stamp.firstContentAt,
    doneAfterLastChunkMs: marks.done! - stamp.lastReadAt,
    doneToFrameMs: marks.painted! - marks.done!,
    firstDeltaToMessageMs: marks.firstDeltaMessage === undefined ? undefined : marks.firstDeltaMessage - stamp.firstContentAt,
    doneToMessageMs: marks.doneMessage === undefined ? undefined : marks.doneMessage - stamp.lastReadAt,
    firstDeltaToPostMs: latestMark(ANSWER_MARK.firstWordsPosted) - stamp.firstContentAt,
    doneToPostMs: latestMark(ANSWER_MARK.endPosted) - stamp.lastReadAt,
  };
}

/**
 * Installed in the chat webview for one answer: keeps the answer's messages (its entries and deltas) from the panel's
 * own handler (capture phase, ahead of it), so the panel draws nothing of the answer, and stamps when the answer's
 * `done` arrives (with the whole text). The rest (busy, the status, the list) still reaches the panel. What is left is
 * Comet's host, its messages and their relay: beside (b), up to the same `done` message, that splits Comet's cost at
 * the webview.
 */
const MUTE_PANEL = `(() => {
  const marks = (window.__cometBenchMuted = {});
  const answerTypes = ['entryAdded', 'entryUpdated', 'assistantDelta', 'toolCallUpdated'];
  addEventListener('message', window.__cometBenchMute = event => {
    const data = event.data;
    if (!data || !answerTypes.includes(data.type)) return;
    if (data.type === 'entryUpdated' && marks.doneMessage === undefined && data.entry && data.entry.state === 'done' && String(data.entry.text).includes(${JSON.stringify(EXPECTED_END)})) {
      marks.doneMessage = performance.timeOrigin + performance.now();
    }
    event.stopImmediatePropagation();
  }, true);
  return true;
})()`;
/** Lets the answer's messages through again, and notes when the next chat's `cleared` arrives. */
const UNMUTE_PANEL = `(() => {
  removeEventListener('message', window.__cometBenchMute, true);
  window.__cometBenchCleared = false;
  addEventListener('message', function cleared(event) {
    if (event.data && event.data.type === 'cleared') { window.__cometBenchCleared = true; removeEventListener('message', cleared, true); }
  }, true);
  return true;
})()`;

export interface MutedRun {
  /** ask -> the answer's `done` message arrives in the (muted) webview. */
  totalMs: number;
  /** The SDK read the first content -> it read the end of the body. */
  firstToLastReadMs: number;
}

/** Comet's whole path with its webview drawing nothing of the answer (MUTE_PANEL); a new chat puts the panel right. */
export async function cometMutedRun(wire: WireTimes[]): Promise<MutedRun> {
  await newEmptyChat();
  await evaluate(MUTE_PANEL);
  try {
    const before = wire.length;
    const asked = now();
    void vscode.commands.executeCommand('comet.ask', 'Stream please');
    const marks = await pollMarks<{ doneMessage?: number }>('window.__cometBenchMuted', m => m.doneMessage !== undefined, "the muted answer's done, with the whole text, in the webview");
    const stamp = wire[before];
    if (!stamp?.firstContentAt || !stamp.lastReadAt) throw new Error('a timestamp is missing');
    return { totalMs: marks.doneMessage! - asked, firstToLastReadMs: stamp.lastReadAt - stamp.firstContentAt };
  } finally {
    await evaluate(UNMUTE_PANEL);
    // The panel missed this answer's messages: the next chat's `cleared` (waited for, as the panel shows no entry
    // either way) puts it right.
    await vscode.commands.executeCommand('comet.newChat');
    await waitFor('the next chat in the panel', () => evaluate<boolean>('window.__cometBenchCleared === true'));
  }
}

/** Reads the webview's marks every 250 ms (seldom, so that the bridge keeps out of the stream's way) until `done`. */
async function pollMarks<T extends object>(expression: string, done: (marks: T) => boolean, what: string): Promise<T> {
  for (const deadline = Date.now() + 120_000; ; ) {
    await new Promise(resolve => setTimeout(resolve, 250));
    const marks = (await evaluate<T | undefined>(expression)) ?? ({} as T);
    if (done(marks)) return marks;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(marks)}`);
  }
}

/** When Comet's latest mark of that name was set, on the clock of the bench's stamps (Comet runs in this host). */
function latestMark(name: string): number {
  const mark = performance.getEntriesByName(name, 'mark').at(-1);
  if (!mark) throw new Error(`Comet set no ${name} mark`);
  return performance.timeOrigin + mark.startTime;
}

/** webview clock - host clock, from a bridge round trip (and the round trip, its bound). */
export async function clockOffset(): Promise<{ offsetMs: number; roundTripMs: number }> {
  const samples: Array<{ offsetMs: number; roundTripMs: number }> = [];
  for (let i = 0; i < 5; i++) {
    const sent = now();
    const there = await evaluate<number>('performance.timeOrigin + performance.now()');
    const back = now();
    samples.push({ offsetMs: there - (sent + back) / 2, roundTripMs: back - sent });
  }
  return samples.sort((a, b) => a.roundTripMs - b.roundTripMs)[0];
}
