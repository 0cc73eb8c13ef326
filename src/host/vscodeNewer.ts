// The part of VS Code's API newer than the 1.100 that @types/vscode describes (1.104+: the Language Model Chat
// Provider), typed here once and reached only through `newerLm()`, which returns undefined where it does not exist.
import * as vscode from 'vscode';

export interface LanguageModelChatInformation {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly version: string;
  readonly tooltip?: string;
  readonly detail?: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: { readonly toolCalling?: boolean | number; readonly imageInput?: boolean };
}

/** A message as VS Code hands it to a provider: a role and parts (text, tool calls, tool results, data). */
export interface LanguageModelChatRequestMessage {
  readonly role: vscode.LanguageModelChatMessageRole | number;
  readonly content: readonly unknown[];
  readonly name: string | undefined;
}

export interface ProvideLanguageModelChatResponseOptions {
  readonly modelOptions?: { readonly [name: string]: unknown };
  readonly tools?: readonly vscode.LanguageModelChatTool[];
  readonly toolMode: vscode.LanguageModelChatToolMode;
}

export interface LanguageModelChatProvider<T extends LanguageModelChatInformation = LanguageModelChatInformation> {
  readonly onDidChangeLanguageModelChatInformation?: vscode.Event<void>;
  provideLanguageModelChatInformation(options: { readonly silent: boolean }, token: vscode.CancellationToken): vscode.ProviderResult<T[]>;
  provideLanguageModelChatResponse(
    model: T,
    messages: readonly LanguageModelChatRequestMessage[],
    options: ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart | LanguageModelThinkingPart>,
    token: vscode.CancellationToken,
  ): Thenable<void>;
  provideTokenCount(model: T, text: string | LanguageModelChatRequestMessage, token: vscode.CancellationToken): Thenable<number>;
}

export interface NewerLm {
  registerLanguageModelChatProvider(vendor: string, provider: LanguageModelChatProvider): vscode.Disposable;
}

/** The provider API where this VS Code has it (1.104 and later), else undefined. */
export function newerLm(): NewerLm | undefined {
  const lm = vscode.lm as unknown as Partial<NewerLm> | undefined;
  return typeof lm?.registerLanguageModelChatProvider === 'function' ? (lm as NewerLm) : undefined;
}

/** VS Code's part for a model's thinking. Still a proposal in @types/vscode, but the class is there at run time in the
 *  versions that have the provider API, and VS Code's chat shows it as the model's thinking. */
export interface LanguageModelThinkingPart {
  readonly value: string | string[];
  readonly id?: string;
}

type ThinkingPartClass = new (value: string) => LanguageModelThinkingPart;

/** The thinking part's class where this VS Code has it, else undefined (the reasoning then goes unshown). */
export function thinkingPartClass(): ThinkingPartClass | undefined {
  const candidate = (vscode as unknown as { LanguageModelThinkingPart?: unknown }).LanguageModelThinkingPart;
  return typeof candidate === 'function' ? (candidate as ThinkingPartClass) : undefined;
}
