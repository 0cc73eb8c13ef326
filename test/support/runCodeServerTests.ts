// `npm run test:integration`: on each VS Code version in the matrix (the oldest that engines allows and the newest,
// see vscodeVersions.ts), runs test/integration inside a real extension host (code-server) with the workbench and
// Comet's webview rendered by headless Chromium; then installs the packaged VSIX and runs the smoke suite against that
// installed copy. Exit code 0 only when every run reports no failures.
//   COMET_VSCODE=oldest|newest|oldest,newest   which versions (default both)
//   COMET_SUITES=integration,vsix              which suites (default both)
// `runInVsCode` is also what the benchmarks use to measure inside the extension host.
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyWorkspace, ensureCodeServer, launchChromium, log, REPO_ROOT, samplePeakMemory, sleep, startCodeServer, type Browser, type Page, type RunningCodeServer } from './codeServer';
import { OpenAITestServer } from './openaiTestServer';
import { RESIZED, STARTUP_MODELS } from './startupListing';
import { NO_PROXY_TEST_HOST, readProxyLog, startTestProxy, type TestProxy } from './testProxy';
import type { FailedTest } from '../integration/index';
import { hasModelProviderApi, selectVersions, type VsCodeVersion } from './vscodeVersions';
import { startBridge } from './webviewBridge';

const TIMEOUT_MS = Number(process.env.COMET_TEST_TIMEOUT_S ?? 600) * 1000;
/** Between one phase's window and the next one's load (see the loop over phases). */
const PHASE_SETTLE_MS = 1000;
// The workbench page of code-server loads in a few seconds, but far slower on a loaded machine (Playwright waits 30 s by default).
const PAGE_LOAD_MS = 180_000;
const RESULTS = path.join(REPO_ROOT, 'test-results');

export interface VsCodeRun {
  version: VsCodeVersion;
  /** The folder to open (copied first unless `copy` is false). */
  workspace: string;
  copy?: boolean;
  /** Compiled entry with `run()`, loaded through extensionTestsPath. */
  testsPath: string;
  /** The extension loaded through extensionDevelopmentPath: Comet's folder unless a test driver is given. */
  developmentPath?: string;
  /** VSIX files installed into the run's extensions folder first. */
  installExtensions?: string[];
  env?: Record<string, string>;
  /** Test phases, each run in a fresh window load of the same profile (e.g. ['main', 'after-reload']). */
  phases?: string[];
  /** Open the workspace in Restricted Mode (Workspace Trust on, the folder not trusted). */
  workspaceTrust?: boolean;
  /**
   * User settings written into User/settings.json on disk before a phase's window loads, as a user edits the file.
   * (code-server does not notice edits to that file while a window is open; a window load reads it.)
   */
  phaseSettings?: Record<string, Record<string, unknown>>;
}

export interface RunOutcome {
  code: number;
  passes: number;
  failures: number;
  seconds: number;
  /** Peak of code-server's and Chromium's process trees together (PSS), sampled every 500 ms. */
  peakMiB: number;
  /** The failed tests, each with its phase and the first lines of its error. */
  failed: Array<FailedTest & { phase: string }>;
}

function readResult(resultFile: string, phase: string): { passes: number; failures: number; failed: FailedTest[]; finished: boolean } {
  try {
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { failures: number; passes: number; tests: number; failed?: FailedTest[] };
    log(`mocha (${phase}): ${result.passes} passed, ${result.failures} failed of ${result.tests}`);
    return { ...result, failed: result.failed ?? [], finished: true };
  } catch {
    log(`no result file in phase ${phase}: the test runner did not finish`);
    return { passes: 0, failures: 1, failed: [], finished: false };
  }
}

/** What the closing summary says of a phase: its failed tests, how many more there were, and how it ended when that
 *  is the failure (a timeout, a runner that did not finish, an exit code with no failed test). */
function whyPhaseFailed(failed: FailedTest[], failures: number, phaseCode: number, result: number, finished: boolean): FailedTest[] {
  const line = (title: string) => ({ title, error: '' });
  const why = [...failed];
  if (failed.length && failures > failed.length) why.push(line(`(${failures - failed.length} more failed, not listed)`));
  if (phaseCode === 124) why.push(line(`(timed out after ${TIMEOUT_MS / 1000} s)`));
  else if (!failed.length && result !== 0) why.push(line(finished ? `(the window's tests ended with exit code ${result})` : '(the test runner did not finish)'));
  return why;
}

/**
 * With the smoke-test driver (1.139), the workbench forwards its own log lines too, beside the extension host's
 * console: drop the known ones, and built-in Copilot Chat's complaints about having no network and no sign-in.
 * VERBOSE=1 shows everything.
 */
const NOISE = [
  /^\[[A-Za-z][\w :.-]*\]:? /, // [ChatModelSelection] ..., [AgentHost:remote] ..., [lifecycle] ..., [Service Worker] ...
  /^(Ignoring fetching|Updating) additional builtin extensions/,
  /^(Creating a socket|Resolving connection token|Resolved connection token)/,
  /^Canceled(: Canceled)*/,
  /^Error creating chat editing session/,
  /^DialogService: Dialog requested during smoke test/,
  /\(Canceled: Canceled\)/, // reads and writes cut short by a window reload
  /^ChatSessionStore: /,
  /^Unload veto: |^Throttler is disposed|^Unable to write file 'vscode-log:/,
  /ERR_UNSUPPORTED_DIR_IMPORT|ENOTFOUND api\.github\.com|GitHub Copilot|copilot/i,
];
function isNoise(line: string): boolean {
  return line.trim() === '' || NOISE.some(pattern => pattern.test(line));
}

export function packageVsix(): string {
  const result = cp.spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'package.mjs'), '--skip-build'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(result.stdout);
  if (result.status !== 0) throw new Error(`packaging the VSIX failed (exit ${result.status})`);
  const vsix = /^vsix: (.+\.vsix)$/m.exec(result.stdout)?.[1];
  if (!vsix || !fs.existsSync(vsix)) throw new Error('packaging printed no VSIX path');
  return vsix;
}

async function main(): Promise<number> {
  const versions = selectVersions(process.env.COMET_VSCODE, ['oldest', 'newest']);
  const suites = (process.env.COMET_SUITES ?? 'integration,vsix').split(',');
  const vsix = suites.includes('vsix') ? packageVsix() : undefined;
  const summary: Array<{ version: VsCodeVersion; suite: string; outcome: RunOutcome }> = [];
  for (const version of versions) {
    if (suites.includes('integration')) {
      const proxyLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'comet-proxy-')), 'proxy.jsonl');
      let proxy: TestProxy | undefined;
      try {
        proxy = await startTestProxy(proxyLog);
        const outcome = await runInVsCode({
          version,
          workspace: path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'),
          testsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
          env: { COMET_TEST_GREP: process.env.COMET_TEST_GREP ?? '', COMET_TEST_PROXY_URL: proxy.url, COMET_TEST_PROXY_LOG: proxy.logFile },
          phases: ['main', 'before-reload', 'after-reload', 'proxy', 'proxy-off'],
          // The proxy suites (test/integration/proxy.*.test.ts) run with VS Code's proxy settings set on disk.
          phaseSettings: {
            proxy: { 'http.proxy': proxy.url, 'http.noProxy': [NO_PROXY_TEST_HOST] },
            'proxy-off': { 'http.proxy': proxy.url, 'http.proxySupport': 'off' },
          },
        });
        summary.push({ version, suite: 'integration', outcome });
        const carried = readProxyLog(proxy.logFile);
        log(`the test proxy carried ${carried.length} requests: ${[...new Set(carried.map(e => `${e.method} ${e.url}`))].join(', ')}`);
      } finally {
        await proxy?.close();
        fs.rmSync(path.dirname(proxyLog), { recursive: true, force: true });
      }
    }
    if (suites.includes('integration')) {
      // A window of its own with Workspace Trust on: the fixture folder opens in Restricted Mode.
      const outcome = await runInVsCode({
        version,
        workspace: path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'),
        testsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
        env: { COMET_TEST_GREP: process.env.COMET_TEST_GREP ?? '' },
        phases: ['restricted'],
        workspaceTrust: true,
      });
      summary.push({ version, suite: 'restricted', outcome });
    }
    if (suites.includes('integration')) {
      // Two windows (two tabs) on one workspace, in a profile of their own: what they share is the store alone, not
      // what the main run's hundred earlier tests left in its windows.
      const outcome = await runInVsCode({
        version,
        workspace: path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'),
        testsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
        env: { COMET_TEST_GREP: process.env.COMET_TEST_GREP ?? '' },
        phases: ['two-windows'],
      });
      summary.push({ version, suite: 'two windows', outcome });
    }
    if (suites.includes('integration') && hasModelProviderApi(version)) {
      // VS Code's chat asks for Comet's models at startup in five fresh window loads of one profile, with
      // comet.baseUrl written on disk before each: listed from the endpoint, then from memory (twice), then (other
      // limits on disk, then another comet.baseUrl) from the endpoint again. The endpoint must outlive the loads, so
      // it runs here.
      const endpoint = await OpenAITestServer.start();
      try {
        endpoint.models = [...STARTUP_MODELS.first];
        const remembered = { 'comet.baseUrl': endpoint.baseUrl };
        const outcome = await runInVsCode({
          version,
          workspace: path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'),
          testsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
          env: { COMET_TEST_GREP: process.env.COMET_TEST_GREP ?? '' },
          phases: ['models-listed', 'models-remembered', 'models-stale', 'models-resized', 'models-elsewhere'],
          phaseSettings: {
            'models-listed': remembered,
            'models-remembered': remembered,
            'models-stale': remembered,
            'models-resized': { ...remembered, 'comet.model': RESIZED.model, 'comet.contextWindow': RESIZED.contextWindow },
            'models-elsewhere': { 'comet.baseUrl': endpoint.baseUrl.replace('127.0.0.1', 'localhost') },
          },
        });
        summary.push({ version, suite: 'chat startup', outcome });
      } finally {
        await endpoint.close();
      }
    }
    if (vsix) {
      const outcome = await runInVsCode({
        version,
        workspace: path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'),
        testsPath: path.join(REPO_ROOT, 'out', 'test', 'smoke', 'index.js'),
        // A test-only extension drives the tests, so Comet itself comes only from the installed VSIX.
        developmentPath: path.join(REPO_ROOT, 'test', 'smoke', 'driver'),
        installExtensions: [vsix],
        env: { COMET_TEST_VSIX: vsix, COMET_TEST_GREP: process.env.COMET_TEST_GREP ?? '' },
      });
      summary.push({ version, suite: 'vsix smoke', outcome });
    }
  }
  console.log(`\n${'VS Code'.padEnd(18)}${'suite'.padEnd(13)}passed  failed     time  peak memory (code-server + Chromium, PSS)`);
  for (const { version, suite, outcome } of summary) {
    console.log(
      `${`${version.vscode} (${version.name})`.padEnd(18)}${suite.padEnd(13)}${String(outcome.passes).padStart(6)}  ${String(outcome.failures).padStart(6)}  ${`${outcome.seconds.toFixed(1)} s`.padStart(7)}  ${outcome.peakMiB.toFixed(0)} MiB`,
    );
  }
  // Repeated here because CI keeps only the tail of the log, and mocha's own list is printed phases earlier.
  for (const { version, suite, outcome } of summary) {
    for (const failure of outcome.failed) {
      console.log(`\nFAILED on ${version.vscode} (${version.name}), ${suite}, phase ${failure.phase}: ${failure.title}\n${failure.error.replace(/^/gm, '    ')}`);
    }
  }
  const passes = summary.reduce((n, s) => n + s.outcome.passes, 0);
  const failures = summary.reduce((n, s) => n + s.outcome.failures, 0);
  const code = summary.find(s => s.outcome.code !== 0)?.outcome.code ?? 0;
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'integration-summary.json'), JSON.stringify(summary.map(s => ({ vscode: s.version.vscode, suite: s.suite, ...s.outcome })), null, 2));
  // The plain closing line CI reads.
  console.log(`integration: ${passes} passed, ${code !== 0 && failures === 0 ? 1 : failures} failed`);
  return code;
}

export async function runInVsCode(run: VsCodeRun): Promise<RunOutcome> {
  const { version } = run;
  ensureCodeServer(version, { needBrowser: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  let page: Page | undefined;
  let browser: Browser | undefined;
  let server: RunningCodeServer | undefined;
  // Tests that need more windows on the workspace (two windows sharing the store) open them through the bridge.
  let openWindow: (() => Promise<Page>) | undefined;
  const bridge = await startBridge(() => page, () => (openWindow ? openWindow() : Promise.reject(new Error('not started'))));
  const started = Date.now();
  const memory = samplePeakMemory();
  const label = `VS Code ${version.vscode} (${version.name}${run.installExtensions?.length ? ', installed VSIX' : ''})`;
  const totals = { passes: 0, failures: 0, failed: [] as RunOutcome['failed'] };
  const outcome = (code: number): RunOutcome => ({ code, ...totals, seconds: (Date.now() - started) / 1000, peakMiB: memory.stop() });

  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    bridge.close();
    if (server && !process.env.KEEP_TMP) fs.rmSync(server.tmp, { recursive: true, force: true });
  };

  log(`${label}: starting`);
  try {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-ws-'));
    const workspace = run.copy === false ? run.workspace : copyWorkspace(run.workspace, tmp);
    const resultFile = path.join(tmp, 'result.json');
    const phaseFile = path.join(tmp, 'phase');
    server = await startCodeServer({
      version,
      workspace,
      workspaceTrust: run.workspaceTrust,
      installExtensions: run.installExtensions,
      verbose: process.env.VERBOSE === '1',
      env: {
        COMET_TEST_BRIDGE: bridge.url,
        COMET_TEST_RESULT: resultFile,
        COMET_TEST_PHASE_FILE: phaseFile,
        COMET_TEST_RESULTS_DIR: path.join(RESULTS, version.name),
        // What the suites expect of the version under test.
        COMET_TEST_VSCODE_VERSION: version.vscode,
        COMET_TEST_NODE_MAJOR: String(version.nodeMajor),
        COMET_TEST_THEMES: JSON.stringify(version.themes),
        COMET_TEST_RIPGREP_PACKAGE: version.ripgrepPackage,
        ...run.env,
      },
    });
    fs.mkdirSync(path.join(RESULTS, version.name), { recursive: true });
    log(`${label}: code-server ready on ${server.authority}`);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // Playwright's 30 s for a page load is too short on the shared 2-core machine (load average 35: the workbench took longer).
    context.setDefaultNavigationTimeout(180_000);
    // The Copy action goes through vscode.env.clipboard, which in the browser build is the page's clipboard.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://${server.authority}` });
    page = await context.newPage();
    page.on('pageerror', error => log('page error:', error.message));

    // With extensionTestsPath set, the workbench forwards the extension host's console to codeAutomationLog and
    // calls codeAutomationExit when the tests end.
    let onExit: (code: number) => void = () => undefined;
    const verbose = process.env.VERBOSE === '1';
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      const line = (Array.isArray(args) ? args : [args]).join(' ');
      if (!verbose && isNoise(line)) return;
      if (type === 'error') console.error(line);
      else console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => onExit(code));
    const url = server.workbenchUrl([
      ['extensionDevelopmentPath', server.remote(run.developmentPath ?? REPO_ROOT)],
      ['extensionTestsPath', server.remote(run.testsPath)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ]);
    const windowUrl = server.workbenchUrl([['extensionDevelopmentPath', server.remote(REPO_ROOT)], ['skipWelcome', 'true'], ['skipReleaseNotes', 'true']]);
    openWindow = async () => {
      const extra = await context.newPage();
      await extra.goto(windowUrl, { timeout: PAGE_LOAD_MS });
      return extra;
    };
    const deadline = Date.now() + TIMEOUT_MS;
    // One window load per phase; a later phase is a reloaded window (new extension host, same profile and storage).
    let code = 0;
    const userSettingsFile = path.join(server.userData, 'User', 'settings.json');
    for (const [index, phase] of (run.phases ?? ['main']).entries()) {
      // The workbench writes a storage change (an extension's globalState, say) 100 ms after it is made, into the
      // browser's IndexedDB, and a navigation right after can abort that write; the next load then misses what the
      // last one stored (once on CI: the models remembered for VS Code's chat at startup). Let it land first.
      if (index > 0) await sleep(PHASE_SETTLE_MS);
      fs.writeFileSync(phaseFile, phase);
      if (run.phaseSettings) {
        // Each phase sees the settings as they are, with its own on top and the other phases' taken off.
        const settings = await readSettingsFile(userSettingsFile);
        for (const key of Object.values(run.phaseSettings).flatMap(Object.keys)) delete settings[key];
        Object.assign(settings, run.phaseSettings[phase]);
        fs.writeFileSync(userSettingsFile, JSON.stringify(settings, null, 2));
      }
      fs.rmSync(resultFile, { force: true });
      const exited = new Promise<number>(resolve => (onExit = resolve));
      const timedOut = sleep(Math.max(0, deadline - Date.now())).then(() => 124);
      await page.goto(url, { timeout: PAGE_LOAD_MS });
      const phaseCode = await Promise.race([exited, timedOut]);
      const { passes, failures, failed, finished } = readResult(resultFile, phase);
      totals.passes += passes;
      totals.failures += failures;
      const result = phaseCode === 124 ? 124 : phaseCode !== 0 ? phaseCode : failures > 0 ? 1 : 0;
      totals.failed.push(...whyPhaseFailed(failed, failures, phaseCode, result, finished).map(failure => ({ ...failure, phase })));
      if (result === 124) {
        log(`${label}: timed out after ${TIMEOUT_MS / 1000} s`);
        await page.screenshot({ path: path.join(RESULTS, `timeout-${version.name}.png`) }).catch(() => undefined);
        return outcome(124);
      }
      // A failure that mocha recorded wins even if the exit code got lost on the way.
      code = code || result;
    }
    const done = outcome(code);
    log(`${label}: ${totals.passes} passed, ${totals.failures} failed in ${done.seconds.toFixed(1)} s, peak memory ${done.peakMiB.toFixed(0)} MiB; exit code ${code}`);
    return done;
  } finally {
    await cleanup();
  }
}

if (require.main === module) {
  main().then(
    code => process.exit(code),
    error => {
      console.error(error);
      process.exit(2);
    },
  );
}

/**
 * The User settings.json as the last window left it. That window's workbench may still be rewriting it as the next
 * phase starts (a read then finds it empty or half-written): read again until it parses, for up to 5 s.
 */
async function readSettingsFile(file: string): Promise<Record<string, unknown>> {
  for (const deadline = Date.now() + 5_000; ; ) {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${file} is not JSON: ${(error as Error).message}`);
      await sleep(50);
    }
  }
}
