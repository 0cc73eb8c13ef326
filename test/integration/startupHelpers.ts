// For the VS Code-chat startup run (vscodeChat.models-*.test.ts): each phase is a fresh window load in which nothing
// has activated Comet yet; VS Code's chat is then asked for Comet's models, as it does at startup.
import * as vscode from 'vscode';
import { EXTENSION_ID } from './helpers';

export const hasProviderApi = () => typeof (vscode.lm as unknown as Record<string, unknown>).registerLanguageModelChatProvider === 'function';

export const cometIsActive = () => vscode.extensions.getExtension(EXTENSION_ID)?.isActive === true;

/** Whether this extension host loaded Comet's chat bundle (src/host/lazyComet.ts marks it). */
export const loadedChatBundle = () => performance.getEntriesByName('comet/didLoadChatBundle', 'mark').length > 0;

export async function cometModelIds(): Promise<string[]> {
  return (await vscode.lm.selectChatModels({ vendor: 'comet' })).map(model => model.id).sort();
}
