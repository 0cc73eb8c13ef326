// `npm run bench -- activation`: Comet's activation in code-server's real extension host, as VS Code's extension
// service measures it (code loading and activate() apart, from its own performance marks; see host/activation.ts),
// and the first use after it (the chat view's first resolve, the first answer), for this build and a baseline build
// side by side in one run: alternating rounds of window loads, on each VS Code version. Where VS Code has the Language
// Model Chat Provider API (1.104+), more loads take the provider's startup path instead: VS Code's chat is asked for
// Comet's models (`vscode.lm.selectChatModels`), so VS Code activates Comet for its provider and lists them silently:
// from the endpoint in a profile's first load, from the list remembered then in its later loads.
//   COMET_BENCH_BASELINE=<git rev>   the baseline (default eb5f1b3, before the entry bundle); `none` skips it
//   COMET_BENCH_LOADS=<n>            window loads per build and version (default 6, in two rounds)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/codeServer';
import { OpenAITestServer } from '../support/openaiTestServer';
import { runInVsCode } from '../support/runCodeServerTests';
import { hasModelProviderApi, selectVersions } from '../support/vscodeVersions';

type Report = (name: string, value: string) => void;

interface LoadResult {
  scenario: 'first use' | 'provider';
  vscode: string;
  activatedAtStartup: boolean;
  activatedByListing?: boolean;
  listingMs?: number;
  cometListingMs?: number;
  listedModels?: number;
  codeLoadingMs?: number;
  activateMs?: number;
  loadAndActivateMs?: number;
  chatBundleLoadMs?: number;
  chatBundleLoadedAtStartup: boolean;
  chatStartMs?: number;
  firstViewMs: number;
  firstAnswerMs: number;
}

/** The baseline's bundles, built once in a shared clone outside the repository (reused by later runs). */
function baselineBuild(rev: string): string {
  const dir = path.join(os.tmpdir(), `comet-bench-baseline-${rev}`);
  if (fs.existsSync(path.join(dir, 'dist', 'extension.js'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  const git = (...args: string[]) => {
    const result = spawnSync('git', args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  };
  git('clone', '--quiet', '--shared', '--no-checkout', REPO_ROOT, dir);
  git('-C', dir, 'checkout', '--quiet', rev);
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: dir, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the baseline ${rev} failed: ${build.stderr}`);
  return dir;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const stat = (values: Array<number | undefined>) => {
  const defined = values.filter((v): v is number => v !== undefined);
  if (!defined.length) return '-';
  return `${median(defined).toFixed(1)} ms (${Math.min(...defined).toFixed(0)}–${Math.max(...defined).toFixed(0)}, n=${defined.length})`;
};

export async function activationBench(report: Report, results: Record<string, unknown>): Promise<void> {
  const rev = process.env.COMET_BENCH_BASELINE ?? 'eb5f1b3';
  const loads = Number(process.env.COMET_BENCH_LOADS ?? 6);
  const builds: Array<{ name: string; dir: string }> = [{ name: 'this build', dir: REPO_ROOT }];
  if (rev !== 'none') builds.unshift({ name: `baseline ${rev}`, dir: baselineBuild(rev) });
  const sizes = (dir: string) => fs.readdirSync(path.join(dir, 'dist')).filter(f => f.endsWith('.js') && !['webview.js', 'highlight.js'].includes(f))
    .map(f => `${f} ${(fs.statSync(path.join(dir, 'dist', f)).size / 1024).toFixed(0)} KB`).join(' + ');
  for (const build of builds) report(`activation: ${build.name}: extension host bundles`, sizes(build.dir));

  for (const version of selectVersions(process.env.COMET_VSCODE, ['oldest', 'newest'])) {
    const byBuild = new Map<string, LoadResult[]>(builds.map(b => [b.name, []]));
    // The first use in every window load; where VS Code has the Language Model Chat Provider API, also loads that
    // start with a listing of Comet's models (a loopback endpoint that needs no key, set in settings.json on disk).
    const scenarios: Array<'first use' | 'provider'> = hasModelProviderApi(version) ? ['first use', 'provider'] : ['first use'];
    const listingServer = scenarios.includes('provider') ? await OpenAITestServer.start() : undefined;
    try {
      // Rounds alternate the builds, so both see the same load from the rest of the machine.
      const rounds = [Math.ceil(loads / 2), Math.floor(loads / 2)].filter(Boolean);
      for (const scenario of scenarios) {
        for (const [round, count] of rounds.entries()) {
          for (const build of round % 2 ? [...builds].reverse() : builds) {
            const out = path.join(os.tmpdir(), `comet-bench-activation-${process.pid}-${version.name}-${round}.json`);
            fs.rmSync(out, { force: true });
            const phases = Array.from({ length: count }, (_, i) => `load-${i + 1}`);
            const { code } = await runInVsCode({
              version,
              workspace: path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'),
              testsPath: path.join(REPO_ROOT, 'out', 'test', 'bench', 'host', 'activation.js'),
              developmentPath: build.dir,
              phases,
              env: { COMET_BENCH_OUT: out, ...(scenario === 'provider' ? { COMET_BENCH_STARTUP: 'provider' } : {}) },
              ...(listingServer && scenario === 'provider' ? { phaseSettings: Object.fromEntries(phases.map(phase => [phase, { 'comet.baseUrl': listingServer.baseUrl }])) } : {}),
            });
            if (code !== 0 || !fs.existsSync(out)) throw new Error(`the activation benchmark (${scenario}) failed on VS Code ${version.vscode} for ${build.name} (exit ${code})`);
            byBuild.get(build.name)!.push(...(JSON.parse(fs.readFileSync(out, 'utf8')) as LoadResult[]));
            fs.rmSync(out, { force: true });
          }
        }
      }
    } finally {
      await listingServer?.close();
    }
    const on = `VS Code ${version.vscode}`;
    for (const build of builds) {
      const all = byBuild.get(build.name)!;
      results[`activation:${version.name}:${build.name}`] = all;
      // A profile's first load lists from the endpoint; its later loads may answer from the remembered list.
      const listings = all.filter(r => r.scenario === 'provider');
      // (A build without Comet's listing marks, such as the single-bundle baseline, always lists from the endpoint.)
      const marked = listings.some(r => r.cometListingMs !== undefined);
      const groups: Array<[string, LoadResult[]]> = marked
        ? [['from the endpoint', listings.filter(r => r.chatBundleLoadedAtStartup)], ['remembered', listings.filter(r => r.listingMs !== undefined && !r.chatBundleLoadedAtStartup)]]
        : [['from the endpoint', listings.filter(r => r.listingMs !== undefined)]];
      const skipped = listings.filter(r => r.listingMs === undefined).length;
      if (skipped) report(`provider startup (${on}, ${build.name}): loads where Comet was already active`, `${skipped} of ${listings.length} (left out)`);
      for (const [kind, group] of groups) {
        if (!group.length) continue;
        const name = `provider startup (${on}, ${build.name}, ${kind})`;
        report(`${name}: activated by the listing`, `${group.filter(r => r.activatedByListing).length} of ${group.length} window loads, ${group[0].listedModels} models listed`);
        report(`${name}: code loading + activate`, `${stat(group.map(r => r.loadAndActivateMs))} (activate() ${stat(group.map(r => r.activateMs))})`);
        if (group.some(r => r.chatBundleLoadMs !== undefined)) report(`${name}: chat bundle require()`, stat(group.map(r => r.chatBundleLoadMs)));
        report(`${name}: selectChatModels({ vendor: 'comet' }) until it resolves`, stat(group.map(r => r.listingMs)));
        report(`${name}: of that, in Comet's provider`, stat(group.map(r => r.cometListingMs)));
      }
      const runs = all.filter(r => r.scenario !== 'provider');
      const startup = runs.filter(r => r.activatedAtStartup).length;
      report(`activation (${on}, ${build.name}): activated at startup`, `${startup} of ${runs.length} window loads`);
      report(`activation (${on}, ${build.name}): code loading`, stat(runs.map(r => r.codeLoadingMs)));
      report(`activation (${on}, ${build.name}): activate() to resolved`, `${stat(runs.map(r => r.activateMs))} (target ≤ 15 ms)`);
      report(`activation (${on}, ${build.name}): code loading + activate`, stat(runs.map(r => r.loadAndActivateMs)));
      if (runs.some(r => r.chatBundleLoadMs !== undefined)) {
        report(`activation (${on}, ${build.name}): chat bundle loaded before first use`, `${runs.filter(r => r.chatBundleLoadedAtStartup).length} of ${runs.length}`);
        report(`activation (${on}, ${build.name}): chat bundle require()`, stat(runs.map(r => r.chatBundleLoadMs)));
        report(`activation (${on}, ${build.name}): chat bundle require() + chat started`, stat(runs.map(r => r.chatStartMs)));
      }
      report(`first use (${on}, ${build.name}): open the chat until the view shows`, stat(runs.map(r => r.firstViewMs)));
      report(`first use (${on}, ${build.name}): ask until the first answer shows`, stat(runs.map(r => r.firstAnswerMs)));
      report(`first use (${on}, ${build.name}): activation + view + answer`, stat(runs.map(r => (r.activatedAtStartup ? r.loadAndActivateMs ?? 0 : 0) + r.firstViewMs + r.firstAnswerMs)));
    }
  }
}
