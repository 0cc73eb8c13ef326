// Part of the entry bundle (the forwarder in ./nativeChat recalls) and of the chat bundle (./nativeChatProvider
// remembers what the endpoint listed).
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { NativeModelInfo } from '../core/native/modelInfo';
import { FORMER_REMEMBERED_MODELS_KEYS, recallModels, rememberModels, REMEMBERED_MODELS_KEY } from '../core/native/rememberedModels';

/**
 * The models the endpoint listed last, kept between sessions in the extension's global state (see
 * core/native/rememberedModels.ts) under a hash of comet.baseUrl and of the settings the listing's limits come from
 * (comet.contextWindow with comet.model, comet.maxTokens; core/native/modelInfo.ts), as written: a list made under
 * other settings, changed in settings.json or by Settings Sync while VS Code was closed, is not recalled. The URL
 * itself (which may carry a user or a token) is not copied there. The real provider remembers; the forwarder recalls.
 */
export class RememberedModelList {
  constructor(private readonly state: vscode.Memento) {}

  /** The key of the endpoint and settings now configured; read it before a listing, and give it to `remember` after. */
  endpoint(): string {
    // As written, not as checked: config.ts checks them for requests, and any change is a reason to list again.
    const config = vscode.workspace.getConfiguration('comet');
    const baseUrl = config.get<unknown>('baseUrl');
    const contextWindow = config.get<unknown>('contextWindow') ?? null;
    // comet.model changes a listed limit only through comet.contextWindow (the window of that model); without it,
    // a model picked in one window (comet.model may be a workspace setting) would make the others' list stale.
    const model = contextWindow === null ? null : config.get<unknown>('model') ?? null;
    const written = [typeof baseUrl === 'string' ? baseUrl.trim() : '', contextWindow, model, config.get<unknown>('maxTokens') ?? null];
    return createHash('sha256').update(JSON.stringify(written)).digest('hex');
  }

  recall(): NativeModelInfo[] | undefined {
    return recallModels(this.state.get(REMEMBERED_MODELS_KEY), this.endpoint());
  }

  /** Keeps what `endpoint` listed, unless the setting changed meanwhile (then it belongs to neither). */
  remember(endpoint: string, models: readonly NativeModelInfo[]): void {
    if (this.endpoint() !== endpoint) return;
    const value = rememberModels(endpoint, models);
    // VS Code lists again whenever any extension asks for models: write only what changed.
    if (JSON.stringify(value ?? null) === JSON.stringify(this.state.get(REMEMBERED_MODELS_KEY) ?? null)) return;
    this.state.update(REMEMBERED_MODELS_KEY, value).then(undefined, () => undefined);
    for (const key of FORMER_REMEMBERED_MODELS_KEYS) if (this.state.get(key) !== undefined) this.state.update(key, undefined).then(undefined, () => undefined);
  }
}
