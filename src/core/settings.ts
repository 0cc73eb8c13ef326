// Settings arrive from VS Code as `unknown` (users edit settings.json by hand). This turns them into one plain, typed
// object, or into problems that each name the setting and say what is wrong with it.
import * as l10n from '@vscode/l10n';
import type { Connection } from '../llm/chatClient';
import type { ReasoningEffort } from '../llm/modelRules';
import { SETTING_SPECS, settingDefault } from './settingsSchema';

export type InstructionRoleSetting = 'auto' | 'developer' | 'system';

export interface Settings {
  baseUrl: string;
  model: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  /** comet.contextWindow: the model's window in tokens, when the user set it. */
  contextWindow?: number;
  reasoningEffort?: ReasoningEffort;
  stream: boolean;
  instructions: string;
  instructionRole: InstructionRoleSetting;
  requestTimeoutSeconds: number;
  maxRetries: number;
  /** `detail` of attached images. */
  imageDetail: 'auto' | 'low' | 'high';
  tools: ToolSettings;
}

export interface ToolSettings {
  enabled: boolean;
  /** `ask` shows each call and waits for Allow or Deny. */
  approval: 'auto' | 'ask';
  maxRounds: number;
  /** The user's globs of files the tools refuse to read, on top of the built-in secret list. */
  extraDeniedFiles: string[];
  /** Search with the ripgrep VS Code ships (fast), or with workspace.findFiles and reads. */
  useRipgrep: boolean;
}

export interface SettingProblem {
  /** The full setting id, e.g. `comet.temperature`, so the message and the "Open Settings" button can name it. */
  setting: string;
  message: string;
}

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; problems: SettingProblem[] };

export const DEFAULT_BASE_URL = settingDefault<string>('baseUrl');
export const DEFAULT_MODEL = settingDefault<string>('model');

/** Reads `key` from `raw`; `null`/`undefined` mean "unset". */
type Raw = Readonly<Record<string, unknown>>;

// Readers of one setting each, by the type package.json declares; a value that does not fit is reported and
// replaced by the declared default.
function settingReaders(raw: Raw, problem: (key: string, message: string) => void) {
  const spec = (key: string) => SETTING_SPECS[key];

  // A number within the range package.json declares; unset (null) falls back to the declared default, if any.
  const number = (key: string): number | undefined => {
    const { minimum = -Infinity, maximum = Infinity, type } = spec(key);
    const fallback = settingDefault<number | null>(key) ?? undefined;
    const value = raw[key];
    if (value === undefined || value === null || value === '') return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problem(key, l10n.t('must be a number, not {0}', JSON.stringify(value)));
      return fallback;
    }
    const integer = type === 'integer' || (Array.isArray(type) && type.includes('integer'));
    if (integer && !Number.isInteger(value)) problem(key, l10n.t('must be a whole number, not {0}', value));
    else if (value < minimum || value > maximum) problem(key, l10n.t('must be between {0} and {1}, not {2}', minimum, maximum === Infinity ? l10n.t('any') : maximum, value));
    return value;
  };
  const oneOf = <T extends string>(key: string): T => {
    const allowed = (spec(key).enum ?? []) as readonly T[];
    const fallback = settingDefault<T>(key);
    const value = raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    problem(key, l10n.t('must be one of {0}, not {1}', allowed.map(a => `"${a}"`).join(', '), JSON.stringify(value)));
    return fallback;
  };
  const text = (key: string): string => {
    const fallback = settingDefault<string>(key);
    const value = raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string') {
      problem(key, l10n.t('must be text, not {0}', JSON.stringify(value)));
      return fallback;
    }
    return value;
  };
  const flag = (key: string): boolean => {
    const value = raw[key] ?? settingDefault<boolean>(key);
    if (typeof value === 'boolean') return value;
    problem(key, l10n.t('must be true or false, not {0}', JSON.stringify(value)));
    return settingDefault<boolean>(key);
  };
  const globs = (key: string): string[] => {
    const value = raw[key] ?? settingDefault<string[]>(key);
    if (Array.isArray(value) && value.every(item => typeof item === 'string')) return [...value];
    problem(key, 'must be a list of glob strings, e.g. [".env*", "*.pem"]');
    return [...settingDefault<string[]>(key)];
  };
  return { number, oneOf, text, flag, globs };
}

export function validateSettings(raw: Raw): SettingsResult {
  const problems: SettingProblem[] = [];
  const problem = (key: string, message: string) => problems.push({ setting: `comet.${key}`, message });
  const { number, oneOf, text, flag, globs } = settingReaders(raw, problem);

  const baseUrl = text('baseUrl').trim() || DEFAULT_BASE_URL;
  if (!isHttpUrl(baseUrl)) problem('baseUrl', l10n.t('must be an http(s) URL such as {0}, not "{1}"', DEFAULT_BASE_URL, baseUrl));
  const model = text('model').trim();
  if (!model) problem('model', l10n.t('must name a model, e.g. {0}', DEFAULT_MODEL));
  const effort = oneOf<ReasoningEffort | 'default'>('reasoningEffort');

  const settings: Settings = {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    model,
    temperature: number('temperature'),
    topP: number('topP'),
    maxTokens: number('maxTokens'),
    contextWindow: number('contextWindow'),
    reasoningEffort: effort === 'default' ? undefined : effort,
    stream: flag('stream'),
    instructions: text('instructions'),
    instructionRole: oneOf<InstructionRoleSetting>('instructionRole'),
    requestTimeoutSeconds: number('requestTimeoutSeconds') ?? settingDefault<number>('requestTimeoutSeconds'),
    maxRetries: number('maxRetries') ?? settingDefault<number>('maxRetries'),
    imageDetail: oneOf<Settings['imageDetail']>('imageDetail'),
    tools: {
      enabled: flag('tools.enabled'),
      approval: oneOf<ToolSettings['approval']>('tools.approval'),
      maxRounds: number('tools.maxRounds') ?? settingDefault<number>('tools.maxRounds'),
      // comet.tools.deniedFiles is the deprecated name; its patterns still count.
      extraDeniedFiles: [...globs('tools.extraDeniedFiles'), ...globs('tools.deniedFiles')],
      useRipgrep: raw['tools.useRipgrep'] !== false,
    },
  };
  return problems.length ? { ok: false, problems } : { ok: true, settings };
}

/** Where and how requests go, from the settings and the key. */
export function connectionFor(settings: Settings, apiKey: string | undefined): Connection {
  return { baseUrl: settings.baseUrl, apiKey, timeoutMs: settings.requestTimeoutSeconds * 1000, maxRetries: settings.maxRetries };
}

/** The chat's sentence for settings that stop a request: the first problem in full, the others by name. */
export function settingsProblemMessage(problems: readonly SettingProblem[]): string {
  const [first, ...rest] = problems;
  const more = rest.length > 1 ? l10n.t(' ({0} more setting problems: {1})', rest.length, rest.map(p => p.setting).join(', '))
    : rest.length ? l10n.t(' ({0} more setting problem: {1})', rest.length, rest.map(p => p.setting).join(', ')) : '';
  return l10n.t('Setting {0} {1}.', first.setting, first.message) + more;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
