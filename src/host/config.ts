// Settings and the API key, read fresh at request time so a change applies to the next request without a reload.
// The key lives only in SecretStorage (or the COMETAPI_KEY environment variable, for remote and CI use).
import * as vscode from 'vscode';
import { validateSettings, type SettingsResult } from '../core/settings';
import { SETTING_KEYS } from '../core/settingsSchema';

const SECRET_KEY = 'comet.apiKey';

export class CometConfig {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  readSettings(): SettingsResult {
    const section = vscode.workspace.getConfiguration('comet');
    const raw: Record<string, unknown> = {};
    for (const key of SETTING_KEYS) raw[key] = section.get(key);
    return validateSettings(raw);
  }

  async getApiKey(): Promise<string | undefined> {
    const stored = await this.secrets.get(SECRET_KEY);
    return stored?.trim() || process.env.COMETAPI_KEY?.trim() || undefined;
  }

  /** Whether an API key is available (stored, or in the environment). */
  async hasApiKey(): Promise<boolean> {
    return (await this.getApiKey()) !== undefined;
  }

  async setApiKey(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key.trim());
  }

  async clearApiKey(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }

  onDidChangeApiKey(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange(event => {
      if (event.key === SECRET_KEY) listener();
    });
  }
}
