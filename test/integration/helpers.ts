// Shared set-up for the integration suites: the loopback OpenAI-compatible server, settings and the key.
import * as vscode from 'vscode';
import { OpenAITestServer } from '../support/openaiTestServer';

export const EXTENSION_ID = 'comet.comet-vscode';
export const TEST_KEY = 'sk-integration-test-key-123456';

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
