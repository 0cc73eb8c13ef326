// Layer llm/: the wire and nothing of the UI. It may import packages and ../shared/domain only, and names no setting.
// What a 400 rejects, told from the error's structure (its `param`, `type` and `code`) first and from wording
// patterns shared by many providers second, never from one provider's exact sentence: the request was too long for
// the context window, or one parameter (or one value of it) that the request carried is not taken.

/** The request parameters a provider may reject, as named on the wire; `developer` is the instruction's role,
 *  `image_url` the image parts of a message, and `reasoning_content` an earlier tool round's thinking sent back. */
export const WIRE_PARAMETERS = [
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'reasoning_effort',
  'stream_options',
  'parallel_tool_calls',
  'tool_choice',
  'tools',
  'developer',
  'image_url',
  'reasoning_content',
] as const;
export type WireParameter = (typeof WIRE_PARAMETERS)[number];

export interface ErrorFields {
  message: string;
  type?: string;
  code?: string | number;
  param?: string;
}

export type Rejection =
  | { kind: 'context-length' }
  /** `unsupported`: the parameter itself is unknown here; `value`: the parameter is known but not this value. */
  | { kind: 'parameter'; param: WireParameter; reason: 'unsupported' | 'value' };

const CONTEXT_CODE = /context_length_exceeded|context_window_exceeded|contextwindowexceeded|string_above_max_length|prompt_too_long/i;
// Wordings seen across OpenAI, DeepSeek, vLLM, Groq, Cerebras, Moonshot, Anthropic-, Gemini- and grok-compatible layers.
const CONTEXT_WORDING = [
  /maximum context length/i,
  /context(?:[ _-]?window| length| size)\b.{0,40}\b(?:exceed|too long|overflow)/i,
  /\bexceed(?:s|ed|ing)?\b.{0,60}\b(?:context|token limit|max(?:imum)? (?:number of )?(?:input )?tokens)/i,
  /\b(?:prompt|input) is too long|too many (?:input |prompt )?tokens/i,
  /reduce the length of the (?:messages|prompt|input)/i,
  /max(?:imum)? (?:prompt|input|model) length|max length exceeded/i,
  /\b(?:prompt|input)s?(?: tokens?)? exceeds? (?:the )?max(?:imum)? (?:length|tokens?|context)\b/i,
  /\brange of (?:input|prompt) length\b/i,
];

// Said of a capability only when denied: "does not support tool use", "No endpoints found that support tool use".
const NOT_SUPPORTED = String.raw`(?:\bno\b.{0,40}\bthat |\bnot |n't )`;
// A gateway with no provider for what the request asked: "No endpoints found that support tool use".
const NO_PROVIDER_SUPPORTS = /\bno\b.{0,40}\bthat supports?\b/i;
const REJECTION_WORDING = new RegExp(`${/unsupported|not supported|does not support|doesn't support|not allowed|not permitted|invalid|unknown|unrecognized|extra (?:inputs?|fields?|parameters?)|only .{0,40}(?:is|are) (?:allowed|supported)|must be|incompatible|not one of|unexpected|at most|less than|cannot (?:both )?be|cannot use|can(?:no|')t be used|\brequires? (?:--|.{0,40}\bto be (?:set|enabled)\b)|非法|不合法|无效|不支持/.source}|${NO_PROVIDER_SUPPORTS.source}`, 'i');
const UNSUPPORTED_PARAMETER = new RegExp(`${/unsupported[_ ]param(?:eter)?s?\b|unknown (?:parameter|field|argument|variant)|unrecognized|extra (?:inputs?|fields?|parameters?)|not permitted|are not allowed|is not supported with this model|does not support (?:the )?(?:parameter|field)|(?:property|parameter|field|argument) '?[\w.]+'? is (?:unsupported|not supported)|(?:参数|字段).{0,20}不支持|不支持(?:该|此)?(?:参数|字段)/.source}|${NOT_SUPPORTED}supports? tool (?:use|calling|calls)\\b`, 'i');

// Each parameter's mentions in an error's text or `param` field.
const MENTIONS: Record<WireParameter, RegExp> = {
  temperature: /\btemperature\b/i,
  top_p: /\btop_p\b/i,
  max_tokens: /\bmax_tokens\b/i,
  max_completion_tokens: /\bmax_completion_tokens\b/i,
  reasoning_effort: /\breasoning[_.]effort\b/i,
  stream_options: /\bstream_options\b/i,
  parallel_tool_calls: /\bparallel_tool_calls\b/i,
  tool_choice: /\btool[_ ]choice\b/i,
  tools: new RegExp(`\\btools\\b|\\bfunction calling\\b|\\btool (?:use|calling|calls?)\\b.{0,20}not supported|${NOT_SUPPORTED}supports? tool (?:use|calling|calls)\\b`, 'i'),
  developer: /\bdeveloper\b/i,
  // Comet sends a message's content as parts only when it carries images: "content must be a string" refuses them.
  image_url: new RegExp(`\\bimage_url\\b|\\bcontent must be (?:a )?string\\b|\\bimages?\\b(?: input)?.{0,30}(?:not supported|incompatible)|does not support (?:images?|vision)|${NOT_SUPPORTED}supports? image`, 'i'),
  reasoning_content: /\breasoning_content\b/i,
};

// A limit per minute or a quota is no context window, whatever it calls its tokens.
const RATE_WORDING = /\bper (?:minute|hour|day)\b|\brate[ _-]?limit|\bquota\b|\bdaily\b|\b[TR]PM\b/i;
// A server error that asks to be tried again is passing: its words alone name no overflow (a code still does).
const TRANSIENT_WORDING = /\b(?:retry|try again|temporar(?:y|ily)|unavailable|overloaded|busy)\b/i;
// On a 5xx only an outright refusal names a parameter: a passing fault may mention one in passing.
const REFUSED_OUTRIGHT = new RegExp(`${UNSUPPORTED_PARAMETER.source}|\\bcannot use\\b|can(?:no|')t be used|\\brequires? --`, 'i');

/** What a rejected request was rejected for, or undefined when it cannot be told (then nothing is adapted). */
export function recognizeRejection(status: number | undefined, error: ErrorFields): Rejection | undefined {
  // A gateway answers 404 when no provider it routes to takes a parameter (OpenRouter: "No endpoints found that
  // support tool use"): only a parameter named with such wording counts then; any other 404 is a wrong address.
  if (status === 404) {
    if (!NO_PROVIDER_SUPPORTS.test(error.message)) return undefined;
    const named = namedParameter(error) ?? firstMentioned(error.message);
    return named ? parameterRejection(named, error) : undefined;
  }
  if (status !== undefined && status !== 400 && status !== 413 && status !== 422 && status < 500) return undefined;
  const serverSide = status !== undefined && status >= 500;
  // Structure (a code, a param field, an outright refusal) decides over a plea to retry; wording alone does not.
  const passing = serverSide && TRANSIENT_WORDING.test(error.message);
  const meta = `${error.code ?? ''} ${error.type ?? ''}`;
  const overflowWording = !passing && !RATE_WORDING.test(error.message) && CONTEXT_WORDING.some(pattern => pattern.test(error.message));
  if (CONTEXT_CODE.test(meta) || overflowWording) {
    // A blamed sampling parameter wins over a context wording that only mentions the window in passing.
    if (!namedParameter(error)) return { kind: 'context-length' };
  }
  if (status === 413) return undefined;
  const wording = serverSide ? REFUSED_OUTRIGHT : REJECTION_WORDING;
  const named = namedParameter(error) ?? (wording.test(error.message) ? firstMentioned(error.message) : serverSide ? undefined : saidShouldBe(error.message));
  return named ? parameterRejection(named, error) : undefined;
}

function parameterRejection(param: WireParameter, error: ErrorFields): Rejection | undefined {
  if (param === 'reasoning_content') return reasoningFieldRefused(error) ? { kind: 'parameter', param, reason: 'unsupported' } : undefined;
  return { kind: 'parameter', param, reason: refusesAsUnknown(error) ? 'unsupported' : 'value' };
}

/** Whether the error refuses a name as unknown (rather than a value of it), by its code or its wording. */
function refusesAsUnknown(error: ErrorFields): boolean {
  return /unsupported_parameter|unknown_parameter|extra_forbidden/i.test(`${error.code ?? ''} ${error.type ?? ''}`) || UNSUPPORTED_PARAMETER.test(error.message);
}

// The thinking sent back is refused only as a field the server does not know, said of that field (Groq, Cerebras:
// "property 'reasoning_content' is unsupported"; "Unrecognized request argument supplied: reasoning_content"), or a
// refusal of the message path that ends in it. DeepSeek's "must be passed back" and "Missing `reasoning_content`"
// ask for more of it, never for less.
const REASONING_FIELD_REFUSED = new RegExp(
  [
    /reasoning_content\W{0,3}(?:field|parameter|property|key)?\W{0,3}(?:is |was |are )?(?:unsupported|not (?:supported|allowed|permitted|expected)|unexpected|unrecognized|unknown)/.source,
    /(?:unsupported|unknown|unrecognized|unexpected|extra)\b[\w ]{0,30}?(?:field|parameter|property|argument|key|input)s?\b[\w ]{0,12}?\W{0,5}[\w.[\]]*reasoning_content/.source,
  ].join('|'),
  'i',
);

// What asks for the thinking rather than refusing it.
const ASKS_FOR_REASONING = /\b(?:missing|required|must be (?:passed|provided|included|sent))\b/i;

function reasoningFieldRefused(error: ErrorFields): boolean {
  if (REASONING_FIELD_REFUSED.test(error.message)) return true;
  // An unknown field refused (pydantic's "Extra inputs are not permitted", a code saying so) where the message or
  // the blamed path names reasoning_content.
  const named = MENTIONS.reasoning_content.test(error.message) || /reasoning_content/.test(error.param ?? '');
  return named && refusesAsUnknown(error) && !ASKS_FOR_REASONING.test(error.message);
}

// The `param` field names the parameter outright (`temperature`), or a path into the messages whose text then says
// what was wrong there (`messages[0].role` with "developer", `messages.[1].content.[1].type` with "image_url").
function namedParameter(error: ErrorFields): WireParameter | undefined {
  const { message } = error;
  const param = error.param ?? '';
  if (!param) return undefined;
  const exact = WIRE_PARAMETERS.find(name => name === param || param.startsWith(`${name}.`) || param.startsWith(`${name}[`));
  if (exact) return exact;
  if (/^messages/.test(param)) {
    if (/reasoning_content/.test(param)) return reasoningFieldRefused(error) ? 'reasoning_content' : undefined;
    if (/role/.test(param) && MENTIONS.developer.test(message)) return 'developer';
    if (/content/.test(param) && MENTIONS.image_url.test(message)) return 'image_url';
  }
  return undefined;
}

// "max_tokens should be at most 8192", "Range of max_tokens should be [1, 8192]": said of the name just before it (a
// path into a tool's schema, "tools[0].function.parameters.properties: should be non-empty", names no parameter).
const SAID_SHOULD_BE = WIRE_PARAMETERS.map(param => ({ param, pattern: new RegExp(`(?:${MENTIONS[param].source})[^.;:]{0,30}\\bshould be\\b`, 'i') }));

function saidShouldBe(message: string): WireParameter | undefined {
  return SAID_SHOULD_BE.find(({ pattern }) => pattern.test(message))?.param;
}

function firstMentioned(message: string): WireParameter | undefined {
  let best: { param: WireParameter; at: number } | undefined;
  for (const param of WIRE_PARAMETERS) {
    const at = message.search(MENTIONS[param]);
    if (at >= 0 && (!best || at < best.at)) best = { param, at };
  }
  return best?.param;
}
