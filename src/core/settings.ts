// Settings arrive from VS Code as `unknown` (users edit settings.json by hand). This turns them into one plain, typed
// object, or into problems that each name the setting and say what is wrong with it.
import type { ReasoningEffort } from '../llm/modelRules';
import { DEFAULT_DENIED_FILES } from './tools/pathPolicy';

export type InstructionRoleSetting = 'auto' | 'developer' | 'system';

export interface Settings {
  baseUrl: string;
  model: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
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
  /** Globs of files the tools refuse to read (secrets). */
  deniedFiles: string[];
  /** Search with the ripgrep VS Code ships (fast), or with workspace.findFiles and reads. */
  useRipgrep: boolean;
}

export interface SettingProblem {
  /** The full setting id, e.g. `comet.temperature`, so the message and the "Open Settings" button can name it. */
  setting: string;
  message: string;
}

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; problems: SettingProblem[] };

export const DEFAULT_BASE_URL = 'https://api.cometapi.com/v1';
export const DEFAULT_MODEL = 'gpt-5.4-mini';

/** Reads `key` from `raw`; `null`/`undefined` mean "unset". */
type Raw = Readonly<Record<string, unknown>>;

export function validateSettings(raw: Raw): SettingsResult {
  const problems: SettingProblem[] = [];
  const problem = (key: string, message: string) => problems.push({ setting: `comet.${key}`, message });

  const optionalNumber = (key: string, min: number, max: number, integer = false): number | undefined => {
    const value = raw[key];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problem(key, `must be a number, not ${JSON.stringify(value)}`);
      return undefined;
    }
    if (integer && !Number.isInteger(value)) problem(key, `must be a whole number, not ${value}`);
    else if (value < min || value > max) problem(key, `must be between ${min} and ${max === Infinity ? 'any' : max}, not ${value}`);
    return value;
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    problem(key, `must be one of ${allowed.map(a => `"${a}"`).join(', ')}, not ${JSON.stringify(value)}`);
    return fallback;
  };
  const text = (key: string, fallback: string): string => {
    const value = raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string') {
      problem(key, `must be text, not ${JSON.stringify(value)}`);
      return fallback;
    }
    return value;
  };

  const baseUrl = text('baseUrl', DEFAULT_BASE_URL).trim() || DEFAULT_BASE_URL;
  if (!isHttpUrl(baseUrl)) problem('baseUrl', `must be an http(s) URL such as ${DEFAULT_BASE_URL}, not "${baseUrl}"`);
  const model = text('model', DEFAULT_MODEL).trim();
  if (!model) problem('model', 'must name a model, e.g. gpt-5.4-mini');
  const effort = oneOf('reasoningEffort', ['default', 'low', 'medium', 'high'] as const, 'default');
  const stream = raw.stream ?? true;
  if (typeof stream !== 'boolean') problem('stream', `must be true or false, not ${JSON.stringify(stream)}`);
  const toolsEnabled = raw['tools.enabled'] ?? true;
  if (typeof toolsEnabled !== 'boolean') problem('tools.enabled', `must be true or false, not ${JSON.stringify(toolsEnabled)}`);
  const deniedFiles = raw['tools.deniedFiles'] ?? DEFAULT_DENIED_FILES;
  const deniedOk = Array.isArray(deniedFiles) && deniedFiles.every(item => typeof item === 'string');
  if (!deniedOk) problem('tools.deniedFiles', 'must be a list of glob strings, e.g. [".env*", "*.pem"]');

  const settings: Settings = {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    model,
    temperature: optionalNumber('temperature', 0, 2),
    topP: optionalNumber('topP', 0, 1),
    maxTokens: optionalNumber('maxTokens', 1, Infinity, true),
    reasoningEffort: effort === 'default' ? undefined : effort,
    stream: stream !== false,
    instructions: text('instructions', ''),
    instructionRole: oneOf('instructionRole', ['auto', 'developer', 'system'] as const, 'auto'),
    requestTimeoutSeconds: optionalNumber('requestTimeoutSeconds', 1, 3600) ?? 120,
    maxRetries: optionalNumber('maxRetries', 0, 10, true) ?? 2,
    imageDetail: oneOf('imageDetail', ['auto', 'low', 'high'] as const, 'auto'),
    tools: {
      enabled: toolsEnabled !== false,
      approval: oneOf('tools.approval', ['auto', 'ask'] as const, 'auto'),
      maxRounds: optionalNumber('tools.maxRounds', 1, 50, true) ?? 8,
      deniedFiles: deniedOk ? [...(deniedFiles as string[])] : [...DEFAULT_DENIED_FILES],
      useRipgrep: raw['tools.useRipgrep'] !== false,
    },
  };
  return problems.length ? { ok: false, problems } : { ok: true, settings };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
