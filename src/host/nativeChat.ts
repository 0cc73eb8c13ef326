// VS Code's own chat: CometAPI's models there where this VS Code has the Language Model Chat Provider API (1.104+),
// and `@comet` where it has chat participants. On VS Code 1.100 the provider is not registered and nothing changes.
import * as vscode from 'vscode';
import type { LearnedRules } from '../core/learnedRules';
import { registerCometParticipant, type ParticipantDeps } from './cometParticipant';
import type { SharedModelCatalog } from './modelCatalog';
import { NATIVE_VENDOR, NativeChatProvider } from './nativeChatProvider';
import { newerLm } from './vscodeNewer';

export interface NativeChatDeps extends ParticipantDeps {
  models: SharedModelCatalog;
  learnedRules: LearnedRules;
}

export function registerNativeChat(deps: NativeChatDeps): vscode.Disposable[] {
  const out: vscode.Disposable[] = [];
  const lm = newerLm();
  if (lm) {
    const provider = new NativeChatProvider(deps.config, deps.keys, deps.models, deps.learnedRules, deps.log);
    out.push(provider, lm.registerLanguageModelChatProvider(NATIVE_VENDOR, provider));
  }
  if (typeof vscode.chat?.createChatParticipant === 'function') out.push(registerCometParticipant(deps));
  return out;
}
