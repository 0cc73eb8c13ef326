// Part of the entry bundle (the forwarder in ./nativeChat recalls) and of the chat bundle (./nativeChatProvider
// remembers what the endpoint listed).
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { NativeModelInfo } from '../core/native/modelInfo';
import { recallModels, rememberModels, REMEMBERED_MODELS_KEY } from '../core/native/rememberedModels';

/**
 * The models the endpoint listed last, kept between sessions in the extension's global state (see
 * core/native/rememberedModels.ts) under a hash of comet.baseUrl as written: the URL itself (which may carry a
 * user or a token) is not copied there. The real provider remembers; the forwarder recalls.
 */
export class RememberedModelList {
  constructor(private readonly state: vscode.Memento) {}

  /** The key of the endpoint now configured; read it before a listing, and give it to `remember` after. */
  endpoint(): string {
    // comet.baseUrl has application scope (User settings only); config.ts reads and checks it for requests.
    const written = vscode.workspace.getConfiguration('comet').get<unknown>('baseUrl');
    return createHash('sha256').update(typeof written === 'string' ? written.trim() : '').digest('hex');
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
  }
}
