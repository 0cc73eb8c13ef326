// API keys in VS Code's SecretStorage, one per endpoint origin, and the origins the user allowed the COMETAPI_KEY
// environment variable to go to. Nothing here writes a key anywhere but SecretStorage; a key read is also kept in
// this extension host's memory, which the requests it goes with hold anyway.
import * as vscode from 'vscode';
import { Disposable } from '../core/disposable';
import { originOf, resolveCredentials, type Credentials } from '../core/credentials';

const SECRET_PREFIX = 'comet.apiKey/';
/** The single key of Comet 0.1, moved to the origin in use the first time keys are read. */
const LEGACY_SECRET = 'comet.apiKey';
const STORED_ORIGINS = 'comet.keyOrigins';
const TRUSTED_ORIGINS = 'comet.environmentKeyOrigins';

export class KeyStore extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private migration: Promise<void> | undefined;
  /** Each origin's stored key as last read. A read from SecretStorage is a round trip to the workbench (5-7 ms in
   *  code-server on this machine, a network round trip in a remote window) that every request waited for. Dropped
   *  when the key changes: by `set` and `forget` here, and by SecretStorage's change event for a change made
   *  elsewhere. (In code-server 1.100 and 1.139, a key set in one window was still the old one in another window's
   *  SecretStorage 130 s later: reading it afresh was no fresher.) */
  private readonly storedKeys = new Map<string, Promise<string | undefined>>();

  constructor(private readonly secrets: vscode.SecretStorage, private readonly state: vscode.Memento, private readonly currentBaseUrl: () => string) {
    super();
    this._register(secrets.onDidChange(event => {
      if (!event.key.startsWith(SECRET_PREFIX)) return;
      this.storedKeys.delete(event.key.slice(SECRET_PREFIX.length));
      this.changed.fire();
    }));
    // Another endpoint may have a key, or need none.
    this._register(vscode.workspace.onDidChangeConfiguration(event => {
      if (event.affectsConfiguration('comet.baseUrl')) this.changed.fire();
    }));
  }

  /** What to send to `baseUrl`. With `ask`, the environment key's first trip to another origin is confirmed first. */
  async credentials(baseUrl: string, ask: boolean): Promise<Credentials> {
    const origin = originOf(baseUrl);
    const resolved = resolveCredentials(origin, {
      stored: await this.storedKey(origin),
      environment: process.env.COMETAPI_KEY?.trim() || undefined,
      environmentTrusted: new Set(this.trustedOrigins()),
    });
    if (resolved.kind !== 'confirm') return resolved;
    if (!ask) return resolved;
    const send = vscode.l10n.t('Send It');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t("Comet: no key is set for {0}. Send the COMETAPI_KEY environment variable's key there? It is meant for CometAPI.", origin),
      { modal: true },
      send,
    );
    if (choice !== send) return { kind: 'missing', origin };
    await this.state.update(TRUSTED_ORIGINS, [...new Set([...this.trustedOrigins(), origin])]);
    return { kind: 'key', apiKey: resolved.apiKey };
  }

  /** Whether a request to the endpoint in use could go out (a key, the environment key, or a local server). */
  async hasUsableKey(): Promise<boolean> {
    return (await this.credentials(this.currentBaseUrl(), false)).kind !== 'missing';
  }

  async set(baseUrl: string, key: string): Promise<void> {
    const origin = originOf(baseUrl);
    this.storedKeys.delete(origin);
    await this.secrets.store(SECRET_PREFIX + origin, key.trim());
    // A read that started while the key was stored may have kept the old one.
    this.storedKeys.delete(origin);
    await this.state.update(STORED_ORIGINS, [...new Set([...this.storedOrigins(), origin])]);
  }

  async forget(origin: string): Promise<void> {
    this.storedKeys.delete(origin);
    await this.secrets.delete(SECRET_PREFIX + origin);
    this.storedKeys.delete(origin);
    await this.state.update(STORED_ORIGINS, this.storedOrigins().filter(known => known !== origin));
  }

  async forgetTrustedOrigins(): Promise<string[]> {
    const trusted = this.trustedOrigins();
    await this.state.update(TRUSTED_ORIGINS, []);
    return trusted;
  }

  storedOrigins(): string[] {
    return this.state.get<string[]>(STORED_ORIGINS, []);
  }

  trustedOrigins(): string[] {
    return this.state.get<string[]>(TRUSTED_ORIGINS, []);
  }

  private async storedKey(origin: string): Promise<string | undefined> {
    // A migration that failed is tried again by the next read.
    await (this.migration ??= this.migrateLegacyKey().catch((error: unknown) => {
      this.migration = undefined;
      throw error;
    }));
    const remembered = this.storedKeys.get(origin);
    if (remembered) return remembered;
    const reading = Promise.resolve(this.secrets.get(SECRET_PREFIX + origin)).then(key => key?.trim() || undefined);
    this.storedKeys.set(origin, reading);
    // A failed read is not remembered: the next request asks again.
    reading.catch(() => {
      if (this.storedKeys.get(origin) === reading) this.storedKeys.delete(origin);
    });
    return reading;
  }

  // 0.1 kept one key for whatever endpoint was set; it belongs to the endpoint it was being sent to.
  private async migrateLegacyKey(): Promise<void> {
    const legacy = (await this.secrets.get(LEGACY_SECRET))?.trim();
    if (!legacy) return;
    const origin = originOf(this.currentBaseUrl());
    if (!(await this.secrets.get(SECRET_PREFIX + origin))) await this.set(origin, legacy);
    await this.secrets.delete(LEGACY_SECRET);
  }
}
