// Runs inside the real VS Code extension host (through the test harness): the search and list_files tools over
// generated trees of several sizes, with VS Code's own ripgrep and (search, largest tree) the workspace.findFiles
// fallback, next to ripgrep run directly, interleaved run by run so load from other jobs hits every side alike.
//   rg direct:    spawnSync(rg) with plain flags, its whole stdout collected as a string, nothing parsed.
//   rg, tool's flags: the same, with exactly the arguments the tool passes (excludes, deny globs, --null...).
//   ... spawned async: those arguments again, through spawn as the tool (any extension) must run it: spawnSync
//                 would stop the extension host, and every extension in it, for the whole search. The floor.
//   the tool:     Toolbox.run as the model calls it: the .cometignore read, rg spawned, its output streamed and
//                 parsed, every path tested against the deny list, the result text formatted.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { PathPolicy, Toolbox } from '../../../src/core/tools/toolbox';
import type { WorkspaceFolderInfo } from '../../../src/core/tools/workspacePort';
import { bundledRipgrep, excludeGlobs, VsCodeWorkspace } from '../../../src/host/vscodeWorkspace';
import { filesArgs, searchArgs } from '../../../src/node/ripgrep';
import { BENCH_QUERY } from '../generateWorkspace';
import { median, timeIt } from '../timing';

const RUNS = 7;
/** A glob that makes list_files walk the whole tree and return 1 file in 100. */
const LIST_GLOB = '**/file7.ts';

/** The port over one generated tree, whichever folder the window has open. */
class TreeWorkspace extends VsCodeWorkspace {
  constructor(ripgrep: string | undefined, private readonly tree: WorkspaceFolderInfo) {
    super(ripgrep);
  }

  override folders(): readonly WorkspaceFolderInfo[] {
    return [this.tree];
  }
}

interface Series {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

const series = (runs: number[]): Series => ({ median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs });

async function benchTree(rg: string, tree: WorkspaceFolderInfo, withFallback: boolean) {
  const never = new AbortController().signal;
  const port = new TreeWorkspace(rg, tree);
  const policy = () => new PathPolicy(port);
  // A new PathPolicy per call, as per request in the extension: the .cometignore is read each time.
  const tool = (name: string, args: object) => new Toolbox(port, policy()).run({ id: 'b', name, arguments: JSON.stringify(args) }, never);
  const hidden = await policy().hiddenFiles(tree);
  const run = { rgPath: rg, cwd: tree.path, hidden, signal: never };
  const toolSearchArgs = [...searchArgs({ ...run, excludes: excludeGlobs(tree, true) }, { query: BENCH_QUERY, isRegex: false, maxResults: 50, contextLines: 1, hidden }), '.'];
  const toolFilesArgs = filesArgs({ ...run, excludes: excludeGlobs(tree, false) }, LIST_GLOB);
  const rgRun = (args: string[]) => () => {
    const result = spawnSync(rg, args, { cwd: tree.path, encoding: 'utf8', maxBuffer: 1 << 30 });
    return Promise.resolve(result.stdout);
  };
  const rgAsync = (args: string[]) => () => new Promise<string>((resolve, reject) => {
    const child = spawn(rg, args, { cwd: tree.path, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
  const sides = {
    rgSearch: rgRun(['--no-config', '--hidden', '--no-require-git', '-n', '-C', '1', '-F', BENCH_QUERY, '.']),
    rgSearchToolFlags: rgRun(toolSearchArgs),
    rgSearchToolFlagsAsync: rgAsync(toolSearchArgs),
    searchTool: () => tool('search', { query: BENCH_QUERY }),
    rgFiles: rgRun(['--no-config', '--hidden', '--no-require-git', '--files', '.']),
    rgFilesToolFlags: rgRun(toolFilesArgs),
    rgFilesToolFlagsAsync: rgAsync(toolFilesArgs),
    listTool: () => tool('list_files', { glob: LIST_GLOB, max_results: 1000 }),
    listToolAll: () => tool('list_files', { max_results: 1000 }),
  };
  // Warm the page cache, and say what each side finds.
  const found = {
    rgSearch: (await sides.rgSearch()).split('\n').filter(line => line.includes(`:export const ${BENCH_QUERY}`)).length,
    searchTool: (await sides.searchTool()).summary,
    rgFiles: (await sides.rgFiles()).split('\n').filter(Boolean).length,
    listTool: (await sides.listTool()).summary,
    listToolAll: (await sides.listToolAll()).summary,
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(sides).map(name => [name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, side] of Object.entries(sides)) times[name].push(await timeIt(side));
  }
  const result: Record<string, unknown> = { found, ms: Object.fromEntries(Object.entries(times).map(([name, runs]) => [name, series(runs)])) };
  if (withFallback) {
    // The fallback engine on its own, without the tool's 30 s timeout.
    const fallback = new TreeWorkspace(undefined, tree);
    const fallbackHidden = await new PathPolicy(fallback).hiddenFiles(tree);
    const fallbackSearch = () => fallback.search(tree, { query: BENCH_QUERY, isRegex: false, maxResults: 50, contextLines: 1, hidden: fallbackHidden }, never);
    const fallbackTimes: number[] = [];
    for (let i = 0; i < 3; i++) fallbackTimes.push(await timeIt(fallbackSearch));
    const fallbackTool = await new Toolbox(fallback, new PathPolicy(fallback)).run({ id: 'f', name: 'search', arguments: JSON.stringify({ query: BENCH_QUERY }) }, never);
    result.fallback = { matches: (await fallbackSearch()).matches.length, tool: fallbackTool.summary, ms: series(fallbackTimes) };
  }
  return result;
}

export async function run(): Promise<void> {
  const out = process.env.COMET_BENCH_OUT;
  const trees: Array<{ files: number; path: string }> = JSON.parse(process.env.COMET_BENCH_TREES ?? '[]');
  const rg = bundledRipgrep();
  if (!out || !trees.length || !rg) throw new Error(`bench set-up incomplete: out=${out} trees=${trees.length} rg=${rg}`);
  const results: Record<string, unknown> = {};
  for (const tree of trees) results[tree.files] = await benchTree(rg, { name: 'b', path: tree.path }, tree.files === 20_000);
  // The harness reads this like a mocha result.
  if (process.env.COMET_TEST_RESULT) fs.writeFileSync(process.env.COMET_TEST_RESULT, JSON.stringify({ failures: 0, passes: 1, tests: 1 }));
  fs.writeFileSync(out, JSON.stringify({ ripgrep: rg, vscode: vscode.version, node: process.version, trees: results }));
}
