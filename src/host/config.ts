// Settings, read fresh at request time so a change applies to the next request without a reload. Keys are not
// settings: they live in SecretStorage (./keyStore).
import * as vscode from 'vscode';
import { DEFAULT_BASE_URL, validateSettings, type SettingsResult } from '../core/settings';
import { SETTING_KEYS } from '../core/settingsSchema';

export class CometConfig {
  readSettings(): SettingsResult {
    const section = vscode.workspace.getConfiguration('comet');
    const raw: Record<string, unknown> = {};
    for (const key of SETTING_KEYS) raw[key] = section.get(key);
    return validateSettings(raw);
  }

  /** The endpoint in effect; the default while the settings have a problem (the chat names the problem). */
  baseUrl(): string {
    const settings = this.readSettings();
    return settings.ok ? settings.settings.baseUrl : DEFAULT_BASE_URL;
  }
}
