// Runs inside the real VS Code extension host (through the test harness): the search tool over the real workspace
// with VS Code's own ripgrep and with the workspace.findFiles fallback, next to ripgrep run directly, side by side.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { PathPolicy, Toolbox } from '../../../src/core/tools/toolbox';
import { bundledRipgrep, VsCodeWorkspace } from '../../../src/host/vscodeWorkspace';
import { BENCH_QUERY } from '../generateWorkspace';
import { median, timeIt } from '../timing';

export async function run(): Promise<void> {
  const out = process.env.COMET_BENCH_OUT;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const rg = bundledRipgrep();
  if (!out || !folder || !rg) throw new Error(`bench set-up incomplete: out=${out} folder=${folder} rg=${rg}`);
  const never = new AbortController().signal;
  const args = JSON.stringify({ query: BENCH_QUERY });
  const tool = (ripgrep: string | undefined) => {
    const workspace = new VsCodeWorkspace(ripgrep);
    return new Toolbox(workspace, new PathPolicy(workspace));
  };
  const withRg = tool(rg);
  const fallback = tool(undefined);
  const direct = () => spawnSync(rg, ['--no-config', '--hidden', '--no-require-git', '-n', '-C', '1', '-F', BENCH_QUERY, '.'], { cwd: folder, encoding: 'utf8' });

  // Warm the page cache and check that all three find the same 20 matches.
  const check = await withRg.run({ id: 'w', name: 'search', arguments: args }, never);
  const checkFallback = await fallback.run({ id: 'w', name: 'search', arguments: args }, never);
  const directMatches = direct().stdout.split('\n').filter(line => line.includes(`:export const ${BENCH_QUERY}`)).length;

  // The fallback engine on its own, without the tool's 30 s timeout.
  const fallbackPort = new VsCodeWorkspace(undefined);
  const benchFolder = { name: 'b', path: folder };
  const hidden = await new PathPolicy(fallbackPort).hiddenFiles(benchFolder);
  const fallbackSearch = () => fallbackPort.search(benchFolder, { query: BENCH_QUERY, isRegex: false, maxResults: 50, contextLines: 1, hidden }, never);
  const times = { tool: [] as number[], rg: [] as number[], fallback: [] as number[] };
  for (let i = 0; i < 7; i++) {
    times.rg.push(await timeIt(async () => void direct()));
    times.tool.push(await timeIt(() => withRg.run({ id: 'b', name: 'search', arguments: args }, never)));
  }
  for (let i = 0; i < 3; i++) times.fallback.push(await timeIt(fallbackSearch));
  const fallbackMatches = (await fallbackSearch()).matches.length;

  // The harness reads this like a mocha result.
  if (process.env.COMET_TEST_RESULT) fs.writeFileSync(process.env.COMET_TEST_RESULT, JSON.stringify({ failures: 0, passes: 1, tests: 1 }));
  fs.writeFileSync(out, JSON.stringify({
    files: (await vscode.workspace.findFiles('**/*.ts')).length,
    ripgrep: rg,
    matches: { tool: check.summary, fallbackTool: checkFallback.summary, fallback: fallbackMatches, rg: directMatches },
    medianMs: { rgDirect: median(times.rg), searchTool: median(times.tool), searchToolFallback: median(times.fallback) },
  }));
}
