// VS Code's own chat: CometAPI's models there where this VS Code has the Language Model Chat Provider API (1.104+),
// and `@comet` where it has chat participants. On VS Code 1.100 the provider is not registered and nothing changes.
import * as vscode from 'vscode';
import { registerCometParticipant } from './cometParticipant';
import type { CometConfig } from './config';
import type { KeyStore } from './keyStore';
import { NATIVE_VENDOR, NativeChatProvider } from './nativeChatProvider';
import { newerLm } from './vscodeNewer';

export const VSCODE_CHAT_MODELS_CONTEXT = 'comet.vscodeChatModels';

export function registerNativeChat(deps: { config: CometConfig; keys: KeyStore; log: vscode.LogOutputChannel; extensionUri: vscode.Uri }): vscode.Disposable[] {
  const out: vscode.Disposable[] = [];
  const lm = newerLm();
  if (lm) {
    const provider = new NativeChatProvider(deps.config, deps.keys, deps.log);
    out.push(provider, lm.registerLanguageModelChatProvider(NATIVE_VENDOR, provider));
    // Shows the walkthrough's VS Code-chat step (package.json), only where the chat can use Comet's models.
    void vscode.commands.executeCommand('setContext', VSCODE_CHAT_MODELS_CONTEXT, true);
  }
  if (typeof vscode.chat?.createChatParticipant === 'function') out.push(registerCometParticipant(deps.extensionUri));
  return out;
}
