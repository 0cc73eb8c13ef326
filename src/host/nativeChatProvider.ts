// CometAPI's models in VS Code's own chat (VS Code 1.104+): a Language Model Chat Provider over the panel's endpoint,
// keys, model catalog (one GET /models cache with the picker), learned model rules and llm/ layer. Listing never prompts when VS Code asks silently (at startup); answering may ask once for the
// environment key's first trip to another origin, as the panel does.
import * as vscode from 'vscode';
import { Disposable } from '../core/disposable';
import type { LearnedRules } from '../core/learnedRules';
import { countTokens, mapMessages, thinkingPart, toToolDefinitions, type NativeMessage } from '../core/native/messages';
import { nativeModelInfo, type NativeModelInfo } from '../core/native/modelInfo';
import { NativeResponseError, streamNativeResponse, type NativePart } from '../core/native/response';
import { connectionFor, settingsProblemMessage, type Settings } from '../core/settings';
import { createChatBackend } from '../llm/chatClient';
import type { ModelInfo } from '../llm/models';
import { buildChatRequest } from '../llm/request';
import { COMMAND } from './commandIds';
import type { CometConfig } from './config';
import type { KeyStore } from './keyStore';
import type { SharedModelCatalog } from './modelCatalog';
import type { RememberedModelList } from './rememberedModelList';
import {
  thinkingPartClass,
  type LanguageModelChatProvider,
  type LanguageModelChatRequestMessage,
  type LanguageModelThinkingPart,
  type ProvideLanguageModelChatResponseOptions,
} from './vscodeNewer';

type ResponsePart = vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart | LanguageModelThinkingPart;

/** How long a failure waits for the parts reported before it to reach the caller (several of VS Code's batches). */
const PARTS_DELIVERY_MS = 200;

function settle(ms: number, token: vscode.CancellationToken): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(done, ms);
    const cancelled = token.onCancellationRequested(done);
    function done(): void {
      clearTimeout(timer);
      cancelled.dispose();
      resolve();
    }
  });
}

/** A message of VS Code's for the mapping, its thinking parts marked as such (they have a text part's shape). */
function nativeMessage(message: LanguageModelChatRequestMessage): NativeMessage {
  const Thinking = thinkingPartClass();
  return { role: Number(message.role), content: Thinking ? message.content.map(part => (part instanceof Thinking ? thinkingPart(part.value) : part)) : message.content };
}

/** A part as VS Code's chat takes it; reasoning only where this VS Code has the thinking part. */
function toResponsePart(part: NativePart, Thinking: ReturnType<typeof thinkingPartClass>): ResponsePart | undefined {
  if (part.kind === 'text') return new vscode.LanguageModelTextPart(part.text);
  if (part.kind === 'toolCall') return new vscode.LanguageModelToolCallPart(part.id, part.name, part.input);
  return Thinking ? new Thinking(part.text) : undefined;
}

export class NativeChatProvider extends Disposable implements LanguageModelChatProvider<NativeModelInfo> {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;

  constructor(
    private readonly config: CometConfig,
    private readonly keys: KeyStore,
    private readonly models: SharedModelCatalog,
    private readonly rules: LearnedRules,
    private readonly log: vscode.LogOutputChannel,
    private readonly remembered: RememberedModelList,
  ) {
    super();
    // Another key or endpoint may list other models (the catalog has forgotten the old list); another comet.model is
    // the fallback when nothing is listed, comet.contextWindow is that model's window, and comet.maxTokens the answer's room.
    this._register(models.onDidInvalidate(() => this.changed.fire()));
    this._register(vscode.workspace.onDidChangeConfiguration(event => {
      if (['comet.model', 'comet.contextWindow', 'comet.maxTokens'].some(setting => event.affectsConfiguration(setting))) this.changed.fire();
    }));
  }

  async provideLanguageModelChatInformation(options: { readonly silent: boolean }): Promise<NativeModelInfo[]> {
    const settings = this.settings();
    if (!settings) return [];
    const endpoint = this.remembered.endpoint();
    let credentials = await this.keys.credentials(settings.baseUrl, !options.silent);
    // Not silent: the user opened "Manage models" for CometAPI; with no key yet, that is where to set one.
    if (credentials.kind === 'missing' && !options.silent) {
      await vscode.commands.executeCommand(COMMAND.setApiKey);
      credentials = await this.keys.credentials(settings.baseUrl, false);
    }
    if (credentials.kind !== 'key' && credentials.kind !== 'none') {
      // No key: nothing to list, at the next startup either (a key set later tells VS Code to ask again).
      this.remembered.remember(endpoint, []);
      return [];
    }
    const apiKey = credentials.kind === 'key' ? credentials.apiKey : undefined;
    const { models, fromEndpoint } = await this.listed(settings, apiKey);
    const infos = models.map(details => nativeModelInfo(details, settings.baseUrl, details.id === settings.model ? settings.contextWindow : undefined, settings.maxTokens));
    // Only what the endpoint listed: a failed listing (offline at startup) is tried again next time.
    if (fromEndpoint) this.remembered.remember(endpoint, infos);
    return infos;
  }

  async provideLanguageModelChatResponse(
    model: NativeModelInfo,
    messages: readonly LanguageModelChatRequestMessage[],
    options: ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<ResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const settings = this.settings();
    if (!settings) throw new vscode.LanguageModelError(vscode.l10n.t('Comet: {0}', this.settingsProblem()));
    const credentials = await this.keys.credentials(settings.baseUrl, true);
    if (credentials.kind !== 'key' && credentials.kind !== 'none') {
      throw vscode.LanguageModelError.NoPermissions(vscode.l10n.t('Comet: no API key is set for {0}. Run "Comet: Set API Key".', new URL(settings.baseUrl).origin));
    }
    const apiKey = credentials.kind === 'key' ? credentials.apiKey : undefined;
    const Thinking = thinkingPartClass();
    const { instruction, history } = mapMessages(messages.map(nativeMessage), model.id);
    const tools = toToolDefinitions(options.tools);
    const body = buildChatRequest({ ...settings, model: model.id }, instruction, history, tools);
    // No system message from VS Code: send none rather than an empty one.
    if (!instruction) body.messages = history;
    if (tools.length && options.toolMode === vscode.LanguageModelChatToolMode.Required) body.tool_choice = 'required';
    const abort = new AbortController();
    const onCancel = token.onCancellationRequested(() => abort.abort());
    if (token.isCancellationRequested) abort.abort();
    let reportedAny = false;
    try {
      // The panel's client: comet.requestTimeoutSeconds (also the stall limit) and comet.maxRetries for the SDK.
      await streamNativeResponse({
        backend: createChatBackend(connectionFor(settings, apiKey), true),
        body,
        signal: abort.signal,
        context: { baseUrl: settings.baseUrl, model: model.id, timeoutSeconds: settings.requestTimeoutSeconds, maxRetries: settings.maxRetries },
        apiKey,
        rules: this.rules,
        log: message => this.log.info(message),
      }, part => {
        const reported = toResponsePart(part, Thinking);
        if (!reported) return;
        reportedAny = true;
        progress.report(reported);
      });
    } catch (error) {
      // VS Code sends reported parts on in batches (every 30 ms), and the caller's response stream throws a failure
      // before the parts it has not read yet: the partial answer of a stream that broke off would be lost. Give
      // them time to be read first.
      if (reportedAny && !token.isCancellationRequested) await settle(PARTS_DELIVERY_MS, token);
      // Cancelled while the parts were read: that is how it ended, whatever the stream said.
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      throw this.toLanguageModelError(error);
    } finally {
      onCancel.dispose();
    }
  }

  async provideTokenCount(model: NativeModelInfo, text: string | LanguageModelChatRequestMessage): Promise<number> {
    return countTokens(typeof text === 'string' ? text : nativeMessage(text), model.id);
  }

  private async listed(settings: Settings, apiKey: string | undefined): Promise<{ models: ModelInfo[]; fromEndpoint: boolean }> {
    let models: ModelInfo[];
    try {
      models = await this.models.catalog.list(settings.baseUrl, apiKey);
    } catch (error) {
      // No list (a local server without GET /models, or it failed): offer the configured model.
      this.log.warn(`VS Code chat: could not list models, offering ${settings.model}: ${error instanceof Error ? error.name : 'error'}`);
      return { models: [{ id: settings.model }], fromEndpoint: false };
    }
    return { models: models.length ? models : [{ id: settings.model }], fromEndpoint: true };
  }

  private toLanguageModelError(error: unknown): Error {
    if (!(error instanceof NativeResponseError)) return error instanceof Error ? error : new Error(String(error));
    if (error.kind === 'cancelled') return new vscode.CancellationError();
    const message = vscode.l10n.t('Comet: {0}', error.message);
    this.log.warn(`VS Code chat: ${message}`);
    if (error.kind === 'auth') return vscode.LanguageModelError.NoPermissions(message);
    if (error.kind === 'model-not-found') return vscode.LanguageModelError.NotFound(message);
    return new vscode.LanguageModelError(message);
  }

  private settings(): Settings | undefined {
    const result = this.config.readSettings();
    return result.ok ? result.settings : undefined;
  }

  private settingsProblem(): string {
    const result = this.config.readSettings();
    return result.ok ? '' : settingsProblemMessage(result.problems);
  }
}
