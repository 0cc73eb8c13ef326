// For the VS Code-chat startup run (vscodeChat.models-*.test.ts): each phase is a fresh window load in which nothing
// has activated Comet yet; VS Code's chat is then asked for Comet's models, as it does at startup. The harness runs
// those phases only where VS Code has the provider API (hasModelProviderApi), so the tests do not skip: run anywhere
// else, they fail.
import * as vscode from 'vscode';
import { LISTED_MODELS_CONTROL } from '../support/openaiTestServer';
import { EXTENSION_ID } from './helpers';
import { waitFor } from './webview';

export const cometIsActive = () => vscode.extensions.getExtension(EXTENSION_ID)?.isActive === true;

/** Whether this extension host loaded Comet's chat bundle (src/host/lazyComet.ts marks it). */
export const loadedChatBundle = () => performance.getEntriesByName('comet/didLoadChatBundle', 'mark').length > 0;

/** Asks VS Code for Comet's models, which has Comet list them (from memory or the endpoint). */
export async function cometModelIds(): Promise<string[]> {
  return (await vscode.lm.selectChatModels({ vendor: 'comet' })).map(model => model.id).sort();
}

/** The endpoint of comet.baseUrl (the harness's server) lists `models` from now on. */
export async function setListedModels(models: string[]): Promise<void> {
  const baseUrl = vscode.workspace.getConfiguration('comet').get<string>('baseUrl') ?? '';
  const response = await fetch(`${baseUrl}${LISTED_MODELS_CONTROL}`, { method: 'PUT', body: JSON.stringify({ models }) });
  if (!response.ok) throw new Error(`the endpoint did not take the models: ${response.status}`);
}

/**
 * Resolves when VS Code announces other models, having been told by Comet (it asks Comet again, and announces only a
 * list that differs). Only listens: asking VS Code for the models would itself have Comet list them.
 */
export function announcedModels(what: string): { done: Promise<void>; dispose(): void } {
  let seen = false;
  const listener = vscode.lm.onDidChangeChatModels(() => (seen = true));
  const done = waitFor(what, async () => seen).then(() => undefined);
  return { done, dispose: () => listener.dispose() };
}
