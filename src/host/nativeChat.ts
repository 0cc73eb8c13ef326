// VS Code's own chat: CometAPI's models there where this VS Code has the Language Model Chat Provider API (1.104+),
// and `@comet` where it has chat participants. On VS Code 1.100 the provider is not registered and nothing changes.
// Part of the small entry bundle: when VS Code's chat asks for the models at startup (silently), it activates Comet
// for the provider, so what is registered here only forwards to the real provider and participant, loaded with the
// chat bundle on first use (after activation has returned), and answers that startup ask from memory.
import * as vscode from 'vscode';
import type { NativeModelInfo } from '../core/native/modelInfo';
import { NATIVE_VENDOR, PARTICIPANT_ID } from './commandIds';
import { MARK } from './lazyComet';
import { RememberedModelList } from './rememberedModelList';
import type { LanguageModelChatProvider } from './vscodeNewer';
import { newerLm } from './vscodeNewer';

/** Set where VS Code's chat can use Comet's models; the walkthrough's VS Code-chat step shows only then. */
export const VSCODE_CHAT_MODELS_CONTEXT = 'comet.vscodeChatModels';

export interface NativeChat {
  provider: LanguageModelChatProvider<NativeModelInfo>;
  answerParticipant: vscode.ChatRequestHandler;
}

/** The chat bundle as the entry sees it (host/lazyComet.ts): loaded on demand, or by anything else first. */
export interface NativeChatLoader {
  whenNativeChat(): Promise<NativeChat>;
  readonly onDidLoad: vscode.Event<NativeChat>;
}

export function registerNativeChat(chat: NativeChatLoader, extensionUri: vscode.Uri, context: Pick<vscode.ExtensionContext, 'globalState' | 'secrets'>): vscode.Disposable[] {
  const out: vscode.Disposable[] = [];
  const lm = newerLm();
  if (lm) {
    const forwarder = new ForwardingProvider(chat, new RememberedModelList(context.globalState), context.secrets);
    out.push(forwarder, lm.registerLanguageModelChatProvider(NATIVE_VENDOR, forwarder));
    // Shows the walkthrough's VS Code-chat step (package.json), only where the chat can use Comet's models.
    void vscode.commands.executeCommand('setContext', VSCODE_CHAT_MODELS_CONTEXT, true);
  }
  if (typeof vscode.chat?.createChatParticipant === 'function') {
    const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, async (...args) => (await chat.whenNativeChat()).answerParticipant(...args));
    participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    out.push(participant);
  }
  return out;
}

/**
 * The provider VS Code sees from activation on. Until the chat bundle is loaded, VS Code's silent ask for the models
 * (at startup) gets the list remembered for this comet.baseUrl; every other call loads the real provider and waits
 * for it. Its change event is passed on.
 */
class ForwardingProvider implements LanguageModelChatProvider<NativeModelInfo>, vscode.Disposable {
  // VS Code subscribes to the event when the provider is registered, before the real provider exists.
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private real: LanguageModelChatProvider<NativeModelInfo> | undefined;
  private forwarding: vscode.Disposable | undefined;
  private readonly loading: vscode.Disposable;
  /** Until the real provider is connected: what makes the remembered list stale. */
  private readonly staleWhen: vscode.Disposable;
  private recallable = true;
  private listed = false;
  private answeredFromMemory = false;

  constructor(private readonly chat: NativeChatLoader, private readonly remembered: RememberedModelList, secrets: vscode.SecretStorage) {
    // The panel may load the chat bundle first: from then on the real provider answers, and its changes (a key set
    // in the panel) reach VS Code.
    this.loading = chat.onDidLoad(loaded => this.connect(loaded.provider));
    // Before that, what the real provider would react to (another endpoint, fallback model, context window or answer
    // length, a key set or cleared in any window) makes the remembered list stale: VS Code is told, and asks the endpoint next.
    const stale = () => {
      this.recallable = false;
      if (this.answeredFromMemory) this.changed.fire();
    };
    const watched = [
      vscode.workspace.onDidChangeConfiguration(event => {
        if (['comet.baseUrl', 'comet.model', 'comet.contextWindow', 'comet.maxTokens'].some(setting => event.affectsConfiguration(setting))) stale();
      }),
      secrets.onDidChange(stale),
    ];
    this.staleWhen = vscode.Disposable.from(...watched);
  }

  private connect(real: LanguageModelChatProvider<NativeModelInfo>): void {
    if (this.real) return;
    this.real = real;
    this.staleWhen.dispose();
    this.forwarding = real.onDidChangeLanguageModelChatInformation?.(() => this.changed.fire());
    // VS Code holds last time's list: now that the endpoint can be asked, have VS Code ask again.
    if (this.answeredFromMemory) this.changed.fire();
  }

  private async provider(): Promise<LanguageModelChatProvider<NativeModelInfo>> {
    if (!this.real) this.connect((await this.chat.whenNativeChat()).provider);
    return this.real!;
  }

  async provideLanguageModelChatInformation(options: { readonly silent: boolean }, token: vscode.CancellationToken): Promise<NativeModelInfo[]> {
    // The first listing is the provider's startup path; only it is marked.
    const first = !this.listed;
    this.listed = true;
    if (first) performance.mark(MARK.willListModels);
    try {
      const recalled = !this.real && this.recallable && options.silent ? this.remembered.recall() : undefined;
      if (recalled) {
        this.answeredFromMemory = true;
        return recalled;
      }
      return (await (await this.provider()).provideLanguageModelChatInformation(options, token)) ?? [];
    } finally {
      if (first) performance.mark(MARK.didListModels);
    }
  }

  async provideLanguageModelChatResponse(...args: Parameters<LanguageModelChatProvider<NativeModelInfo>['provideLanguageModelChatResponse']>) {
    return (await this.provider()).provideLanguageModelChatResponse(...args);
  }

  async provideTokenCount(...args: Parameters<LanguageModelChatProvider<NativeModelInfo>['provideTokenCount']>) {
    return (await this.provider()).provideTokenCount(...args);
  }

  dispose(): void {
    this.loading.dispose();
    this.staleWhen.dispose();
    this.forwarding?.dispose();
    this.changed.dispose();
  }
}
