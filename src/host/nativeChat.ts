// VS Code's own chat: CometAPI's models there where this VS Code has the Language Model Chat Provider API (1.104+),
// and `@comet` where it has chat participants. On VS Code 1.100 the provider is not registered and nothing changes.
// Part of the small entry bundle: VS Code activates Comet at startup for the provider and at once asks it for its
// models (silently), so what is registered here only forwards to the real provider and participant, loaded with
// the chat bundle on that first call (after activation has returned).
import * as vscode from 'vscode';
import { NATIVE_VENDOR, PARTICIPANT_ID } from './commandIds';
import { MARK } from './lazyComet';
import type { LanguageModelChatProvider } from './vscodeNewer';
import { newerLm } from './vscodeNewer';

/** Set where VS Code's chat can use Comet's models; the walkthrough's VS Code-chat step shows only then. */
export const VSCODE_CHAT_MODELS_CONTEXT = 'comet.vscodeChatModels';

export interface NativeChat {
  provider: LanguageModelChatProvider;
  answerParticipant: vscode.ChatRequestHandler;
}

export function registerNativeChat(load: () => Promise<NativeChat>, extensionUri: vscode.Uri): vscode.Disposable[] {
  const out: vscode.Disposable[] = [];
  const lm = newerLm();
  if (lm) {
    const forwarder = new ForwardingProvider(async () => (await load()).provider);
    out.push(forwarder, lm.registerLanguageModelChatProvider(NATIVE_VENDOR, forwarder));
    // Shows the walkthrough's VS Code-chat step (package.json), only where the chat can use Comet's models.
    void vscode.commands.executeCommand('setContext', VSCODE_CHAT_MODELS_CONTEXT, true);
  }
  if (typeof vscode.chat?.createChatParticipant === 'function') {
    const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, async (...args) => (await load()).answerParticipant(...args));
    participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    out.push(participant);
  }
  return out;
}

/** The provider VS Code sees from activation on: each call waits for the real one; its change event is passed on. */
class ForwardingProvider implements LanguageModelChatProvider, vscode.Disposable {
  // VS Code subscribes to the event when the provider is registered, before the real provider exists.
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private real: Promise<LanguageModelChatProvider> | undefined;
  private forwarding: vscode.Disposable | undefined;
  private listed = false;

  constructor(private readonly loadReal: () => Promise<LanguageModelChatProvider>) {}

  private provider(): Promise<LanguageModelChatProvider> {
    this.real ??= this.loadReal().then(real => {
      this.forwarding = real.onDidChangeLanguageModelChatInformation?.(() => this.changed.fire());
      return real;
    });
    return this.real;
  }

  async provideLanguageModelChatInformation(...args: Parameters<LanguageModelChatProvider['provideLanguageModelChatInformation']>) {
    // The first listing is the provider's startup path (it loads the chat bundle); only it is marked.
    const first = !this.listed;
    this.listed = true;
    if (first) performance.mark(MARK.willListModels);
    try {
      return await (await this.provider()).provideLanguageModelChatInformation(...args);
    } finally {
      if (first) performance.mark(MARK.didListModels);
    }
  }

  async provideLanguageModelChatResponse(...args: Parameters<LanguageModelChatProvider['provideLanguageModelChatResponse']>) {
    return (await this.provider()).provideLanguageModelChatResponse(...args);
  }

  async provideTokenCount(...args: Parameters<LanguageModelChatProvider['provideTokenCount']>) {
    return (await this.provider()).provideTokenCount(...args);
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
  }
}
