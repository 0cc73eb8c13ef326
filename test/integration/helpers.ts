// Shared set-up for the integration suites: the loopback OpenAI-compatible server, settings and the key.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { decodeConversation } from '../../src/node/storedConversation';
import { applyJournal, JOURNAL_SUFFIX } from '../../src/node/storeJournal';
import { workspaceStorageId } from '../../src/node/storeMigration';
import { OpenAITestServer } from '../support/openaiTestServer';
import { chatIsShown, entries, type EntrySnapshot, waitFor } from './webview';

export const EXTENSION_ID = 'comet.comet-vscode';
export const TEST_KEY = 'sk-integration-test-key-123456';

/** Whether this VS Code has the Language Model Chat Provider API (1.104+; on 1.100 the suites for VS Code's chat
 *  skip, as there is nothing to test). */
export const hasProviderApi = (): boolean => typeof (vscode.lm as unknown as Record<string, unknown>).registerLanguageModelChatProvider === 'function';

export async function activateComet(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  await extension.activate();
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('comet').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Starts a server, points Comet at it and stores a key; returns the server. */
export async function setUpComet(): Promise<OpenAITestServer> {
  await activateComet();
  const server = await OpenAITestServer.start();
  await setSetting('baseUrl', server.baseUrl);
  await setSetting('maxRetries', 0);
  await vscode.commands.executeCommand('comet.setApiKey', TEST_KEY);
  return server;
}

export function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, relative);
}

export async function newChat(): Promise<void> {
  await vscode.commands.executeCommand('comet.newChat');
}

/** The profile folder of this VS Code (User settings, workspace storage, logs), as the runner made it. */
export function userDataDir(): string {
  const dir = process.env.COMET_TEST_USER_DATA;
  if (!dir) throw new Error('COMET_TEST_USER_DATA is not set by the runner');
  return dir;
}

/** Every file under `dir` whose path matches, depth first (the folders here are small). */
export function findFiles(dir: string, match: (file: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(item => {
    const full = path.join(dir, item.name);
    return item.isDirectory() ? findFiles(full, match) : match(full) ? [full] : [];
  });
}

/** The conversation files Comet has saved in this profile, with their text as a reader finds it (journal applied). */
export function storedConversations(): Array<{ file: string; text: string }> {
  return findFiles(path.join(userDataDir(), 'User'), file => /[\\/]conversations[\\/][A-Za-z0-9-]+\.json$/.test(file)).map(file => ({
    file,
    text: withJournal(file, fs.readFileSync(file, 'utf8')),
  }));
}

/** A streaming answer's text since its last whole save is in `<id>.journal` beside the file. */
function withJournal(file: string, text: string): string {
  const journal = fs.existsSync(file.replace(/\.json$/, JOURNAL_SUFFIX)) ? fs.readFileSync(file.replace(/\.json$/, JOURNAL_SUFFIX)) : undefined;
  const decoded = journal && decodeConversation(text);
  return decoded && decoded.ok && decoded.journal && applyJournal(decoded.data, decoded.journal, journal) ? JSON.stringify(decoded.data) : text;
}

/** Where a second window of 0.1.0 on this workspace kept its conversations: `<workspaceStorage>/<id>-9/<extension>/conversations`. */
export function legacyStoreOfSecondWindow(): string {
  const root = path.join(userDataDir(), 'User', 'workspaceStorage');
  // The workbench records the folder as it sees it (a vscode-remote: URI in code-server): compare the paths.
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.path;
  const ours = fs.readdirSync(root).find(id => {
    try {
      const recorded = (JSON.parse(fs.readFileSync(path.join(root, id, 'workspace.json'), 'utf8')) as { folder?: string }).folder;
      return recorded !== undefined && folder !== undefined && vscode.Uri.parse(recorded).path === folder;
    } catch {
      return false;
    }
  });
  // Without a workspace.json that says so, the profile's only window folder is this workspace's (one per test run).
  // (code-server's ids are signed hashes, so `-38755963` is a window's folder, not a further window's `<id>-N`.)
  const windows = fs.readdirSync(root).filter(id => workspaceStorageId(id) === id && fs.statSync(path.join(root, id)).isDirectory());
  const found = ours ?? (windows.length === 1 ? windows[0] : undefined);
  if (!found) throw new Error(`no workspace storage folder for ${folder} among ${JSON.stringify(fs.readdirSync(root))}`);
  return path.join(root, `${workspaceStorageId(found)}-9`, EXTENSION_ID, 'conversations');
}

/** Asks through the command and waits for this question's answer to end in `state`: the answer after the newest
 *  question entry that was not there before. (The previous answer has ended too, so waiting for the last answer alone
 *  can return before the new question shows.) */
export async function askComet(question: string, state = 'done', timeoutMs?: number): Promise<EntrySnapshot[]> {
  // By id, not by count: a panel that is still showing the chat before (a late restore) must not hide the new question.
  const questionsBefore = new Set((await chatIsShown()) ? (await entries()).filter(entry => entry.role === 'user').map(entry => entry.id) : []);
  await vscode.commands.executeCommand('comet.ask', question);
  return waitFor(`the answer to "${question}" to be ${state}`, async () => {
    const all = await entries();
    const asked = all.findLastIndex(entry => entry.role === 'user');
    if (asked < 0 || questionsBefore.has(all[asked].id) || !all[asked].text.includes(question)) return undefined;
    return all.slice(asked + 1).filter(entry => entry.role === 'assistant').at(-1)?.state === state ? all : undefined;
  }, timeoutMs);
}

/**
 * The usual suite: Comet set up against a loopback server before it, the server reset and a new, empty chat before
 * each test (with `closeEditors`, no editor open either, so no selection rides along), the server closed after.
 * `use` receives the server once it has started.
 */
export function useCometSuite(use: (server: OpenAITestServer) => void, options: { closeEditors?: boolean } = {}): void {
  let server: OpenAITestServer | undefined;
  before(async () => {
    server = await setUpComet();
    use(server);
  });
  after(() => server?.close());
  beforeEach(async () => {
    server?.reset();
    if (options.closeEditors) await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await newChat();
    await waitFor('an empty chat', async () => (await entries()).length === 0);
  });
}
