// `npm run bench`: the numbers the issues ask for, measured side by side in one run. Never part of `npm test`.
//   npm run bench                 bundle sizes, read_file, search (in the real extension host), webview rendering,
//                                 the bounded network paths, saves while an answer streams, activation and first use
//   npm run bench -- bounds       only the bounded network paths (any of: sizes read search webview bounds streaming store activation)
//   npm run bench -- streaming    only the 5,000-delta stream (raw SDK vs Comet into the webview, profiles, host heap)
//   npm run bench -- activation   only activation and first use, this build against a baseline build
//   npm run bench -- --npm-test   also the wall time of a full `npm test`
//   COMET_VSCODE=oldest|newest    the search, the streaming and activation in one VS Code only (default: both)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PathPolicy, Toolbox, type ToolOutcome } from '../../src/core/tools/toolbox';
import { REPO_ROOT } from '../support/codeServer';
import { makeFolder, NodeWorkspace, systemRipgrep } from '../support/nodeWorkspace';
import { runInVsCode } from '../support/runCodeServerTests';
import { selectVersions } from '../support/vscodeVersions';
import { BENCH_QUERY, generateWorkspace } from './generateWorkspace';
import { median, ms, timeIt } from './timing';

const results: Record<string, unknown> = {};
const report = (name: string, value: string) => console.log(`${name.padEnd(58)} ${value}`);

function bundleSizes(): void {
  const bundles = [
    ['extension.js', 'the entry bundle, what activation loads (target ≤ 250 KB)'],
    ['chat.js', 'loaded by the entry on first use'],
    ['webview.js', 'target ≤ 300 KB'],
    ['highlight.js', 'loaded by the webview on first code block'],
  ] as const;
  for (const [file, note] of bundles) {
    const kb = fs.statSync(path.join(REPO_ROOT, 'dist', file)).size / 1024;
    results[`size:${file}`] = kb;
    report(`dist/${file} (minified)`, `${kb.toFixed(1)} KB (${note})`);
  }
}

async function readFileBench(): Promise<void> {
  const line = 'const value = computeSomething(input, options) + 42; // a typical line of code\n';
  const root = await makeFolder({ 'big.ts': line.repeat(Math.ceil(1_048_576 / line.length)) });
  const workspace = new NodeWorkspace([{ name: 'b', path: root }]);
  const toolbox = new Toolbox(workspace, new PathPolicy(workspace));
  const never = new AbortController().signal;
  const times: number[] = [];
  for (let i = 0; i < 15; i++) times.push(await timeIt(() => toolbox.run({ id: 'r', name: 'read_file', arguments: '{"path":"big.ts"}' }, never)));
  const tail: number[] = [];
  for (let i = 0; i < 15; i++) tail.push(await timeIt(() => toolbox.run({ id: 'r', name: 'read_file', arguments: '{"path":"big.ts","start_line":13000}' }, never)));
  results['read_file:1MB'] = median(times);
  report('read_file on a 1 MB file (first 400 lines), median (min–max) of 15', `${spread(times)} (target ≤ 5 ms)`);
  report('read_file on a 1 MB file (lines 13000-13399), median of 15', spread(tail));
  fs.rmSync(root, { recursive: true, force: true });
}

/** Tree sizes for the search and listing benchmarks, in files: COMET_BENCH_FILES=2000,20000,200000 for more. */
function treeSizes(): number[] {
  return (process.env.COMET_BENCH_FILES ?? '2000,20000').split(',').map(Number).filter(n => n >= 100);
}

/** The same tools and ripgrep outside any extension host, interleaved: what the tools cost on their own, apart from
 *  the host's busy event loop. The system's rg (the unit tests' one), plain flags; the deny list and path checks in force. */
async function searchInPlainNode(tree: { files: number; path: string }): Promise<void> {
  const workspace = new NodeWorkspace([{ name: 'b', path: tree.path }]);
  const rg = systemRipgrep();
  const never = new AbortController().signal;
  const tool = (name: string, args: object) => () => new Toolbox(workspace, new PathPolicy(workspace)).run({ id: 'b', name, arguments: JSON.stringify(args) }, never);
  const rgRun = (args: string[]) => () => Promise.resolve(spawnSync(rg, ['--no-config', '--hidden', '--no-require-git', ...args, '.'], { cwd: tree.path, encoding: 'utf8', maxBuffer: 1 << 30 }).stdout);
  const sides = { rg: rgRun(['-n', '-C', '1', '-F', BENCH_QUERY]), search: tool('search', { query: BENCH_QUERY }), rgFiles: rgRun(['--files']), list: tool('list_files', { glob: '**/file7.ts', max_results: 1000 }) };
  const times: Record<keyof typeof sides, number[]> = { rg: [], search: [], rgFiles: [], list: [] };
  // The page cache warm, and each side's findings checked: a tool that failed would be timed for nothing.
  const [rgOut, search, , list] = [await sides.rg(), await sides.search(), await sides.rgFiles(), await sides.list()] as [string, ToolOutcome, string, ToolOutcome];
  if (!search.ok || !list.ok || !rgOut.includes(BENCH_QUERY)) throw new Error(`the plain-Node search bench found nothing: ${search.summary}; ${list.summary}`);
  for (let i = 0; i < 7; i++) for (const [name, side] of Object.entries(sides)) times[name as keyof typeof sides].push(await timeIt(side));
  results[`search:plainNode:${tree.files}`] = times;
  const at = `plain Node, no extension host, ${tree.files} files`;
  report(`search (${at}): the tool found`, `${search.summary}; list_files ${list.summary}`);
  report(`search (${at}): the tool vs rg direct, median of 7`, `${spread(times.search)} vs ${spread(times.rg)} = ${(median(times.search) / median(times.rg)).toFixed(2)}x`);
  report(`list_files (${at}): the tool vs rg --files`, `${spread(times.list)} vs ${spread(times.rgFiles)} = ${(median(times.list) / median(times.rgFiles)).toFixed(2)}x`);
}

async function searchBench(): Promise<void> {
  const trees = treeSizes().map(files => ({ files, path: generateWorkspace(path.join(os.tmpdir(), `comet-bench-workspace-${files}`), files / 100) }));
  await searchInPlainNode(trees[trees.length - 1]);
  for (const version of selectVersions(process.env.COMET_VSCODE, ['oldest', 'newest'])) {
    const out = path.join(os.tmpdir(), `comet-bench-${process.pid}-${version.name}.json`);
    const { code } = await runInVsCode({
      version,
      workspace: trees[0].path,
      copy: false,
      testsPath: path.join(REPO_ROOT, 'out', 'test', 'bench', 'host', 'index.js'),
      env: { COMET_BENCH_OUT: out, COMET_BENCH_TREES: JSON.stringify(trees) },
    });
    if (code !== 0 || !fs.existsSync(out)) throw new Error(`the in-host search benchmark failed on VS Code ${version.vscode} (exit ${code})`);
    const host = JSON.parse(fs.readFileSync(out, 'utf8'));
    results[`search:${version.name}`] = host;
    const on = `VS Code ${version.vscode}`;
    report(`search (${on}): ripgrep used`, host.ripgrep);
    const spread = (s: Series) => `${ms(s.median)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;
    const ratio = (a: Series, b: Series) => `${(a.median / b.median).toFixed(2)}x`;
    for (const tree of trees) {
      const { found, ms: t, fallback } = host.trees[tree.files];
      const at = `${on}, ${tree.files} files`;
      report(`search (${at}): found by rg / the tool`, `${found.rgSearch} (hidden files too) / ${found.searchTool}`);
      report(`search (${at}): rg direct, median (min–max) of 7`, spread(t.rgSearch));
      report(`search (${at}): rg with the tool's flags / spawned async`, `${spread(t.rgSearchToolFlags)} / ${spread(t.rgSearchToolFlagsAsync)}`);
      report(`search (${at}): the search tool`, `${spread(t.searchTool)}  = ${ratio(t.searchTool, t.rgSearch)} rg (target ≤ 1.1x), ${ratio(t.searchTool, t.rgSearchToolFlags)} rg with its flags, ${ratio(t.searchTool, t.rgSearchToolFlagsAsync)} spawned async`);
      report(`list_files (${at}): found by rg --files / the tool`, `${found.rgFiles} / ${found.listTool} (glob ${'**/file7.ts'}); ${found.listToolAll} (everything, max 1000)`);
      report(`list_files (${at}): rg --files direct`, spread(t.rgFiles));
      report(`list_files (${at}): rg --files with the tool's flags for that glob / spawned async`, `${spread(t.rgFilesToolFlags)} / ${spread(t.rgFilesToolFlagsAsync)}`);
      report(`list_files (${at}): the tool, a glob over the whole tree`, `${spread(t.listTool)}  = ${ratio(t.listTool, t.rgFiles)} rg --files (target ≤ 1.1x), ${ratio(t.listTool, t.rgFilesToolFlags)} with its flags, ${ratio(t.listTool, t.rgFilesToolFlagsAsync)} spawned async`);
      report(`list_files (${at}): the tool, everything (stops at 1000)`, `${spread(t.listToolAll)}  = ${ratio(t.listToolAll, t.rgFiles)} rg --files`);
      if (fallback) report(`search (${at}): the fallback engine, median of 3`, `${spread(fallback.ms)}  = ${ratio(fallback.ms, t.rgSearch)} rg; ${fallback.matches} matches; the tool says "${fallback.tool}"`);
    }
    const [small, large] = [trees[0], trees[trees.length - 1]];
    if (small !== large) {
      const cost = (side: string) => `${(host.trees[large.files].ms[side].median / host.trees[small.files].ms[side].median).toFixed(1)}x`;
      report(`${large.files / small.files}x the files (${small.files} -> ${large.files}), ${on}: time x`, `search tool ${cost('searchTool')}, rg ${cost('rgSearch')}; list_files ${cost('listTool')}, rg --files ${cost('rgFiles')}`);
    }
  }
}

interface Series {
  median: number;
  min: number;
  max: number;
}

const spread = (values: number[]) => `${ms(median(values))} (${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)})`;

async function streamingBench(): Promise<void> {
  const { bundleSourceMaps, summarizeProfile, summarizeProfiles } = await import('./profileSummary.js');
  const maps = await bundleSourceMaps(fs.mkdtempSync(path.join(os.tmpdir(), 'comet-bench-maps-')));
  for (const version of selectVersions(process.env.COMET_VSCODE, ['oldest', 'newest'])) {
    const out = path.join(os.tmpdir(), `comet-bench-${process.pid}-${version.name}-streaming.json`);
    const profiles = path.join(REPO_ROOT, 'test-results', version.name, 'profiles');
    const { code } = await runInVsCode({
      version,
      workspace: path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'),
      testsPath: path.join(REPO_ROOT, 'out', 'test', 'bench', 'host', 'streaming.js'),
      env: { COMET_BENCH_OUT: out, COMET_BENCH_PROFILES: profiles },
    });
    if (!fs.existsSync(out)) throw new Error(`the streaming benchmark failed on VS Code ${version.vscode} (exit ${code})`);
    const host = JSON.parse(fs.readFileSync(out, 'utf8'));
    if (code !== 0) report(`streaming (VS Code ${version.vscode}): the run failed (exit ${code}) after`, host.heap ? 'the heap part' : host.floor ? 'the floor part' : host.relay ? 'the relay part' : 'the stream part');
    results[`streaming:${version.name}`] = host;
    const on = `VS Code ${version.vscode}`;
    const of = (key: string) => host.comet.map((run: Record<string, number>) => run[key]) as number[];
    const ratios = host.rawMs.map((raw: number, i: number) => of('totalMs')[i] / raw) as number[];
    report(`streaming (${on}): ${host.deltas} deltas, ${host.runs} runs alternating, median (min–max)`, '');
    report('  (a) raw openai SDK loop over the stream, in the host', spread(host.rawMs));
    report('  (b) Comet: ask -> the webview shows done', spread(of('totalMs')));
    report('      (b)/(a), median of the runs\' own ratios (min–max)', `${median(ratios).toFixed(2)}x (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}); target ≤ 1.05x`);
    report('      of (b): ask -> Comet calls fetch', spread(of('beforeFetchMs')));
    if (host.rawFetchToFirstContentMs) {
      report('      of (b): fetch -> first content read; (a)\'s', `${spread(of('fetchToFirstContentMs'))}; ${spread(host.rawFetchToFirstContentMs)}`);
      report('      of (b): first content read -> last read; (a)\'s', `${spread(of('firstToLastReadMs'))}; ${spread(host.rawFirstToLastReadMs)}`);
    }
    report('  (c) first delta: SDK read -> in the webview DOM', `${spread(of('firstDeltaToDomMs'))}; target ≤ 16 ms`);
    report('  (d) done: SDK read the last chunk -> done in the DOM', `${spread(of('doneAfterLastChunkMs'))}; target ≤ 16 ms`);
    if (of('firstDeltaToMessageMs').every(Number.isFinite) && of('doneToMessageMs').every(Number.isFinite)) {
      report('      of (c): SDK read -> Comet posts it (the host\'s part)', spread(of('firstDeltaToPostMs')));
      report('      of (c): SDK read -> the message arrives in the webview', spread(of('firstDeltaToMessageMs')));
      report('      of (d): SDK read the last chunk -> Comet posts done', spread(of('doneToPostMs')));
      report('      of (d): SDK read the last chunk -> the message arrives', spread(of('doneToMessageMs')));
    }
    report('      done in the DOM -> next animation frame', spread(of('doneToFrameMs')));
    report('      raw loop: first content read -> last read', spread(host.rawFirstToLastReadMs));
    if (host.rawFirstReadToLoopMs) {
      report('      raw loop: first content read -> the loop has it', spread(host.rawFirstReadToLoopMs));
      report('      raw loop: last read -> the loop ends', spread(host.rawLastReadToEndMs));
    }
    if (host.relay) {
      report(`  the relay alone: a bare host -> webview message, idle, median of ${host.relay.toWebviewMs.length}`, `${spread(host.relay.toWebviewMs)}; and back: ${spread(host.relay.roundTripMs)}`);
      if (host.relay.busyMs.length) report(`      ... sent while a raw SDK loop streams in this host (${host.relay.busyMs.length} messages)`, spread(host.relay.busyMs));
    }
    if (host.floor) {
      const { rawMs, floorMs, cometMs, floorFirstToDomMs, floorLastToDomMs } = host.floor as Record<string, number[]>;
      const own = (a: number[], b: number[]) => a.map((value, i) => value / b[i]);
      const ratioSpread = (values: number[]) => `${median(values).toFixed(2)}x (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
      report(`  the floor: (a), (e) and (b) in turn, ${rawMs.length} rounds, a bare panel beside the chat`, `(a) ${spread(rawMs)}; (e) ${spread(floorMs)}; (b) ${spread(cometMs)}`);
      report('      (e) the least a webview chat does: (a) posting its deltas per frame (DeltaBatcher) to a bare webview that appends them, until its DOM has the last',
        `(e)/(a) ${ratioSpread(own(floorMs, rawMs))}; (b)/(e) ${ratioSpread(own(cometMs, floorMs))}; (b)/(a) ${ratioSpread(own(cometMs, rawMs))}`);
      report('      (e)\'s own (c) and (d): SDK read the first content -> in its DOM; read the last -> its end there', `${spread(floorFirstToDomMs)}; ${spread(floorLastToDomMs)}`);
      const cometMutedMs = (host.floor.cometMutedMs ?? []) as number[];
      if (cometMutedMs.length) {
        const toMessage = (host.floor.cometToDoneMessageMs ?? []) as number[];
        report('      (b) muted: Comet\'s whole path with its webview drawing nothing of the answer (its messages kept from the panel\'s handler), ask -> its done message in the webview; (b) to the same message',
          `${spread(cometMutedMs)}; ${spread(toMessage)}; (b)/muted at that message ${ratioSpread(own(toMessage, cometMutedMs))}; muted/(a) ${ratioSpread(own(cometMutedMs, rawMs))}, muted/(e) ${ratioSpread(own(cometMutedMs, floorMs))}`);
        const phase = host.floor.streamPhaseMs as Record<'raw' | 'floor' | 'comet' | 'cometMuted', number[]>;
        report('      the stream phase of those rounds (SDK read the first content -> read the end of the body): (a) / (e) / (b) / (b) muted',
          `${spread(phase.raw)} / ${spread(phase.floor)} / ${spread(phase.comet)} / ${spread(phase.cometMuted)}`);
      }
      type Way = Record<'postMs' | 'writerMs' | 'deflatedMs' | 'frameMs' | 'messageMs' | 'domMs', number>;
      const way = host.floor.firstDeltaWay as Record<'floor' | 'floorStatusChange' | 'floorStatusStill' | 'comet', Way[]> | undefined;
      for (const [who, rounds] of way ? ([['(e)', way.floor], ['(e) with a status bar item changed to a spinning icon as the request goes out', way.floorStatusChange ?? []], ['(e) with a status bar item changed to a still icon as the request goes out', way.floorStatusStill ?? []], ['Comet', way.comet]] as const) : []) {
        const part = (key: keyof Way) => spread(rounds.map(r => r[key]).filter(Number.isFinite));
        report(`      the first delta's way, ${who}, ${rounds.length} rounds watched (host writes, renderer frames): from the SDK's read, posted / into the connection / deflated / frame handled by the renderer / message in the webview / in the DOM`,
          `${part('postMs')} / ${part('writerMs')} / ${part('deflatedMs')} / ${part('frameMs')} / ${part('messageMs')} / ${part('domMs')}`);
      }
      const profiled = (host.floor.firstDeltaWay?.profiled ?? []) as Array<{ file: string; fromUs: number; toUs: number; way: Way }>;
      const kept = profiled.filter(p => fs.existsSync(p.file));
      if (kept.length) {
        const inWindows = summarizeProfiles(kept, maps, 8);
        results[`profile:${version.name}:webview-first-delta-windows`] = inWindows;
        report(`      ${kept.length} more, the renderer profiled: frame handled / message in the webview after`, kept.map(p => `${p.way.frameMs.toFixed(1)} / ${p.way.messageMs.toFixed(1)} ms`).join(', '));
        report(`      ... the renderer's main thread between the two, all ${kept.length} summed (${ms(inWindows.totalMs)}), self time`, inWindows.byFunction.map(([s, t]) => `${s} ${t.toFixed(1)}`).join('; '));
      }
    }
    report('  clocks: webview - host (bridge round trip)', `${host.clock.offsetMs.toFixed(2)} ms (±${(host.clock.roundTripMs / 2).toFixed(1)} ms)`);
    const [base, ...heap] = (host.heap ?? [{ heapMiB: NaN, domNodes: NaN }]) as Array<{ messages: number; jsonMiB: number; heapMiB: number; domNodes: number }>;
    for (const row of heap) {
      report(`  host heap, restored ${row.messages.toLocaleString('en')}-message conversation`, `${row.heapMiB.toFixed(1)} MiB (+${(row.heapMiB - base.heapMiB).toFixed(1)} MiB over an empty chat's ${base.heapMiB.toFixed(1)}; its JSON ${row.jsonMiB.toFixed(1)} MiB)`);
      report(`  webview DOM, restored ${row.messages.toLocaleString('en')}-message conversation`, `${row.domNodes.toLocaleString('en')} elements (${((row.domNodes - base.domNodes) / row.messages).toFixed(1)} per message over an empty chat's ${base.domNodes})`);
    }
    for (const name of ['host-raw-sdk', 'host-comet', 'webview-comet']) {
      const file = path.join(profiles, `${name}.cpuprofile`);
      if (!fs.existsSync(file)) continue;
      const summary = summarizeProfile(file, maps, 8);
      results[`profile:${version.name}:${name}`] = summary;
      report(`  profile ${name} (${ms(summary.totalMs)}), self time by source`, summary.bySource.map(([s, t]) => `${s} ${t.toFixed(0)}`).join(', '));
      report(`  profile ${name}, top functions`, summary.byFunction.slice(0, 6).map(([s, t]) => `${s} ${t.toFixed(1)}`).join('; '));
    }
    report('  profiles written to', profiles);
  }
}

function npmTestWallTime(): void {
  const start = Date.now();
  const run = spawnSync('npm', ['test'], { cwd: REPO_ROOT, stdio: 'ignore' });
  results['npm test'] = (Date.now() - start) / 1000;
  report('npm test wall time', `${((Date.now() - start) / 1000).toFixed(1)} s (exit ${run.status})`);
}

async function main(): Promise<void> {
  const only = process.argv.slice(2).filter(a => !a.startsWith('--'));
  const want = (name: string) => !only.length || only.includes(name);
  console.log(`Comet benchmarks on ${os.cpus().length} cores, Node ${process.version}\n`);
  if (want('sizes')) bundleSizes();
  if (want('read')) await readFileBench();
  if (want('search')) await searchBench();
  if (want('webview')) await (await import('./webviewBench.js')).webviewBench(report, results);
  if (want('bounds')) await (await import('./boundsBench.js')).boundsBench(report, results);
  if (want('streaming')) await streamingBench();
  if (want('store')) await (await import('./storeBench.js')).storeBench(report, results);
  if (want('activation')) await (await import('./activationBench.js')).activationBench(report, results);
  if (process.argv.includes('--npm-test')) npmTestWallTime();
  fs.mkdirSync(path.join(REPO_ROOT, 'test-results'), { recursive: true });
  fs.writeFileSync(path.join(REPO_ROOT, 'test-results', 'bench.json'), JSON.stringify(results, null, 2));
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
