// The wire corpus (test/fixtures/wire, its README says where each recording comes from and how `expect` is derived),
// for the unit replay through the llm layer and the integration replay in a real VS Code; and the rejection corpus
// (test/fixtures/rejections), for the recognizer and the answer flow.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface WireFixture {
  source: string;
  description: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  expect: {
    text?: string;
    reasoning?: string;
    refusal?: string;
    sources?: string[];
    toolCalls?: Array<{ id: string; name: string; arguments: string }>;
    finishReason?: string | null;
    usage?: { prompt_tokens: number; completion_tokens: number };
    error?: { status?: number; messageIncludes: string };
    /** The stream ended, with no error, after neither a finish reason nor `[DONE]`. */
    mayBeCut?: boolean;
  };
}

export interface RejectionFixture {
  source: string;
  description: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  expect: { kind: string; param?: string; reason?: string };
}

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');

/** Every recording of a corpus, by file name without `.json`, in name order. */
function recordings<T>(corpus: string): Array<{ name: string; fixture: T }> {
  const dir = path.join(FIXTURES, corpus);
  return fs.readdirSync(dir).filter(file => file.endsWith('.json')).sort()
    .map(file => ({ name: file.replace(/\.json$/, ''), fixture: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as T }));
}

export const wireRecordings = () => recordings<WireFixture>('wire');
export const rejectionRecordings = () => recordings<RejectionFixture>('rejections');

/** The loopback server's reply that replays a recording byte for byte, in small pieces. */
export const replayOf = (fixture: WireFixture) => ({ kind: 'raw' as const, status: fixture.status, headers: fixture.headers, body: fixture.body, chunkSize: 37 });

/** What VS Code's chat gets: the text and the reasoning, then each call with its input parsed, or an error naming a
 *  call whose arguments are no JSON object (a tool cannot be run with them). */
export function nativeExpectation(want: WireFixture['expect']): { text: string; reasoning: string; calls: Array<{ id: string; name: string; input: unknown }>; error?: string } {
  const calls = (want.toolCalls ?? []).map(call => ({ id: call.id, name: call.name, input: objectOrUndefined(call.arguments) }));
  const broken = calls.find(call => call.input === undefined);
  const error = want.error?.messageIncludes ?? (broken ? `the tool "${broken.name}"` : undefined);
  return { text: want.text ?? '', reasoning: want.reasoning ?? '', calls, ...(error === undefined ? {} : { error }) };
}

function objectOrUndefined(args: string): unknown {
  if (!args.trim()) return {};
  try {
    const value: unknown = JSON.parse(args);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
