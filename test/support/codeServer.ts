// Runs a real VS Code here without downloading anything: code-server (VS Code's server build, from npm) serves the
// workbench, and Debian's Chromium, driven by playwright-core, renders it. Shared by the test runner and `npm start`.
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { VsCodeVersion } from './vscodeVersions';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const log = (...parts: unknown[]) => console.log(`[comet-harness ${new Date().toISOString().slice(11, 19)}]`, ...parts);

const codeServerDir = (version: VsCodeVersion) => path.join(version.installDir(REPO_ROOT), 'node_modules', 'code-server');

/** Installs the system packages and this code-server on first use; a no-op once the version stamp exists. */
export function ensureCodeServer(version: VsCodeVersion, options: { needBrowser: boolean }): void {
  const needed = ['rg', 'pkg-config', 'c++', 'make', 'python3', ...(options.needBrowser ? ['chromium'] : [])].filter(bin => !onPath(bin));
  if (needed.length) run('bash', [path.join(REPO_ROOT, 'scripts', 'install-system-deps.sh')]);
  if (!fs.existsSync(path.join(version.installDir(REPO_ROOT), `.installed-${version.codeServer}`))) {
    run('bash', [path.join(REPO_ROOT, 'scripts', 'setup-code-server.sh'), version.name]);
  }
}

function onPath(bin: string): boolean {
  return cp.spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

function run(command: string, args: string[]): void {
  const result = cp.spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
}

export interface CodeServerOptions {
  version: VsCodeVersion;
  workspace: string;
  /** VSIX files installed into this run's extensions folder before the server starts. */
  installExtensions?: string[];
  /** A temporary HOME and TMPDIR for the server (default true; `npm start` keeps the person's own). */
  isolateHome?: boolean;
  /** Extra environment for the server, inherited by the extension host. */
  env?: Record<string, string>;
  port?: number;
  /** Pipe code-server's own output to ours. */
  verbose?: boolean;
  /** User settings for this profile. */
  userSettings?: Record<string, unknown>;
  /** Keep Workspace Trust on, so the (untrusted) workspace opens in Restricted Mode. Off by default. */
  workspaceTrust?: boolean;
}

export interface RunningCodeServer {
  port: number;
  authority: string;
  tmp: string;
  /** This run's user data folder (User/settings.json, Machine/settings.json). */
  userData: string;
  extensionsDir: string;
  process: cp.ChildProcess;
  stop(): Promise<void>;
  /** The workbench URL that opens `workspace` with the given development payload. */
  workbenchUrl(payload: Array<[string, string]>): string;
  remote(fsPath: string): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-vscode-'));
  const dirs = Object.fromEntries(
    ['user-data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'home', 'tmp'].map(name => {
      const dir = path.join(tmp, name);
      fs.mkdirSync(dir, { recursive: true });
      return [name, dir];
    }),
  );
  fs.mkdirSync(path.join(dirs['user-data'], 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs['user-data'], 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'update.showReleaseNotes': false,
      'telemetry.telemetryLevel': 'off',
      'workbench.enableExperiments': false,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'security.workspace.trust.enabled': false,
      // The browser build saves after a delay by default, which would write test edits into the fixture copy.
      'files.autoSave': 'off',
      'window.confirmBeforeClose': 'never',
      'workbench.tips.enabled': false,
      ...(options.workspaceTrust
        ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' }
        : {}),
      ...options.version.userSettings,
      ...options.userSettings,
    }, null, 2),
  );
  const configFile = path.join(tmp, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');

  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EXTENSIONS_GALLERY: '{}', // no marketplace lookups (this machine has no internet)
    XDG_CONFIG_HOME: dirs['xdg-config'],
    XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CACHE_HOME: dirs['xdg-cache'],
    // Built-in extensions (1.139's Copilot Chat) write locks and folders into HOME and TMPDIR: keep them in this run.
    ...(options.isolateHome === false ? {} : { HOME: dirs.home, TMPDIR: dirs.tmp }),
    // Tests that edit settings as a user does write these files on disk.
    COMET_TEST_USER_DATA: dirs['user-data'],
    COMET_TEST_EXTENSIONS_DIR: dirs.extensions,
    PATH: `${path.dirname(options.version.node(REPO_ROOT))}${path.delimiter}${process.env.PATH ?? ''}`,
    ...options.env,
  };
  // A developer's own key must never reach a test run or a demo by accident.
  if (!options.env?.COMETAPI_KEY) delete env.COMETAPI_KEY;
  const node = options.version.node(REPO_ROOT);
  const entry = path.join(codeServerDir(options.version), 'out', 'node', 'entry.js');
  for (const vsix of options.installExtensions ?? []) {
    const installed = cp.spawnSync(
      node,
      [entry, '--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions, '--install-extension', vsix, '--force'],
      { env, encoding: 'utf8' },
    );
    if (installed.status !== 0) throw new Error(`installing ${vsix} failed (${installed.status}): ${installed.stdout}${installed.stderr}`);
    log(`installed ${path.basename(vsix)}: ${installed.stdout.trim().split('\n').pop()}`);
  }

  const child = cp.spawn(
    node,
    [
      entry,
      '--config', configFile,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry', '--disable-update-check', ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override', '--ignore-last-opened',
      '--user-data-dir', dirs['user-data'],
      '--extensions-dir', dirs.extensions,
      ...options.version.serverArgs,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  const serverLog = fs.createWriteStream(path.join(tmp, 'code-server.log'));
  child.stdout?.pipe(serverLog);
  child.stderr?.pipe(serverLog);
  if (options.verbose) {
    child.stdout?.pipe(process.stdout);
    child.stderr?.pipe(process.stderr);
  }
  const authority = `127.0.0.1:${port}`;
  const remote = (fsPath: string) => `vscode-remote://${authority}${fsPath}`;
  const running: RunningCodeServer = {
    port,
    authority,
    tmp,
    userData: dirs['user-data'],
    extensionsDir: dirs.extensions,
    process: child,
    remote,
    stop: () => killTree(child),
    workbenchUrl: payload =>
      `http://${authority}/?folder=${encodeURIComponent(remote(options.workspace))}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
  };
  try {
    await waitForHttp(`http://${authority}/healthz`, child, 60_000);
  } catch (error) {
    await running.stop();
    throw new Error(`${(error as Error).message}; see ${path.join(tmp, 'code-server.log')}`);
  }
  return running;
}

async function waitForHttp(url: string, child: cp.ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>(resolve =>
      http.get(url, res => {
        res.resume();
        resolve((res.statusCode ?? 500) < 500);
      }).on('error', () => resolve(false)),
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${url}`);
}

/** code-server forks a server, which forks the extension host, pty host and file watcher: end them all by PID. */
export async function killTree(child: cp.ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const pids = [...descendants(child.pid).reverse(), child.pid];
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && pids.some(alive)) await sleep(100);
  for (const pid of pids) if (alive(pid)) signal(pid, 'SIGKILL');
  signal(-child.pid, 'SIGKILL');
}

/** Memory of all descendants of a process (not itself): the sum of their PSS (shared pages split fairly), in MiB. */
export function descendantsMemoryMiB(root: number): number {
  let kib = 0;
  for (const pid of descendants(root)) {
    try {
      kib += Number(/^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      /* ended meanwhile, or no smaps_rollup on this kernel */
    }
  }
  return kib / 1024;
}

/** Samples the memory of this process's descendants (code-server's tree and Chromium's) every `everyMs`; keeps the peak. */
export function samplePeakMemory(everyMs = 500): { stop(): number } {
  let peak = 0;
  const take = () => {
    peak = Math.max(peak, descendantsMemoryMiB(process.pid));
  };
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      /* the process ended meanwhile */
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    for (const child of children.get(stack.pop()!) ?? []) {
      out.push(child);
      stack.push(child);
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    /* already gone */
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  });
}

/** Copies the fixture workspace, so every run starts from a clean checkout of it. */
export function copyWorkspace(source: string, tmp: string): string {
  const target = path.join(tmp, 'workspace');
  fs.cpSync(source, target, { recursive: true });
  return target;
}

export type { Browser, Page };
