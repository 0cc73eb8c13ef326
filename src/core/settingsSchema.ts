// Every setting's name, default, range and allowed values come from package.json's contributes.configuration, the
// one place they are written (VS Code's settings UI reads the same). The bundler inlines the manifest.
import manifest from '../../package.json';

export interface SettingSpec {
  type: string | readonly string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: readonly string[];
  scope?: string;
}

const PREFIX = 'comet.';

/** The settings by their key under `comet.` (e.g. `tools.maxRounds`). */
export const SETTING_SPECS: Readonly<Record<string, SettingSpec>> = Object.fromEntries(
  Object.entries(manifest.contributes.configuration.properties as Record<string, SettingSpec>).map(([id, spec]) => [id.slice(PREFIX.length), spec]),
);

export const SETTING_KEYS: readonly string[] = Object.keys(SETTING_SPECS);

/** A setting's default as package.json declares it. */
export function settingDefault<T>(key: string): T {
  const spec = SETTING_SPECS[key];
  if (!spec) throw new Error(`No setting comet.${key} in package.json`);
  return spec.default as T;
}
