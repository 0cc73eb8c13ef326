// Runs inside the real VS Code extension host (through the test harness), with Comet's webview in Chromium: a
// loopback server streams 5,000 tiny deltas; a raw `openai` SDK loop over that stream and Comet's whole path (ask ->
// the webview shows the answer `done`) are timed side by side, alternating (./streamRuns). Then a CPU profile of the
// host (inspector) and of the webview (CDP, through the bridge) for one more Comet run, the relay and the floor
// (./barePanels), and the host's heap with a restored conversation of 1,000 and of 10,000 messages (./hostHeap).
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { setUpComet } from '../../integration/helpers';
import { entries, profileWebview, waitFor } from '../../integration/webview';
import { textReply } from '../../support/openaiTestServer';
import { minimalChatRounds, webviewRelay } from './barePanels';
import { heapWithConversations } from './hostHeap';
import { clockOffset, cometRun, pieces, rawSdkRun, stampFetch, STREAM_DELTAS, STREAM_RUNS, type CometRun, type RawRun, type Watch } from './streamRuns';

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
      rawFetchToFirstContentMs: raw.map(r => r.wire.firstContentAt! - r.wire.fetchAt),
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
    const floor = await minimalChatRounds(server, wire.times, profiles).catch((error: unknown) => {
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
