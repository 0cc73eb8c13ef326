// `npm run test:integration`: runs test/integration inside a real VS Code extension host (code-server), with the
// workbench and Comet's webview rendered by headless Chromium. Exit code 0 only when mocha reports no failures.
// `runInVsCode` is also what the benchmarks use to measure inside the extension host.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyWorkspace, ensureCodeServer, launchChromium, log, REPO_ROOT, startCodeServer, type Browser, type Page, type RunningCodeServer } from './codeServer';
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
}

async function main(): Promise<number> {
  return runInVsCode({
    workspace: path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'),
    testsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
    env: { COMET_TEST_GREP: process.env.COMET_TEST_GREP ?? '' },
  });
}

export async function runInVsCode(run: VsCodeRun): Promise<number> {
  ensureCodeServer({ needBrowser: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  let page: Page | undefined;
  let browser: Browser | undefined;
  let server: RunningCodeServer | undefined;
  const bridge = await startBridge(() => page);
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
    server = await startCodeServer({
      workspace,
      verbose: process.env.VERBOSE === '1',
      env: {
        COMET_TEST_BRIDGE: bridge.url,
        COMET_TEST_RESULT: resultFile,
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

    const exitCode = new Promise<number>(resolve => {
      // With extensionTestsPath set, the workbench forwards the extension host's console here, and calls
      // codeAutomationExit when the tests end.
      void page!.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
        const line = (Array.isArray(args) ? args : [args]).join(' ');
        if (type === 'error') console.error(line);
        else console.log(line);
      });
      void page!.exposeFunction('codeAutomationExit', (code: number) => {
        let failures = 0;
        try {
          const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { failures: number; passes: number; tests: number };
          failures = result.failures;
          log(`mocha: ${result.passes} passed, ${result.failures} failed of ${result.tests}`);
        } catch {
          log('no result file: the test runner did not finish');
          failures = 1;
        }
        // A failure that mocha recorded wins even if the exit code got lost on the way.
        resolve(code !== 0 ? code : failures > 0 ? 1 : 0);
      });
    });
    const timeout = new Promise<number>(resolve =>
      setTimeout(() => {
        log(`timed out after ${TIMEOUT_MS / 1000} s`);
        void page?.screenshot({ path: path.join(RESULTS, 'timeout.png') }).catch(() => undefined);
        resolve(124);
      }, TIMEOUT_MS).unref(),
    );
    await page.goto(
      server.workbenchUrl([
        ['extensionDevelopmentPath', server.remote(REPO_ROOT)],
        ['extensionTestsPath', server.remote(run.testsPath)],
        ['skipWelcome', 'true'],
        ['skipReleaseNotes', 'true'],
      ]),
    );
    const code = await Promise.race([exitCode, timeout]);
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
