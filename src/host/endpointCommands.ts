// Comet: Choose Endpoint… points Comet at a known server or a URL, asks for a key only where the origin needs one
// (one key per origin, in the KeyStore; none for a server on this machine), and tests the connection with GET /models
// so the user learns at once whether it works. Comet: Show Logs opens the output channel errors point to.
import * as vscode from 'vscode';
import { isLoopbackOrigin, originOf } from '../core/credentials';
import { redactSecrets } from '../core/redact';
import { listModels } from '../llm/models';
import { COMMAND, type CommandHandlers } from './commandIds';
import type { KeyStore } from './keyStore';

export interface EndpointPreset { label: string; baseUrl: string; detail: string }

export const ENDPOINT_PRESETS: readonly EndpointPreset[] = [
  { label: 'CometAPI', baseUrl: 'https://api.cometapi.com/v1', detail: vscode.l10n.t("Many providers' models behind one key") },
  { label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', detail: vscode.l10n.t('Needs an OpenAI API key') },
  { label: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', detail: vscode.l10n.t('Needs an OpenRouter key') },
  { label: 'Ollama', baseUrl: 'http://localhost:11434/v1', detail: vscode.l10n.t('On this machine, no key') },
  { label: 'LM Studio', baseUrl: 'http://localhost:1234/v1', detail: vscode.l10n.t('On this machine, no key (start its server first)') },
  { label: 'llama.cpp', baseUrl: 'http://localhost:8080/v1', detail: vscode.l10n.t('llama-server on this machine, no key') },
];
const CUSTOM = vscode.l10n.t('Custom URL…');
const TEST_TIMEOUT_MS = 10_000;
const SET_API_KEY = () => vscode.l10n.t('Set API Key');
const CHOOSE_ENDPOINT = () => vscode.l10n.t('Choose Endpoint…');

export type EndpointCheck =
  | { kind: 'reachable'; models: number; message: string }
  | { kind: 'key-rejected'; message: string }
  | { kind: 'unreachable'; message: string };

/** What GET /models says about an endpoint, in words a user can act on. */
export async function checkEndpoint(baseUrl: string, apiKey: string | undefined): Promise<EndpointCheck> {
  try {
    const models = await listModels({ baseUrl, apiKey, timeoutMs: TEST_TIMEOUT_MS, maxRetries: 0 });
    return { kind: 'reachable', models: models.length, message: models.length === 1 ? vscode.l10n.t('{0} is reachable with {1} model.', baseUrl, models.length) : vscode.l10n.t('{0} is reachable with {1} models.', baseUrl, models.length) };
  } catch (error) {
    const status = (error as { status?: number }).status;
    const why = redactSecrets(error instanceof Error ? error.message : String(error), apiKey);
    if (status === 401 || status === 403) {
      return { kind: 'key-rejected', message: vscode.l10n.t('{0} rejected the API key ({1}). Run Comet: Set API Key with a valid key for {2}.', baseUrl, status, originOf(baseUrl)) };
    }
    if (typeof status === 'number') {
      // The server answered: chat may still work where a server has no model list.
      return { kind: 'reachable', models: 0, message: vscode.l10n.t('{0} is reachable but did not list its models ({1}); type a model id with Comet: Select Model.', baseUrl, status) };
    }
    return {
      kind: 'unreachable',
      message: vscode.l10n.t('{0} is not reachable ({1}). Check that the URL is right, that the server is running, and your proxy settings (http.proxy).', baseUrl, why),
    };
  }
}

export function endpointCommands(keys: KeyStore, log: vscode.LogOutputChannel): Pick<CommandHandlers, 'chooseEndpoint' | 'showLogs'> {
  return {
    showLogs: () => log.show(),
    /** With `{ baseUrl, apiKey }` (tests, other commands) it asks nothing; resolves to the check, or undefined if dismissed. */
    chooseEndpoint: async (given?: unknown) => {
      const args = (given ?? {}) as { baseUrl?: string; apiKey?: string };
      const baseUrl = args.baseUrl ?? (await pickBaseUrl());
      if (!baseUrl) return undefined;
      const origin = originOf(baseUrl);
      if (args.apiKey) await keys.set(origin, args.apiKey);
      else if (!isLoopbackOrigin(origin) && !keys.storedOrigins().includes(origin) && args.baseUrl === undefined) {
        const key = await vscode.window.showInputBox({
          title: vscode.l10n.t('Comet: API Key for {0}', origin), prompt: vscode.l10n.t("{0} needs a key. It is stored in VS Code's SecretStorage and sent only to this origin.", origin),
          password: true, ignoreFocusOut: true,
        });
        if (key?.trim()) await keys.set(origin, key.trim());
      }
      // comet.baseUrl is application-scoped: User settings only.
      await vscode.workspace.getConfiguration('comet').update('baseUrl', baseUrl, vscode.ConfigurationTarget.Global);
      const credentials = await keys.credentials(baseUrl, false);
      const check = await checkEndpoint(baseUrl, credentials.kind === 'key' ? credentials.apiKey : undefined);
      log.info(`Choose Endpoint: ${check.message}`);
      if (check.kind === 'reachable') void vscode.window.showInformationMessage(vscode.l10n.t('Comet: {0}', check.message));
      else void vscode.window.showWarningMessage(vscode.l10n.t('Comet: {0}', check.message), check.kind === 'key-rejected' ? SET_API_KEY() : CHOOSE_ENDPOINT()).then(choice => {
        if (choice) void vscode.commands.executeCommand(choice === SET_API_KEY() ? COMMAND.setApiKey : COMMAND.chooseEndpoint);
      });
      return check;
    },
  };
}

async function pickBaseUrl(): Promise<string | undefined> {
  const current = vscode.workspace.getConfiguration('comet').get<string>('baseUrl');
  const items: vscode.QuickPickItem[] = [
    ...ENDPOINT_PRESETS.map(p => ({ label: p.label, description: p.baseUrl, detail: p.detail, picked: p.baseUrl === current })),
    { label: CUSTOM, description: vscode.l10n.t('Any OpenAI-compatible /v1 endpoint') },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Comet: Choose Endpoint'), placeHolder: vscode.l10n.t('Current: {0}', String(current)) });
  if (!picked) return undefined;
  if (picked.label !== CUSTOM) return picked.description;
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Comet: Custom Endpoint'), prompt: vscode.l10n.t('The base URL, ending before /chat/completions (e.g. http://localhost:8000/v1)'), value: current, ignoreFocusOut: true,
    validateInput: value => (/^https?:\/\/\S+$/.test(value.trim()) ? undefined : vscode.l10n.t('An http:// or https:// URL')),
  }).then(value => value?.trim().replace(/\/+$/, ''));
}
