// Webview panels of the bench's own, with nothing of Comet in them: the relay (a bare message there and back, idle
// and while a raw SDK loop streams) and the floor (e), the least a webview chat does with the stream.
import * as path from 'node:path';
import OpenAI from 'openai';
import * as vscode from 'vscode';
import { DeltaBatcher } from '../../../src/core/deltaBatcher';
import { TEST_KEY } from '../../integration/helpers';
import { profileWebview, watchSocketFrames } from '../../integration/webview';
import { watchHostWrites } from './hostWrites';
import type { OpenAITestServer } from '../../support/openaiTestServer';
import { cometMutedRun, cometRun, now, pieces, rawSdkRun, STREAM_RUNS, type RawRun, type WireTimes } from './streamRuns';

const RELAY_SAMPLES = 30;
const RELAY_LOADED_STREAMS = 5;
const RELAY_GAP_MS = 5;
const WATCHED_RUNS = 5;

/** Rejects after `ms`: a bench that waits on the workbench must not hang until the harness gives up. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export interface Relay { toWebviewMs: number[]; roundTripMs: number[]; busyMs: number[] }

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
export async function webviewRelay(load: () => Promise<RawRun>): Promise<Relay> {
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
export interface FloorRounds {
  rawMs: number[];
  floorMs: number[];
  cometMs: number[];
  /** (b) until its `done` message arrives in the webview; and (b) with its webview muted (`cometMutedRun`), until
   *  the same message: Comet's host and the relay, with nothing of the answer drawn. */
  cometToDoneMessageMs: number[];
  cometMutedMs: number[];
  /** Each round's stream phase (the SDK read the first content -> it read the end of the body), for (a), (e), (b) and
   *  muted (b): what the host's loop does beside the fold shows there. */
  streamPhaseMs: { raw: number[]; floor: number[]; comet: number[]; cometMuted: number[] };
  /** (e)'s own (c) and (d): the SDK read the first content -> in the bare panel's DOM; read the last -> its end there. */
  floorFirstToDomMs: number[];
  floorLastToDomMs: number[];
  /** The first delta's way, part by part, for (e) and for Comet's (c), `WATCHED_RUNS` rounds each. */
  /** `floorStatusChange`: (e) again, with a status bar item of the bench's own changed to a spinning icon as the request
   *  goes out; `floorStatusStill`: the same change to an icon that does not move. */
  firstDeltaWay?: { floor: FirstDeltaWay[]; floorStatusChange: FirstDeltaWay[]; floorStatusStill: FirstDeltaWay[]; comet: FirstDeltaWay[]; profiled: ProfiledWindow[] };
}

/** A renderer profile of a watched Comet answer, and in it (profile µs) the window from the renderer handling the first
 *  delta's frame to the message event in the webview. */
export interface ProfiledWindow { file: string; fromUs: number; toUs: number; way: FirstDeltaWay }

/**
 * From the SDK's read of the first content: until the host posts it; until the host's RPC writer hands that message to
 * the connection (into the deflater, or written as it is); until the deflater gives its frame back (NaN: no
 * compression); until the renderer handles the WebSocket frame that carries it; until the message event in the
 * webview (the workbench hands it to the webview's frame); until it is in the DOM.
 */
export interface FirstDeltaWay { postMs: number; writerMs: number; deflatedMs: number; frameMs: number; messageMs: number; domMs: number }

const DELTA_MARKER = 'assistantDelta';

/** One answer's first delta, part by part: the watches cover this answer alone, so at each step the first message
 *  that carries a delta is its first (the page's clock is not the host's, so no step is matched by its time). */
async function firstDeltaWay(answer: () => Promise<{ readAt: number; postAt: number; messageAt: number; domAt: number }>, profileFile?: string): Promise<FirstDeltaWay & { profiled?: ProfiledWindow }> {
  await watchSocketFrames('start', DELTA_MARKER);
  const host = watchHostWrites(DELTA_MARKER);
  let way: Awaited<ReturnType<typeof answer>>;
  let writes: ReturnType<typeof host.take>;
  let frames: Awaited<ReturnType<typeof watchSocketFrames>> | undefined;
  try {
    if (profileFile) await profileWebview('start');
    way = await answer();
  } finally {
    // Whatever failed: the host's prototypes restored, the profile and the CDP watch ended.
    writes = host.take();
    if (profileFile) await profileWebview('stop', profileFile).catch(() => undefined);
    frames = await watchSocketFrames('take').catch(() => undefined);
  }
  if (!frames) throw new Error('the WebSocket frame watch ended without a result');
  const { arrivals, timeOrigin, navigationStart } = frames;
  const written = Math.min(...writes.deflateInAt, ...writes.plainWriteAt);
  const frame = arrivals[0]?.at;
  if (!Number.isFinite(written) || frame === undefined) throw new Error(`the first delta was not seen on its way (${writes.deflateInAt.length + writes.plainWriteAt.length} writes, ${arrivals.length} frames carried deltas)`);
  const deflated = writes.deflateInAt.includes(written) ? writes.deflatedAt.find(at => at >= written) : undefined;
  const parts: FirstDeltaWay = {
    postMs: way.postAt - way.readAt,
    writerMs: written - way.readAt,
    deflatedMs: deflated === undefined ? NaN : deflated - way.readAt,
    frameMs: frame - way.readAt,
    messageMs: way.messageAt - way.readAt,
    domMs: way.domAt - way.readAt,
  };
  const profileUs = (pageMs: number) => (pageMs - timeOrigin + navigationStart * 1000) * 1000;
  return profileFile ? { ...parts, profiled: { file: profileFile, fromUs: profileUs(frame), toUs: profileUs(way.messageAt), way: parts } } : parts;
}

/**
 * (e), the least a webview chat can do with this stream: the raw SDK loop of (a), its deltas coalesced per frame by
 * Comet's own DeltaBatcher and posted to a bare webview of the bench's own, which appends each to its DOM; from the
 * client's construction until that DOM holds the last delta. Comet's (b) does this and what an answer needs besides
 * (the conversation, the markdown, the footer, the save): (b)/(e) is Comet's own part.
 */
export async function minimalChatRounds(server: OpenAITestServer, wire: WireTimes[], profilesDir?: string): Promise<FloorRounds> {
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
  const floorRun = async (onRequest?: () => void): Promise<{ totalMs: number; firstToDomMs: number; lastToDomMs: number; streamPhaseMs: number; readAt: number; postAt: number; domAt: number }> => {
    const started = now();
    onRequest?.();
    const before = wire.length;
    const client = new OpenAI({ apiKey: TEST_KEY, baseURL: server.baseUrl, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'gpt-5.4-mini', messages: [{ role: 'user', content: 'Stream please' }], stream: true, stream_options: { include_usage: true } });
    let postAt: number | undefined;
    const batcher = new DeltaBatcher('floor', message => {
      postAt ??= now();
      void panel.webview.postMessage(message);
    });
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
      return { totalMs: done.at - started, firstToDomMs: done.firstAt - stamp.firstContentAt!, lastToDomMs: done.at - stamp.lastReadAt!, streamPhaseMs: stamp.lastReadAt! - stamp.firstContentAt!, readAt: stamp.firstContentAt!, postAt: postAt!, domAt: done.firstAt };
    } finally {
      ends.delete(started);
    }
  };
  const rounds: FloorRounds = { rawMs: [], floorMs: [], cometMs: [], cometToDoneMessageMs: [], cometMutedMs: [], streamPhaseMs: { raw: [], floor: [], comet: [], cometMuted: [] }, floorFirstToDomMs: [], floorLastToDomMs: [] };
  try {
    await floorRun();
    for (let i = 0; i < STREAM_RUNS; i++) {
      const raw = await rawSdkRun(server, wire);
      rounds.rawMs.push(raw.totalMs);
      rounds.streamPhaseMs.raw.push(raw.wire.lastReadAt! - raw.wire.firstContentAt!);
      const floor = await floorRun();
      rounds.floorMs.push(floor.totalMs);
      rounds.streamPhaseMs.floor.push(floor.streamPhaseMs);
      rounds.floorFirstToDomMs.push(floor.firstToDomMs);
      rounds.floorLastToDomMs.push(floor.lastToDomMs);
      // (b) and muted (b) take turns going first: each follows the other as often.
      const cometRound = () => cometRun(wire);
      const mutedRound = () => cometMutedRun(wire);
      const [comet, muted] = i % 2 === 0
        ? [await cometRound(), await mutedRound()]
        : await mutedRound().then(async m => [await cometRound(), m] as const);
      rounds.cometMs.push(comet.totalMs);
      if (comet.totalToDoneMessageMs === undefined) throw new Error("(b)'s done message was not seen arriving in the webview");
      rounds.cometToDoneMessageMs.push(comet.totalToDoneMessageMs);
      rounds.streamPhaseMs.comet.push(comet.firstToLastReadMs);
      rounds.cometMutedMs.push(muted.totalMs);
      rounds.streamPhaseMs.cometMuted.push(muted.firstToLastReadMs);
    }
    // Apart from the timed rounds: the watch on the renderer's frames (CDP's Network domain) costs the browser time.
    const way: NonNullable<FloorRounds['firstDeltaWay']> = { floor: [], floorStatusChange: [], floorStatusStill: [], comet: [], profiled: [] };
    const status = vscode.window.createStatusBarItem('cometBench.status', vscode.StatusBarAlignment.Left);
    const cometAnswer = async () => {
      const comet = await cometRun(wire);
      const readAt = comet.firstContentAt;
      return { readAt, postAt: readAt + comet.firstDeltaToPostMs, messageAt: readAt + (comet.firstDeltaToMessageMs ?? NaN), domAt: readAt + comet.firstDeltaToDomMs };
    };
    for (let i = 0; i < WATCHED_RUNS; i++) {
      // The bare panel appends in the message's own handler: its message and its DOM are one moment.
      const floorAnswer = (onRequest?: () => void) => async () => {
        const floor = await floorRun(onRequest);
        return { ...floor, messageAt: floor.domAt };
      };
      way.floor.push(await firstDeltaWay(floorAnswer()));
      // As a chat's status bar item changes when an answer starts (Comet's shows that it is answering).
      status.text = '$(sparkle) bench';
      status.show();
      await new Promise(resolve => setTimeout(resolve, 200));
      way.floorStatusChange.push(await firstDeltaWay(floorAnswer(() => (status.text = '$(loading~spin) bench answering'))).finally(() => status.hide()));
      status.text = '$(sparkle) bench';
      status.show();
      await new Promise(resolve => setTimeout(resolve, 200));
      way.floorStatusStill.push(await firstDeltaWay(floorAnswer(() => (status.text = '$(comment-discussion) bench answering'))).finally(() => status.hide()));
      way.comet.push(await firstDeltaWay(cometAnswer));
    }
    // As many more, with the renderer profiled (which slows it): what its main thread does between the frame and the
    // message event.
    for (let i = 0; profilesDir && i < WATCHED_RUNS; i++) {
      const { profiled } = await firstDeltaWay(cometAnswer, path.join(profilesDir, `webview-first-delta-${i + 1}.cpuprofile`));
      if (profiled) way.profiled.push(profiled);
    }
    status.dispose();
    rounds.firstDeltaWay = way;
  } finally {
    panel.dispose();
  }
  return rounds;
}
