// What Comet has learned about each endpoint and model from its rejections: "this one takes no temperature", "this
// one wants max_completion_tokens". Kept per endpoint origin and model, so one bad reply never changes what goes to
// other endpoints or models; persisted through a port (VS Code's globalState in the extension), logged when learned,
// and listed and cleared by "Comet: Reset Learned Model Rules".
import * as l10n from '@vscode/l10n';
import { ADAPTATION_ACTIONS, applyAdaptation, carries, type Adaptation, type SentParameters } from '../llm/adaptation';
import type { ChatRequestBody } from '../llm/request';
import { WIRE_PARAMETERS } from '../llm/rejection';

export type LearnedRuleMap = Record<string, Adaptation[]>;

/** Where learned rules are kept between sessions. */
export interface LearnedRulesStore {
  read(): LearnedRuleMap;
  write(rules: LearnedRuleMap): Promise<void>;
}

export function memoryRulesStore(): LearnedRulesStore {
  let saved: LearnedRuleMap = {};
  return { read: () => saved, write: async rules => void (saved = rules) };
}

export class LearnedRules {
  constructor(private readonly store: LearnedRulesStore, private readonly log: (message: string) => void = () => undefined) {}

  /** The rules for one endpoint and model, in the order they were learned. */
  for(baseUrl: string, model: string): Adaptation[] {
    return (this.valid()[ruleKey(baseUrl, model)] ?? []).slice();
  }

  /** Applies the learned rules to a fresh request, returning the body and the rules that changed it. */
  apply(baseUrl: string, model: string, body: ChatRequestBody, sent: SentParameters): { body: ChatRequestBody; applied: Adaptation[] } {
    const applied: Adaptation[] = [];
    for (const rule of this.for(baseUrl, model)) {
      if (!carries(body, rule.param, sent)) continue; // the rule has nothing to change in this request
      body = applyAdaptation(body, rule);
      applied.push(rule);
    }
    return { body, applied };
  }

  async learn(baseUrl: string, model: string, rule: Adaptation): Promise<void> {
    const rules = { ...this.valid() };
    const key = ruleKey(baseUrl, model);
    const list = rules[key] ?? [];
    if (list.some(known => known.param === rule.param)) return;
    rules[key] = [...list, rule];
    this.log(`learned for ${key}: ${describeRule(rule)}`);
    await this.store.write(rules);
  }

  /** Every rule, one line each, for the reset command and the log. */
  describe(): string[] {
    return Object.entries(this.valid()).flatMap(([key, list]) => list.map(rule => `${key}: ${describeRule(rule)}`));
  }

  async clear(): Promise<void> {
    this.log('learned model rules cleared');
    await this.store.write({});
  }

  // Whatever the store holds is checked: a rule of no known shape is ignored rather than applied.
  private valid(): LearnedRuleMap {
    const raw = this.store.read() as unknown;
    if (!raw || typeof raw !== 'object') return {};
    const rules: LearnedRuleMap = {};
    for (const [key, list] of Object.entries(raw as Record<string, unknown>)) {
      if (Array.isArray(list)) rules[key] = list.filter(isAdaptation);
    }
    return rules;
  }
}

function isAdaptation(value: unknown): value is Adaptation {
  const rule = value as Adaptation;
  return Boolean(rule) && (WIRE_PARAMETERS as readonly string[]).includes(rule.param) && (ADAPTATION_ACTIONS as readonly string[]).includes(rule.action);
}

/** `https://api.example.com gpt-5.4`: the origin, not the path, names the endpoint. */
export function ruleKey(baseUrl: string, model: string): string {
  let origin = baseUrl;
  try {
    origin = new URL(baseUrl).origin;
  } catch {
    /* keep the text */
  }
  return `${origin} ${model}`;
}

export function describeRule(rule: Adaptation): string {
  switch (rule.action) {
    case 'rename':
      return `send ${rule.param === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens'} instead of ${rule.param}`;
    case 'system-role':
      return 'send the instruction as a system message, not developer';
    case 'text-only':
      return 'send no image parts';
    case 'auto-tool-choice':
      return 'send tool_choice "auto" instead of a forced choice';
    default:
      return rule.param === 'tools' || rule.param === 'tool_choice' ? 'offer no tools' : `send no ${rule.param}`;
  }
}

/** The answer's note for an adaptation: "This model doesn't take temperature: sent without it". */
export function adaptationNote(rule: Adaptation, learned: boolean): string {
  const when = learned ? l10n.t(' (learned earlier; "Comet: Reset Learned Model Rules" forgets it)') : '';
  switch (rule.action) {
    case 'rename':
      return l10n.t("This model doesn't take {0}: sent {1} instead{2}.", rule.param, rule.param === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens', when);
    case 'system-role':
      return l10n.t("This model doesn't take the developer role: the instruction went as a system message{0}.", when);
    case 'text-only':
      return l10n.t("This model doesn't take images: sent without them{0}.", when);
    case 'auto-tool-choice':
      return l10n.t("This model doesn't take a forced tool choice: sent tool_choice \"auto\"{0}.", when);
    default:
      if (rule.param === 'tools' || rule.param === 'tool_choice') return l10n.t("This model doesn't take tools: answered without the workspace tools{0}.", when);
      if (rule.param === 'reasoning_content') return l10n.t("This endpoint doesn't take a model's earlier reasoning back (reasoning_content): sent without it{0}.", when);
      return l10n.t("This model doesn't take {0}: sent without it{1}.", rule.param, when);
  }
}
