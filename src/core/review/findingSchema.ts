// Layer core/: no vscode, no disk, no processes. It may import llm/, shared/domain and its own folder.
// What a review answers: a list of findings, each a line range, a severity, a message and the text that replaces those
// lines (or null). The JSON schema goes to the model as a strict `json_schema` response format; the same shape is
// checked here on whatever comes back, because only strict json_schema mode promises it and the fallbacks do not.
// Hand-written instead of a JSON-schema validator: the schema is fixed and five fields long, and a validator
// library would be a third of the bundle budget.

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Finding {
  /** 1-based file lines, inclusive. */
  startLine: number;
  endLine: number;
  severity: Severity;
  message: string;
  /** The whole text of lines startLine..endLine after the fix, or null where the finding has no fix. */
  replacement: string | null;
}

export const REVIEW_SCHEMA_NAME = 'code_review';

/** Strict mode requires every property to be listed as required, so a finding without a fix carries null. */
export const REVIEW_SCHEMA = {
  type: 'object',
  properties: {
    findings: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          startLine: { type: 'integer', description: 'First line of the problem, as numbered in the code shown.' },
          endLine: { type: 'integer', description: 'Last line of the problem (inclusive); equal to startLine for one line.' },
          severity: { type: 'string', enum: [...SEVERITIES] },
          message: { type: 'string', description: 'What is wrong and why, in one or two sentences.' },
          replacement: {
            type: ['string', 'null'],
            description: 'The full new text of lines startLine..endLine, without line numbers; null when there is no concrete fix.',
          },
        },
        required: ['startLine', 'endLine', 'severity', 'message', 'replacement'],
        additionalProperties: false,
      },
    },
  },
  required: ['findings'],
  additionalProperties: false,
} as const;

export type ParsedReview = { ok: true; findings: Finding[] } | { ok: false; problem: string };

/** Parses a model's reply: JSON, possibly inside a code fence or after some prose (text mode), checked against the schema. */
export function parseReview(reply: string): ParsedReview {
  const json = extractJson(reply);
  if (json === undefined) return { ok: false, problem: 'the reply is not JSON' };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { ok: false, problem: `the reply is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  return checkReview(value);
}

export function checkReview(value: unknown): ParsedReview {
  if (!isObject(value)) return { ok: false, problem: 'the reply is not a JSON object' };
  const extra = Object.keys(value).filter(key => key !== 'findings');
  if (extra.length) return { ok: false, problem: `the reply has unexpected properties (${extra.join(', ')})` };
  if (!Array.isArray(value.findings)) return { ok: false, problem: '"findings" is missing or not an array' };
  const findings: Finding[] = [];
  for (const [index, item] of value.findings.entries()) {
    const problem = findingProblem(item);
    if (problem) return { ok: false, problem: `finding ${index + 1} ${problem}` };
    findings.push(item as Finding);
  }
  return { ok: true, findings };
}

const FINDING_KEYS = REVIEW_SCHEMA.properties.findings.items.required;

function findingProblem(item: unknown): string | undefined {
  if (!isObject(item)) return 'is not an object';
  const missing = FINDING_KEYS.filter(key => !(key in item));
  if (missing.length) return `lacks ${missing.join(', ')}`;
  const extra = Object.keys(item).filter(key => !(FINDING_KEYS as readonly string[]).includes(key));
  if (extra.length) return `has unexpected properties (${extra.join(', ')})`;
  if (!isLine(item.startLine) || !isLine(item.endLine)) return 'has a line number that is not a positive integer';
  if (item.endLine < item.startLine) return `ends (line ${item.endLine}) before it starts (line ${item.startLine})`;
  if (!SEVERITIES.includes(item.severity as Severity)) return `has severity ${JSON.stringify(item.severity)}, not one of ${SEVERITIES.join(', ')}`;
  if (typeof item.message !== 'string' || !item.message.trim()) return 'has no message';
  if (item.replacement !== null && typeof item.replacement !== 'string') return 'has a replacement that is neither text nor null';
  return undefined;
}

// json_schema and json_object modes give bare JSON; text mode may wrap it in a fence or a sentence.
function extractJson(reply: string): string | undefined {
  const trimmed = reply.trim();
  if (trimmed.startsWith('{')) return trimmed;
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n```/.exec(trimmed);
  if (fenced) return fenced[1].trim();
  const start = trimmed.indexOf('{');
  const end = trimmed.lastIndexOf('}');
  return start >= 0 && end > start ? trimmed.slice(start, end + 1) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLine(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}
