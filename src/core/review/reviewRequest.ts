// Layer core/: no vscode, no disk, no processes. It may import llm/, shared/domain and its own folder.
// One review of some lines of a file, with the structured-output fallbacks: a strict `json_schema` response format
// first; where the endpoint rejects it, `json_object` with the schema written into the instruction; where that is
// rejected too, plain text with the schema in the instruction. Whatever comes back is checked against the schema,
// so no mode is trusted further than it promises. Only a rejected request moves down the chain; a reply that does
// not fit the schema ends the review with a message that says what was wrong, and nothing is shown half-way.
import { toFailure, type LlmFailure } from '../../llm/failure';
import type { CompletionBackend } from '../../llm/completionClient';
import { buildChatRequest, type ChatRequestBody } from '../../llm/request';
import { describeFailure } from '../describeFailure';
import { redactSecrets } from '../redact';
import { fenceFor, type EditorSelection } from '../selectionContext';
import type { Settings } from '../settings';
import { parseReview, REVIEW_SCHEMA, REVIEW_SCHEMA_NAME, type Finding } from './findingSchema';

export const REVIEW_MODES = ['json_schema', 'json_object', 'text'] as const;
export type ReviewMode = (typeof REVIEW_MODES)[number];

export type ReviewResult =
  | { ok: true; findings: Finding[]; mode: ReviewMode }
  | { ok: false; cancelled?: boolean; message: string; failure?: LlmFailure };

export const REVIEW_INSTRUCTION =
  'You are Comet, a careful code reviewer inside VS Code. Review the numbered lines you are given for bugs, security ' +
  'problems and clear mistakes; skip matters of taste. Report each problem once, on the lines it is on, using the ' +
  'line numbers shown. A replacement is the complete new text of exactly those lines, without line numbers, keeping ' +
  'the indentation; use null when there is no concrete fix. No problems: an empty findings list.';

const SCHEMA_NOTE = `Answer with one JSON object only, matching this JSON schema:\n${JSON.stringify(REVIEW_SCHEMA)}`;

export interface ReviewDeps {
  settings: Settings;
  /** Undefined for a local server that needs none. */
  apiKey: string | undefined;
  backend: CompletionBackend;
}

export async function requestReview(target: EditorSelection, deps: ReviewDeps, signal: AbortSignal): Promise<ReviewResult> {
  let lastFailure: LlmFailure | undefined;
  for (const mode of REVIEW_MODES) {
    if (signal.aborted) return cancelled();
    let reply;
    try {
      reply = await deps.backend(reviewBody(target, deps.settings, mode), signal);
    } catch (error) {
      if (signal.aborted) return cancelled();
      lastFailure = toFailure(error);
      // Only a request the endpoint refused (e.g. "response_format is not supported", whatever the status) is worth a
      // plainer mode.
      if (lastFailure.kind === 'bad-parameter') continue;
      return failed(lastFailure, deps);
    }
    if (signal.aborted) return cancelled();
    const parsed = parseReview(reply.text);
    if (parsed.ok) return { ok: true, findings: parsed.findings, mode };
    const cut = reply.finishReason === 'length' ? ' It was cut off at the token limit (comet.maxTokens).' : '';
    return { ok: false, message: redactSecrets(`The review could not be used: ${parsed.problem}.${cut} Reply: ${preview(reply.text)}`, deps.apiKey) };
  }
  return failed(lastFailure as LlmFailure, deps);
}

/** The request for one mode: the instruction, the numbered code, and the response format (or the schema in words). */
export function reviewBody(target: EditorSelection, settings: Settings, mode: ReviewMode): ChatRequestBody {
  const extra = settings.instructions.trim() ? `\n\n${settings.instructions.trim()}` : '';
  const instruction = mode === 'json_schema' ? REVIEW_INSTRUCTION + extra : `${REVIEW_INSTRUCTION}${extra}\n\n${SCHEMA_NOTE}`;
  const body = buildChatRequest(settings, instruction, [{ role: 'user', content: reviewPrompt(target) }]);
  if (mode === 'json_schema') {
    body.response_format = { type: 'json_schema', json_schema: { name: REVIEW_SCHEMA_NAME, strict: true, schema: { ...REVIEW_SCHEMA } } };
  } else if (mode === 'json_object') {
    body.response_format = { type: 'json_object' };
  }
  return body;
}

/** The code as the reviewer sees it: where it is, and each line with its file line number. */
export function reviewPrompt(target: EditorSelection): string {
  const numbered = target.text
    .replace(/\r?\n$/, '')
    .split(/\r?\n/)
    .map((line, i) => `${target.startLine + i}| ${line}`)
    .join('\n');
  const fence = fenceFor(numbered);
  return (
    `Review lines ${target.startLine}-${target.endLine} of ${target.path} (${target.languageId}). ` +
    `Each line starts with its line number and "| ", which are not part of the code.\n${fence}${target.languageId}\n${numbered}\n${fence}`
  );
}

function failed(failure: LlmFailure, deps: ReviewDeps): ReviewResult {
  const { message } = describeFailure(failure, {
    baseUrl: deps.settings.baseUrl,
    model: deps.settings.model,
    timeoutSeconds: deps.settings.requestTimeoutSeconds,
    maxRetries: deps.settings.maxRetries,
  });
  return { ok: false, failure, message: redactSecrets(message, deps.apiKey) };
}

function cancelled(): ReviewResult {
  return { ok: false, cancelled: true, message: 'The review was cancelled.' };
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return '(empty)';
  return JSON.stringify(flat.length > 160 ? `${flat.slice(0, 159)}…` : flat);
}
