// `npm run bench`: the numbers the issues ask for, measured side by side in one run. Never part of `npm test`.
//   npm run bench                 bundle sizes, read_file, search (in the real extension host), webview rendering,
//                                 the bounded network paths, activation and first use (in the real extension host)
//   npm run bench -- bounds       only the bounded network paths (any of: sizes read search webview bounds activation)
//   npm run bench -- --npm-test   also the wall time of a full `npm test`
//   COMET_VSCODE=oldest|newest    the search and activation in one VS Code only (default: both)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PathPolicy, Toolbox } from '../../src/core/tools/toolbox';
import { REPO_ROOT } from '../support/codeServer';
import { makeFolder, NodeWorkspace } from '../support/nodeWorkspace';
import { runInVsCode } from '../support/runCodeServerTests';
import { selectVersions } from '../support/vscodeVersions';
import { generateWorkspace } from './generateWorkspace';
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
  report('read_file on a 1 MB file (first 400 lines), median of 15', ms(median(times)));
  report('read_file on a 1 MB file (lines 13000-13399), median of 15', ms(median(tail)));
  fs.rmSync(root, { recursive: true, force: true });
}

async function searchBench(): Promise<void> {
  const workspace = generateWorkspace(path.join(os.tmpdir(), 'comet-bench-workspace'));
  for (const version of selectVersions(process.env.COMET_VSCODE, ['oldest', 'newest'])) {
    const out = path.join(os.tmpdir(), `comet-bench-${process.pid}-${version.name}.json`);
    const { code } = await runInVsCode({
      version,
      workspace,
      copy: false,
      testsPath: path.join(REPO_ROOT, 'out', 'test', 'bench', 'host', 'index.js'),
      env: { COMET_BENCH_OUT: out },
    });
    if (code !== 0 || !fs.existsSync(out)) throw new Error(`the in-host search benchmark failed on VS Code ${version.vscode} (exit ${code})`);
    const host = JSON.parse(fs.readFileSync(out, 'utf8'));
    results[`search:${version.name}`] = host;
    const { rgDirect, searchTool, searchToolFallback } = host.medianMs;
    const on = `VS Code ${version.vscode}`;
    report(`search (${on}): ${host.files} files; matches: tool / rg`, `${host.matches.tool} / ${host.matches.rg}`);
    report(`search (${on}): ripgrep used`, host.ripgrep);
    report(`search (${on}): fallback matches; the fallback tool says`, `${host.matches.fallback}; "${host.matches.fallbackTool}"`);
    report(`search (${on}): rg run directly, median of 7`, ms(rgDirect));
    report(`search (${on}): the search tool (VS Code ripgrep), median of 7`, `${ms(searchTool)}  = ${(searchTool / rgDirect).toFixed(2)}x rg (target ≤ 1.3x)`);
    report(`search (${on}): the fallback engine, median of 3`, `${ms(searchToolFallback)}  = ${(searchToolFallback / rgDirect).toFixed(1)}x rg`);
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
