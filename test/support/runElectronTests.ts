// `npm run test:electron`: the same integration suites in VS Code desktop, through @vscode/test-electron, for
// machines with internet (it downloads VS Code). Playwright attaches to the desktop window over the Chrome DevTools
// Protocol, so the webview bridge works exactly as under code-server. Not run in CI here: this machine cannot
// download VS Code.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { chromium, type Page } from 'playwright-core';
import { copyWorkspace, freePort, log, REPO_ROOT } from './codeServer';
import { startBridge } from './webviewBridge';

async function main(): Promise<number> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-electron-'));
  const workspace = copyWorkspace(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'), tmp);
  const debugPort = await freePort();
  let page: Page | undefined;
  const bridge = await startBridge(() => page);
  // Attach once the window is up; the tests wait on the bridge, which waits for the page.
  const attach = (async () => {
    for (let attempt = 0; attempt < 120 && !page; attempt++) {
      try {
        const browser = await chromium.connectOverCDP(`http://127.0.0.1:${debugPort}`);
        page = browser.contexts().flatMap(context => context.pages()).find(p => p.url().includes('workbench'));
      } catch {
        await new Promise(resolve => setTimeout(resolve, 500));
      }
    }
    if (!page) log('could not attach Playwright to the VS Code window; webview checks will fail');
  })();
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--remote-debugging-port=${debugPort}`, '--user-data-dir', path.join(tmp, 'user-data')],
      extensionTestsEnv: {
        COMET_TEST_BRIDGE: bridge.url,
        COMET_TEST_RESULTS_DIR: path.join(REPO_ROOT, 'test-results'),
        COMETAPI_KEY: '',
      },
    });
    return 0;
  } catch (error) {
    console.error(error);
    return 1;
  } finally {
    await attach;
    bridge.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(code => process.exit(code));
