// Which request parameters a model takes. One place, because providers behind one OpenAI-compatible surface disagree
// (see the seed's parameter table) and these rules only grow.

export type ReasoningEffort = 'low' | 'medium' | 'high';
export type InstructionRole = 'developer' | 'system';

export interface ModelRules {
  /** `max_completion_tokens` (GPT-4.1+, GPT-5, o-series) or the legacy `max_tokens`. */
  maxTokensParam: 'max_completion_tokens' | 'max_tokens';
  /** Only o-series and GPT-5.1+ take `reasoning_effort`; others reject or ignore it. */
  acceptsReasoningEffort: boolean;
  /** The role `auto` picks for the instruction message. */
  instructionRole: InstructionRole;
  /** o1-mini and o1-preview take no instruction message at all; the instruction rides in the first user turn. */
  acceptsInstructionMessage: boolean;
  /** o-series and GPT-5 (5.0) reasoning models reject temperature and top_p; later GPT-5.x are learned from a 400. */
  acceptsSampling: boolean;
  /** Claude takes temperature 0–1 (the seed's parameter table); everyone else 0–2. */
  maxTemperature: number;
  /** Mistral's models (on La Plateforme, and through mistral_common on vLLM) take only tool-call ids of nine letters
   *  and digits: "Tool call id was call_… but must be a-z, A-Z, 0-9, with a length of 9". Ids another provider made
   *  (a conversation that changed model), or Comet's own, go rewritten. */
  nineCharToolCallIds: boolean;
}

/** `openai/gpt-5.4-mini` (OpenRouter) and `gpt-5.4-mini-2026-01-01` name the same family as `gpt-5.4-mini`. */
export function modelFamily(model: string): string {
  const name = model.trim().toLowerCase();
  const slash = name.lastIndexOf('/');
  return slash >= 0 ? name.slice(slash + 1) : name;
}

function isOSeries(family: string): boolean {
  return /^o\d+(?:$|[-.])/.test(family);
}

/** GPT version number (4.1, 5, 5.4, ...) or undefined for non-GPT names. */
function gptVersion(family: string): number | undefined {
  const match = /^(?:chat)?gpt-(\d+(?:\.\d+)?)/.exec(family);
  return match ? Number(match[1]) : undefined;
}

export function modelRules(model: string): ModelRules {
  const family = modelFamily(model);
  const oSeries = isOSeries(family);
  const version = gptVersion(family);
  const modernOpenAi = oSeries || (version !== undefined && version >= 4.1);
  // gpt-4o takes `developer` too, but keeps `max_tokens`; every non-OpenAI family gets `system`, which all servers know.
  const takesDeveloperRole = modernOpenAi || /^(?:chat)?gpt-4o/.test(family);
  return {
    maxTokensParam: modernOpenAi ? 'max_completion_tokens' : 'max_tokens',
    acceptsReasoningEffort: oSeries || (version !== undefined && version >= 5.1),
    instructionRole: takesDeveloperRole ? 'developer' : 'system',
    acceptsInstructionMessage: !/^o1-(?:mini|preview)/.test(family),
    acceptsSampling: !(oSeries || (version === 5 && !/chat/.test(family))),
    maxTemperature: /^claude/.test(family) ? 1 : 2,
    nineCharToolCallIds: /^(?:open-)?(?:mistral|mixtral|codestral|devstral|magistral|ministral|pixtral)/.test(family),
  };
}
