// Runs inside the real VS Code extension host (through the test harness), with Comet's webview in Chromium: a
// loopback server streams 5,000 tiny deltas; a raw `openai` SDK loop over that stream and Comet's whole path (ask ->
// the webview shows the answer `done`) are timed side by side, alternating. Then a CPU profile of the host (inspector)
// and of the webview (CDP, through the bridge) for one more Comet run, and the host's heap with a restored
// conversation of 1,000 and of 10,000 messages.
//
// Clocks: every timestamp is `performance.timeOrigin + performance.now()` (epoch ms, sub-ms) on its own side: the
// extension host's Node and the webview's Chromium on the same machine read the same system clock. The offset between
// the two is estimated with a bridge round trip and reported; it is well under a millisecond plus half the round trip.
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import OpenAI from 'openai';
import * as vscode from 'vscode';
import { Conversation } from '../../../src/core/conversation';
import { DeltaBatcher } from '../../../src/core/deltaBatcher';
import { ConversationStore } from '../../../src/node/conversationStore';
import { findFiles, setUpComet, TEST_KEY, userDataDir } from '../../integration/helpers';
import { entries, entrySelector, evaluate, profileWebview, waitFor } from '../../integration/webview';
import { textReply, type OpenAITestServer } from '../../support/openaiTestServer';

export const STREAM_DELTAS = 5000;
export const STREAM_RUNS = 7;
const HEAP_SIZES = [1000, 10_000];

const now = () => performance.timeOrigin + performance.now();

/** Tiny deltas: one short word each, a paragraph break every 100. */
function pieces(): string[] {
  return Array.from({ length: STREAM_DELTAS }, (_, i) => (i % 100 === 99 ? `w${i}.\n\n` : `w${i} `));
}
const EXPECTED_END = `w${STREAM_DELTAS - 1}`;

/** When the SDK got its bytes: the first read that carries a non-empty content delta, and the read that ended the body. */
interface WireTimes {
  fetchAt: number;
  firstContentAt?: number;
  lastReadAt?: number;
}

/**
 * Wraps the global fetch (which Comet and the SDK look up per call) so that each response body read is stamped as the
 * SDK takes it. The SDK parses and yields the chunks of a read synchronously after it, so this is the SDK's yield
 * within microseconds. The same wrapper is on for both the raw loop and Comet.
 */
function stampFetch(): { times: WireTimes[]; restore(): void } {
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
const WATCH_DONE = `(() => {
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
    if (type === 'entryUpdated' && event.data.entry && event.data.entry.state === 'done') marks.doneMessage = t();
  }, true);
  return true;
})()`;

interface Marks { firstText?: number; done?: number; painted?: number; firstDeltaMessage?: number; doneMessage?: number }

async function newEmptyChat(): Promise<void> {
  await vscode.commands.executeCommand('comet.newChat');
  await waitFor('an empty chat', async () => (await entries()).length === 0);
}

interface RawRun {
  totalMs: number;
  wire: WireTimes;
  /** The SDK read the first content -> the loop has it; the SDK read the last chunk -> the loop ends. What any
   *  consumer in this host waits for, before anything of it can be posted anywhere. */
  firstReadToLoopMs: number;
  lastReadToEndMs: number;
}

async function rawSdkRun(server: OpenAITestServer, wire: WireTimes[]): Promise<RawRun> {
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

interface CometRun {
  /** ask -> the webview shows `done`. */
  totalMs: number;
  /** ask -> Comet calls fetch. */
  beforeFetchMs: number;
  /** The SDK got the first content delta -> it is in the webview's DOM. */
  firstDeltaToDomMs: number;
  /** The SDK read the end of the stream -> the webview shows `done`. */
  doneAfterLastChunkMs: number;
  /** `done` in the DOM -> the next animation frame (painted). */
  doneToFrameMs: number;
  /** Of (c) and (d): the SDK's read -> the message arrives in the webview (the host's part and the relay). */
  firstDeltaToMessageMs?: number;
  doneToMessageMs?: number;
}

/** Profiles started right before the question and stopped once it is done, so they cover the stream only. */
interface Watch { start(): Promise<unknown>; stop(): Promise<unknown> }

async function cometRun(wire: WireTimes[], watch?: Watch): Promise<CometRun> {
  await newEmptyChat();
  await evaluate(WATCH_DONE);
  await watch?.start();
  const before = wire.length;
  const asked = now();
  void vscode.commands.executeCommand('comet.ask', 'Stream please');
  // The webview stamps its own times; polling it seldom keeps the bridge's evaluations out of the way of the stream.
  let marks: Marks = {};
  for (const deadline = Date.now() + 120_000; marks.painted === undefined; ) {
    if (Date.now() > deadline) throw new Error(`the streamed answer was not done in the panel: ${JSON.stringify(marks)}`);
    await new Promise(resolve => setTimeout(resolve, 250));
    marks = await evaluate<Marks>('window.__cometBench');
  }
  await watch?.stop();
  const stamp = wire[before];
  if (!stamp?.firstContentAt || !stamp.lastReadAt || marks.firstText === undefined) throw new Error('a timestamp is missing');
  return {
    totalMs: marks.done! - asked,
    beforeFetchMs: stamp.fetchAt - asked,
    firstDeltaToDomMs: marks.firstText - stamp.firstContentAt,
    doneAfterLastChunkMs: marks.done! - stamp.lastReadAt,
    doneToFrameMs: marks.painted! - marks.done!,
    firstDeltaToMessageMs: marks.firstDeltaMessage === undefined ? undefined : marks.firstDeltaMessage - stamp.firstContentAt,
    doneToMessageMs: marks.doneMessage === undefined ? undefined : marks.doneMessage - stamp.lastReadAt,
  };
}

/** webview clock - host clock, from a bridge round trip (and the round trip, its bound). */
async function clockOffset(): Promise<{ offsetMs: number; roundTripMs: number }> {
  const samples: Array<{ offsetMs: number; roundTripMs: number }> = [];
  for (let i = 0; i < 5; i++) {
    const sent = now();
    const there = await evaluate<number>('performance.timeOrigin + performance.now()');
    const back = now();
    samples.push({ offsetMs: there - (sent + back) / 2, roundTripMs: back - sent });
  }
  return samples.sort((a, b) => a.roundTripMs - b.roundTripMs)[0];
}

const RELAY_SAMPLES = 30;
const RELAY_LOADED_STREAMS = 5;
const RELAY_GAP_MS = 5;

/** Rejects after `ms`: a bench that waits on the workbench must not hang until the harness gives up. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

interface Relay { toWebviewMs: number[]; roundTripMs: number[]; busyMs: number[] }

/** A webview panel of the bench's own (no Comet in it) running `script` (with `vscode` = acquireVsCodeApi() and
 *  `now()`); resolves once its script has posted `{ ready: true }`. `onMessage` hears what it posts after that. */
async function benchPanel(title: string, script: string, onMessage: (message: Record<string, unknown>) => void): Promise<vscode.WebviewPanel> {
  const panel = vscode.window.createWebviewPanel('cometBench', title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true });
  const nonce = Math.random().toString(36).slice(2);
  const ready = new Promise<void>(resolve => panel.webview.onDidReceiveMessage((message: Record<string, unknown>) => (message.ready ? resolve() : onMessage(message))));
  panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'"></head>
<body><pre id="out"></pre><script nonce="${nonce}">const vscode = acquireVsCodeApi(); const now = () => performance.timeOrigin + performance.now();
${script}
vscode.postMessage({ ready: true });</script></body></html>`;
  try {
    await within(ready, 30_000, `the ${title} panel to load`);
  } catch (error) {
    panel.dispose();
    throw error;
  }
  return panel;
}

/** A bare message from this extension host to a webview of its own and back, idle (`RELAY_SAMPLES` times) and while a
 *  raw SDK loop streams in this host (`load`, `RELAY_LOADED_STREAMS` times; only the messages sent between the
 *  stream's first and last read count): the relay that (c) and (d) ride on, with nothing of Comet in it. */
async function webviewRelay(load: () => Promise<RawRun>): Promise<Relay> {
  const replies = new Map<number, (at: number) => void>();
  const panel = await benchPanel('Relay', "addEventListener('message', event => vscode.postMessage({ sent: event.data.sent, at: now() }));", message => {
    if (typeof message.sent === 'number' && typeof message.at === 'number') replies.get(message.sent)?.(message.at);
  });
  /** One message there and back: [sent, there, back]. */
  const sample = async (): Promise<[number, number, number]> => {
    const sent = now();
    const reply = new Promise<number>(resolve => replies.set(sent, resolve));
    let at: number;
    try {
      if (!(await panel.webview.postMessage({ sent }))) throw new Error('the relay panel took no message');
      at = await within(reply, 10_000, 'a relay reply');
    } finally {
      replies.delete(sent);
    }
    const back = now();
    await new Promise(resolve => setTimeout(resolve, RELAY_GAP_MS));
    return [sent, at, back];
  };
  const relay: Relay = { toWebviewMs: [], roundTripMs: [], busyMs: [] };
  try {
    for (let i = 0; i < RELAY_SAMPLES; i++) {
      const [sent, at, back] = await sample();
      relay.toWebviewMs.push(at - sent);
      relay.roundTripMs.push(back - sent);
    }
    for (let round = 0; round < RELAY_LOADED_STREAMS; round++) {
      let streaming = true;
      const loaded = load().finally(() => (streaming = false));
      const samples: Array<[number, number, number]> = [];
      while (streaming) samples.push(await sample());
      const { wire } = await loaded;
      for (const [sent, at] of samples) if (sent >= wire.firstContentAt! && sent <= wire.lastReadAt!) relay.busyMs.push(at - sent);
    }
  } finally {
    panel.dispose();
  }
  return relay;
}

/** (a), (e) and (b) in turn, `STREAM_RUNS` rounds, with the floor's panel open beside the chat for all three. */
interface FloorRounds {
  rawMs: number[];
  floorMs: number[];
  cometMs: number[];
  /** (e)'s own (c) and (d): the SDK read the first content -> in the bare panel's DOM; read the last -> its end there. */
  floorFirstToDomMs: number[];
  floorLastToDomMs: number[];
}

/**
 * (e), the least a webview chat can do with this stream: the raw SDK loop of (a), its deltas coalesced per frame by
 * Comet's own DeltaBatcher and posted to a bare webview of the bench's own, which appends each to its DOM; from the
 * client's construction until that DOM holds the last delta. Comet's (b) does this and what an answer needs besides
 * (the conversation, the markdown, the footer, the save): (b)/(e) is Comet's own part.
 */
async function minimalChatRounds(server: OpenAITestServer, wire: WireTimes[]): Promise<FloorRounds> {
  const ends = new Map<number, (done: { at: number; firstAt: number; length: number }) => void>();
  const panel = await benchPanel('Floor', `const out = document.getElementById('out');
let firstAt;
addEventListener('message', event => {
  const message = event.data;
  if (message.type === 'assistantDelta') { out.append(message.text); firstAt ??= now(); }
  if (message.end !== undefined) {
    const length = out.textContent.length;
    vscode.postMessage({ end: message.end, at: now(), firstAt, length });
    out.replaceChildren();
    firstAt = undefined;
  }
});`, message => {
    if (typeof message.end === 'number' && typeof message.at === 'number') ends.get(message.end)?.({ at: message.at, firstAt: Number(message.firstAt), length: Number(message.length) });
  });
  const expectedLength = pieces().join('').length;
  const floorRun = async (): Promise<{ totalMs: number; firstToDomMs: number; lastToDomMs: number }> => {
    const started = now();
    const before = wire.length;
    const client = new OpenAI({ apiKey: TEST_KEY, baseURL: server.baseUrl, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'gpt-5.4-mini', messages: [{ role: 'user', content: 'Stream please' }], stream: true, stream_options: { include_usage: true } });
    const batcher = new DeltaBatcher('floor', message => void panel.webview.postMessage(message));
    try {
      for await (const chunk of stream) {
        const content = chunk.choices[0]?.delta?.content ?? '';
        if (content) batcher.add(content, '');
      }
      batcher.flush();
    } finally {
      batcher.dispose();
    }
    const end = new Promise<{ at: number; firstAt: number; length: number }>(resolve => ends.set(started, resolve));
    try {
      if (!(await panel.webview.postMessage({ end: started }))) throw new Error('the floor panel took no message');
      const done = await within(end, 10_000, 'the floor panel to have the last delta');
      if (done.length !== expectedLength) throw new Error(`the floor panel has ${done.length} of ${expectedLength} characters`);
      const stamp = wire[before];
      return { totalMs: done.at - started, firstToDomMs: done.firstAt - stamp.firstContentAt!, lastToDomMs: done.at - stamp.lastReadAt! };
    } finally {
      ends.delete(started);
    }
  };
  const rounds: FloorRounds = { rawMs: [], floorMs: [], cometMs: [], floorFirstToDomMs: [], floorLastToDomMs: [] };
  try {
    await floorRun();
    for (let i = 0; i < STREAM_RUNS; i++) {
      rounds.rawMs.push((await rawSdkRun(server, wire)).totalMs);
      const floor = await floorRun();
      rounds.floorMs.push(floor.totalMs);
      rounds.floorFirstToDomMs.push(floor.firstToDomMs);
      rounds.floorLastToDomMs.push(floor.lastToDomMs);
      rounds.cometMs.push((await cometRun(wire)).totalMs);
    }
  } finally {
    panel.dispose();
  }
  return rounds;
}

function post<T>(session: inspector.Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
}

/** A CPU profile of this extension host's thread, from start() to stop(), written to `file`. */
function hostProfiler(file: string): Watch {
  const session = new inspector.Session();
  return {
    async start() {
      session.connect();
      await post(session, 'Profiler.enable');
      await post(session, 'Profiler.setSamplingInterval', { interval: 100 });
      await post(session, 'Profiler.start');
    },
    async stop() {
      const { profile } = await post<{ profile: unknown }>(session, 'Profiler.stop');
      session.disconnect();
      fs.writeFileSync(file, JSON.stringify(profile));
    },
  };
}

const gc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
})();

function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** A conversation of `messages` entries, half questions and half answers of a few hundred characters. */
function bigConversation(messages: number): Conversation {
  const conversation = new Conversation();
  for (let i = 0; i < messages / 2; i++) {
    conversation.addUser(`Question ${i}: how does part ${i} of the code work?`, `Question ${i}: how does part ${i} of the code work?`);
    const answer = conversation.addAssistant('gpt-5.4-mini');
    const text = `Answer ${i}. ${'It reads the input, checks it and writes the result. '.repeat(6)}\n\n\`\`\`ts\nconst x${i} = ${i};\n\`\`\``;
    Object.assign(answer, { text, state: 'done', usage: { promptTokens: 100 + i, completionTokens: 80 } });
    conversation.setTranscript(answer.id, [{ role: 'assistant', content: text }]);
  }
  return conversation;
}

/** Saves big conversations into the store Comet uses, switches to each (Comet restores it) and reads the host's heap,
 *  then, once the panel shows every entry, its DOM's element count. */
async function heapWithConversations(): Promise<Array<{ messages: number; jsonMiB: number; heapMiB: number; domNodes: number }>> {
  await newEmptyChat();
  const index = findFiles(path.join(userDataDir(), 'User'), file => /comet\.comet-vscode[\\/]workspaces[\\/][^\\/]+[\\/]conversations[\\/]index\.json$/.test(file))[0];
  if (!index) throw new Error('Comet has no conversation store yet');
  const store = new ConversationStore(path.dirname(index), { warn: message => console.warn(message) });
  const domNodes = () => evaluate<number>('document.getElementsByTagName("*").length');
  const rows = [{ messages: 0, jsonMiB: 0, heapMiB: heapMiB(), domNodes: await domNodes() }];
  try {
    for (const messages of HEAP_SIZES) {
      let conversation: Conversation | undefined = bigConversation(messages);
      const id = conversation.id;
      const jsonMiB = JSON.stringify(conversation.toJSON()).length / 1024 / 1024;
      await store.save(conversation.toJSON(), conversation.summary());
      conversation = undefined;
      // The command resolves once the host has read the conversation and posted it to the panel: the host's heap is
      // what is asked here (the panel's own cost is the webview bench's), so it is read then, not after the panel drew.
      await vscode.commands.executeCommand('comet.switchConversation', id);
      await new Promise(resolve => setTimeout(resolve, 500));
      const heap = heapMiB();
      await waitFor(`the panel to show all ${messages} entries`, () => evaluate<boolean>(`document.querySelectorAll('${entrySelector()}').length === ${messages}`), 120_000);
      rows.push({ messages, jsonMiB, heapMiB: heap, domNodes: await domNodes() });
      console.log(`[bench] heap with ${messages} messages: ${rows.at(-1)!.heapMiB.toFixed(1)} MiB`);
    }
  } finally {
    store.dispose();
  }
  await newEmptyChat();
  return rows;
}

export async function run(): Promise<void> {
  const out = process.env.COMET_BENCH_OUT;
  const profiles = process.env.COMET_BENCH_PROFILES;
  if (!out || !profiles) throw new Error('bench set-up incomplete: COMET_BENCH_OUT / COMET_BENCH_PROFILES');
  fs.mkdirSync(profiles, { recursive: true });
  const server = await setUpComet();
  const wire = stampFetch();
  try {
    server.fallback = textReply(pieces());
    await vscode.commands.executeCommand('comet.chatView.focus');
    await waitFor('the chat to show', async () => (await entries()) !== undefined);
    // Warm both paths once (JIT, the SDK's modules, the webview's markdown), untimed.
    await rawSdkRun(server, wire.times);
    await cometRun(wire.times);
    const raw: RawRun[] = [];
    const comet: CometRun[] = [];
    for (let i = 0; i < STREAM_RUNS; i++) {
      raw.push(await rawSdkRun(server, wire.times));
      comet.push(await cometRun(wire.times));
      console.log(`[bench] streaming run ${i + 1}: raw ${raw[i].totalMs.toFixed(1)} ms, Comet ${comet[i].totalMs.toFixed(1)} ms`);
    }
    const clock = await clockOffset();

    // Profiles of one more run of each, untimed (profiling slows what it watches).
    const rawProfile = hostProfiler(path.join(profiles, 'host-raw-sdk.cpuprofile'));
    await rawProfile.start();
    await rawSdkRun(server, wire.times);
    await rawProfile.stop();
    const cometProfile = hostProfiler(path.join(profiles, 'host-comet.cpuprofile'));
    await cometRun(wire.times, {
      start: async () => Promise.all([profileWebview('start'), cometProfile.start()]),
      stop: async () => Promise.all([cometProfile.stop(), profileWebview('stop', path.join(profiles, 'webview-comet.cpuprofile'))]),
    });

    const results = {
      deltas: STREAM_DELTAS,
      runs: STREAM_RUNS,
      rawMs: raw.map(r => r.totalMs),
      rawFirstToLastReadMs: raw.map(r => r.wire.lastReadAt! - r.wire.firstContentAt!),
      rawFirstReadToLoopMs: raw.map(r => r.firstReadToLoopMs),
      rawLastReadToEndMs: raw.map(r => r.lastReadToEndMs),
      comet,
      clock,
      profiles,
    };
    // Written before each later part too, so that a part that fails keeps what came before.
    fs.writeFileSync(out, JSON.stringify(results));
    const relay = await webviewRelay(() => rawSdkRun(server, wire.times)).catch((error: unknown) => {
      console.warn(`[bench] the relay measurement failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    fs.writeFileSync(out, JSON.stringify({ ...results, relay }));
    const floor = await minimalChatRounds(server, wire.times).catch((error: unknown) => {
      console.warn(`[bench] the floor measurement failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    fs.writeFileSync(out, JSON.stringify({ ...results, relay, floor }));
    fs.writeFileSync(out, JSON.stringify({ ...results, relay, floor, heap: await heapWithConversations() }));
    // The harness reads this like a mocha result.
    if (process.env.COMET_TEST_RESULT) fs.writeFileSync(process.env.COMET_TEST_RESULT, JSON.stringify({ failures: 0, passes: 1, tests: 1 }));
  } finally {
    wire.restore();
    await server.close();
  }
}
