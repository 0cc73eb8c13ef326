// `npm run test:integration`: runs test/integration inside a real VS Code extension host (code-server), with the
// workbench and Comet's webview rendered by headless Chromium. Exit code 0 only when mocha reports no failures.
// `runInVsCode` is also what the benchmarks use to measure inside the extension host.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyWorkspace, ensureCodeServer, launchChromium, log, REPO_ROOT, sleep, startCodeServer, type Browser, type Page, type RunningCodeServer } from './codeServer';
import { startBridge } from './webviewBridge';

const TIMEOUT_MS = Number(process.env.COMET_TEST_TIMEOUT_S ?? 600) * 1000;
const RESULTS = path.join(REPO_ROOT, 'test-results');

export interface VsCodeRun {
  /** The folder to open (copied first unless `copy` is false). */
  workspace: string;
  copy?: boolean;
  /** Compiled entry with `run()`, loaded through extensionTestsPath. */
  testsPath: string;
  env?: Record<string, string>;
  /** Test phases, each run in a fresh window load of the same profile (e.g. ['main', 'after-reload']). */
  phases?: string[];
}

function readResult(resultFile: string, phase: string): { passes: number; failures: number } {
  try {
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { failures: number; passes: number; tests: number };
    log(`mocha (${phase}): ${result.passes} passed, ${result.failures} failed of ${result.tests}`);
    return result;
  } catch {
    log(`no result file in phase ${phase}: the test runner did not finish`);
    return { passes: 0, failures: 1 };
  }
}

async function main(): Promise<number> {
  return runInVsCode({
    workspace: path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'),
    testsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
    env: { COMET_TEST_GREP: process.env.COMET_TEST_GREP ?? '' },
    phases: ['main', 'before-reload', 'after-reload'],
  });
}

export async function runInVsCode(run: VsCodeRun): Promise<number> {
  ensureCodeServer({ needBrowser: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  let page: Page | undefined;
  let browser: Browser | undefined;
  let server: RunningCodeServer | undefined;
  // Tests that need more windows on the workspace (two windows sharing the store) open them through the bridge.
  let openWindow: (() => Promise<Page>) | undefined;
  const bridge = await startBridge(() => page, () => (openWindow ? openWindow() : Promise.reject(new Error('not started'))));
  const started = Date.now();

  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    bridge.close();
    if (server && !process.env.KEEP_TMP) fs.rmSync(server.tmp, { recursive: true, force: true });
  };

  try {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-ws-'));
    const workspace = run.copy === false ? run.workspace : copyWorkspace(run.workspace, tmp);
    const resultFile = path.join(tmp, 'result.json');
    const phaseFile = path.join(tmp, 'phase');
    server = await startCodeServer({
      workspace,
      verbose: process.env.VERBOSE === '1',
      env: {
        COMET_TEST_BRIDGE: bridge.url,
        COMET_TEST_RESULT: resultFile,
        COMET_TEST_PHASE_FILE: phaseFile,
        COMET_TEST_RESULTS_DIR: RESULTS,
        ...run.env,
      },
    });
    log(`code-server ready on ${server.authority}`);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // The Copy action goes through vscode.env.clipboard, which in the browser build is the page's clipboard.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://${server.authority}` });
    page = await context.newPage();
    page.on('pageerror', error => log('page error:', error.message));

    // With extensionTestsPath set, the workbench forwards the extension host's console to codeAutomationLog and
    // calls codeAutomationExit when the tests end.
    let onExit: (code: number) => void = () => undefined;
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      const line = (Array.isArray(args) ? args : [args]).join(' ');
      if (type === 'error') console.error(line);
      else console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => onExit(code));
    const url = server.workbenchUrl([
      ['extensionDevelopmentPath', server.remote(REPO_ROOT)],
      ['extensionTestsPath', server.remote(run.testsPath)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ]);
    const windowUrl = server.workbenchUrl([['extensionDevelopmentPath', server.remote(REPO_ROOT)], ['skipWelcome', 'true'], ['skipReleaseNotes', 'true']]);
    openWindow = async () => {
      const extra = await context.newPage();
      await extra.goto(windowUrl);
      return extra;
    };
    const deadline = Date.now() + TIMEOUT_MS;
    // One window load per phase; a later phase is a reloaded window (new extension host, same profile and storage).
    let code = 0;
    const totals = { passes: 0, failures: 0 };
    for (const phase of run.phases ?? ['main']) {
      fs.writeFileSync(phaseFile, phase);
      fs.rmSync(resultFile, { force: true });
      const exited = new Promise<number>(resolve => (onExit = resolve));
      const timedOut = sleep(Math.max(0, deadline - Date.now())).then(() => 124);
      await page.goto(url);
      const phaseCode = await Promise.race([exited, timedOut]);
      const { passes, failures } = readResult(resultFile, phase);
      totals.passes += passes;
      totals.failures += failures;
      const outcome = phaseCode === 124 ? 124 : phaseCode !== 0 ? phaseCode : failures > 0 ? 1 : 0;
      if (outcome === 124) {
        log(`timed out after ${TIMEOUT_MS / 1000} s`);
        await page.screenshot({ path: path.join(RESULTS, 'timeout.png') }).catch(() => undefined);
        return 124;
      }
      // A failure that mocha recorded wins even if the exit code got lost on the way.
      code = code || outcome;
    }
    console.log(`integration: ${totals.passes} passed, ${totals.failures} failed`);
    log(`integration tests finished in ${((Date.now() - started) / 1000).toFixed(1)} s with exit code ${code}`);
    return code;
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
