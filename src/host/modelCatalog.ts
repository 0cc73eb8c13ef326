// The extension's one GET /models cache (core/modelCatalog), listed through the llm/ client with the panel's
// endpoint and key. It forgets every listing when comet.baseUrl or a key changes (the key store's change event covers
// both) and then tells its users, so VS Code's chat asks for the models again.
import * as vscode from 'vscode';
import { Disposable } from '../core/disposable';
import { ModelCatalog } from '../core/modelCatalog';
import { listModelInfo } from '../llm/models';
import type { CometConfig } from './config';
import type { KeyStore } from './keyStore';

/** Listing waits at most this long, and does not retry: someone may be looking at a spinner. */
const LIST_TIMEOUT_MS = 15_000;

export class SharedModelCatalog extends Disposable {
  private readonly invalidated = this._register(new vscode.EventEmitter<void>());
  /** After the cache was emptied (another endpoint or key). */
  readonly onDidInvalidate = this.invalidated.event;
  readonly catalog: ModelCatalog;

  constructor(config: CometConfig, keys: KeyStore) {
    super();
    this.catalog = new ModelCatalog((baseUrl, apiKey) => {
      const settings = config.readSettings();
      const timeoutMs = Math.min(settings.ok ? settings.settings.requestTimeoutSeconds * 1000 : LIST_TIMEOUT_MS, LIST_TIMEOUT_MS);
      return listModelInfo({ baseUrl, apiKey, timeoutMs, maxRetries: 0 });
    });
    this._register(keys.onDidChange(() => {
      this.catalog.invalidate();
      this.invalidated.fire();
    }));
  }
}
