// `npm start`: VS Code (code-server) on 127.0.0.1 with Comet loaded from this folder, until Ctrl-C.
//   npm start                      open the fixture workspace in the newest VS Code; set your key with "Comet: Set API Key"
//   npm start -- --vscode oldest   the oldest VS Code that engines.vscode allows (1.100) instead of the newest (1.139)
//   npm start -- --demo            also start the loopback OpenAI-compatible server and point Comet at it (no key needed)
//   npm start -- --folder ~/proj   open another folder
//   PORT=8080 npm start            choose the port
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyWorkspace, ensureCodeServer, log, REPO_ROOT, startCodeServer } from './codeServer';
import { OpenAITestServer, textReply } from './openaiTestServer';
import { selectVersions } from './vscodeVersions';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const folderArg = args.includes('--folder') ? args[args.indexOf('--folder') + 1] : undefined;
  const demo = args.includes('--demo');
  const which = args.find(a => a.startsWith('--vscode='))?.slice('--vscode='.length) ?? (args.includes('--vscode') ? args[args.indexOf('--vscode') + 1] : undefined);
  if (which !== undefined && which !== 'newest' && which !== 'oldest') throw new Error(`--vscode takes newest or oldest, not "${which}"`);
  const [version] = selectVersions(which, ['newest']);
  ensureCodeServer(version, { needBrowser: false });

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-start-'));
  const workspace = folderArg ? path.resolve(folderArg) : copyWorkspace(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'), tmp);
  let demoServer: OpenAITestServer | undefined;
  const userSettings: Record<string, unknown> = {};
  const env: Record<string, string> = {};
  if (demo) {
    demoServer = await OpenAITestServer.start();
    demoServer.fallback = textReply(DEMO_ANSWER.match(/[\s\S]{1,12}/g) ?? [], { delayMs: 25 });
    userSettings['comet.baseUrl'] = demoServer.baseUrl;
    env.COMETAPI_KEY = 'demo-key';
  } else if (process.env.COMETAPI_KEY) {
    env.COMETAPI_KEY = process.env.COMETAPI_KEY;
  }

  const server = await startCodeServer({ version, workspace, isolateHome: false, port: process.env.PORT ? Number(process.env.PORT) : undefined, env, userSettings });
  const url = server.workbenchUrl([
    ['extensionDevelopmentPath', server.remote(REPO_ROOT)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ]);
  log(`VS Code ${version.vscode} with Comet is running${demo ? ' (demo server: answers are canned)' : ''}. Open:\n\n  ${url}\n`);
  log('Press Ctrl-C to stop.');

  const stop = async () => {
    await server.stop();
    await demoServer?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(server.tmp, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  server.process.on('exit', code => {
    log(`code-server exited (${code})`);
    void stop();
  });
}

const DEMO_ANSWER = [
  'This is **Comet** answering from the local demo server.',
  '',
  '```ts',
  'export function add(a: number, b: number): number {',
  '  return a + b;',
  '}',
  '```',
  '',
  'Point `comet.baseUrl` at CometAPI, Ollama, LM Studio or OpenRouter to talk to a real model.',
].join('\n');

main().catch(error => {
  console.error(error);
  process.exit(1);
});
