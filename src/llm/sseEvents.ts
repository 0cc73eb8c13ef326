// Which SSE events reach the SDK, and in what form. The SDK parses the data of every event it dispatches as JSON, and
// dispatches one whenever an `event:` or `data:` field was seen, so a keep-alive that is not JSON ends the whole answer
// with "not valid JSON". Servers and gateways send such keep-alives: an empty `data:` line (wave-agent#1326), `event:
// ping` with no data (hermes-agent#112183), an `event:` line cut off from its data by a blank line (pi#8430), a comment
// re-wrapped as `data: : OPENROUTER PROCESSING` (llm-gateway#2053), a timestamp as data (chat2api#25). So an event
// whose data is not a JSON object or array (nor `[DONE]`) is dropped, as browsers drop an event with no data. Two kinds
// of event carry an error instead, and become the `data: {"error": ...}` event the SDK raises: llama.cpp's
// non-standard `error: {...}` field, and `event: error` with a plain-text message.
//
// A body with no SSE in it at all (a web page, plain text) ends with NotAChatCompletionError naming its start, instead
// of an answer that is silently empty.
//
// This runs on the whole events the bounded pass hands on (each once). An event that begins `data: {` or `data: [`
// (nearly all of them) is looked at no further; only the rest are decoded, each at most one bounded event.

import type { EventGroup, EventRewriter } from './boundedBody';
import { NotAChatCompletionError } from './streamErrors';

/** Turns an error's text (JSON or not) into the JSON of a `{"error": ...}` envelope. */
export type ErrorData = (text: string) => string;
/** The start of a body that is not SSE, as the user should read it (a web page's title and text, say); `cut`: its
 *  end was cut off. */
export type Excerpt = (text: string, cut: boolean) => string;

const ERROR_FIELD = [Buffer.from('\nerror:'), Buffer.from('\rerror:')];
const DATA = Buffer.from('data:');
const LF_CR = Buffer.from('\n\r');
const SPACE = 0x20;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const DONE = Buffer.from('[DONE]');
const EVENT_END = Buffer.from('\n\n');
const LINE_BREAK = /\r\n|\r|\n/g;

/** How much of a body that is not SSE is kept for the error that names it. */
const EXCERPT_BYTES = 4096;
const SSE_FIELDS = new Set(['data', 'event', 'id', 'retry', 'error']);
const WHITE_SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** One stream's events on their way to the SDK (one instance per response). */
export class SdkEvents implements EventRewriter {
  /** Whether any line so far was SSE (a field or a comment): then the body is an event stream, however empty. */
  private sawSse = false;
  private head: Buffer[] = [];
  private headSize = 0;
  private headCut = false;
  /** Whether the stream said it was complete (`data: [DONE]`): one that ends without it, and without a finish
   *  reason, may have been cut off by a proxy that closed the connection cleanly. */
  sawDone = false;

  constructor(
    private readonly errorData: ErrorData,
    private readonly excerpt: Excerpt,
  ) {}

  /** The group as the SDK should read it: the same bytes when every event is a JSON chunk (no copy). */
  rewrite({ bytes: group, starts }: EventGroup): Uint8Array {
    // An `error:` field can follow a data line in the same event, so a group that holds one is decoded event by event.
    const mayHoldErrorField = ERROR_FIELD.some(marker => group.indexOf(marker) >= 0);
    // The SDK's decoder also ends an event at `\n\r` (`\n\r\n`, `\r\n\r`), where the reader did not cut: an event that
    // holds one before its own closing `\r\n\r\n` is several to the SDK, the later ones perhaps keep-alives. (One
    // pass over the group: each search goes on from the last.)
    let lineEndThenCr = group.indexOf(LF_CR);
    let out: Uint8Array[] | undefined;
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i];
      const end = i + 1 < starts.length ? starts[i + 1] : group.length;
      while (lineEndThenCr >= 0 && lineEndThenCr < start) lineEndThenCr = group.indexOf(LF_CR, lineEndThenCr + 1);
      const holdsSeveral = lineEndThenCr >= 0 && lineEndThenCr < end - 3;
      let replacement: string | undefined;
      const dataAt = !mayHoldErrorField && !holdsSeveral ? jsonDataAt(group, start) : -1;
      if (dataAt >= 0) {
        this.sawSse = true;
        if (!this.sawDone && group[dataAt] === OPEN_BRACKET) this.sawDone = startsWith(group, dataAt, DONE);
      } else replacement = this.rewriteEvent(group.subarray(start, end));
      if (replacement === undefined) {
        out?.push(group.subarray(start, end));
        continue;
      }
      out ??= [group.subarray(0, start)];
      if (replacement) out.push(Buffer.from(replacement));
    }
    return out ? Buffer.concat(out) : group;
  }

  /** The body's end, after its last blank line. The SDK never dispatches an event that no blank line closes (as the
   *  SSE spec says), so a whole chunk a server wrote last without one would be lost, with the finish reason and usage
   *  it carries. An event whose data is whole JSON (or `[DONE]`) is closed; one cut off inside its JSON is left as
   *  it is, undispatched, and the answer says it may be cut off. */
  lastEvent(rest: Buffer): Uint8Array {
    // The tail may hold events the SDK's decoder ends itself (at `\n\r\n`, say, where the reader did not cut): only
    // what follows its last empty line is the open one.
    const text = rest.toString('utf8');
    let openAt = 0;
    let lineStart = 0;
    for (const lineBreak of text.matchAll(LINE_BREAK)) {
      if (lineBreak.index === lineStart) openAt = lineBreak.index + lineBreak[0].length;
      lineStart = lineBreak.index + lineBreak[0].length;
    }
    const closed = openAt ? [this.rewrite({ bytes: Buffer.from(text.slice(0, openAt)), starts: [0] })] : [];
    const open = text.slice(openAt);
    const event = this.rewrite({ bytes: Buffer.from(open), starts: [0] });
    return Buffer.concat([...closed, event, ...(isWholeJsonEvent(open) ? [EVENT_END] : [])]);
  }

  /** At the body's end: a body with something in it and no SSE at all is not a chat completion stream. */
  end(): Error | undefined {
    if (this.sawSse) return undefined;
    const text = Buffer.concat(this.head, this.headSize).toString('utf8');
    return text.trim() ? new NotAChatCompletionError(this.excerpt(text, this.headCut)) : undefined;
  }

  /** What one event becomes: undefined to keep it as it is, '' to drop it, else what replaces it. The SDK's decoder
   *  ends an event at every empty line (`\n\r\n` too), where its reader cuts chunks only at `\n\n`, `\r\r` and
   *  `\r\n\r\n`, as the bounded pass does; so an event here can hold several of the decoder's, each judged alone. */
  private rewriteEvent(event: Buffer): string | undefined {
    // A byte order mark at the start of the stream is not part of the first field.
    const lines = event.toString('utf8').replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
    const out: string[] = [];
    let changed = false;
    let fields: string[] = [];
    const close = () => {
      if (!fields.length) return;
      const verdict = this.judge(fields);
      if (verdict === undefined) out.push(`${fields.join('\n')}\n\n`);
      else if (verdict) out.push(verdict);
      changed ||= verdict !== undefined;
      fields = [];
    };
    for (const line of lines) {
      if (line) fields.push(line);
      else close();
    }
    close();
    if (!changed) {
      if (!this.sawSse && !this.headCut) {
        // From the first byte that is not white space: the excerpt shows what was said.
        let from = 0;
        while (!this.headSize && from < event.length && WHITE_SPACE.has(event[from])) from++;
        const room = EXCERPT_BYTES - this.headSize;
        this.head.push(event.subarray(from, from + room));
        this.headSize += Math.min(event.length - from, room);
        this.headCut = event.length - from > room;
      }
      return undefined;
    }
    return out.join('');
  }

  /** One of the decoder's events, by its lines: undefined to keep it, '' to drop it, else the event that replaces it. */
  private judge(lines: string[]): string | undefined {
    const data: string[] = [];
    let name: string | undefined;
    let errorField: string | undefined;
    // As the SDK's decoder reads a line: `field: value` (one space dropped), a line without a colon is a field with no
    // value, and `:` starts a comment.
    for (const line of lines) {
      if (line.startsWith(':')) {
        this.sawSse = true;
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(line[colon + 1] === ' ' ? colon + 2 : colon + 1);
      if (SSE_FIELDS.has(field)) this.sawSse = true;
      if (field === 'data') data.push(value);
      else if (field === 'event') name = value;
      else if (field === 'error') errorField = value;
    }
    if (errorField !== undefined) return `data: ${this.errorData(errorField)}\n\n`;
    // Neither field seen: the SDK dispatches nothing for it either (a comment, `id:`, `retry:`).
    if (!data.length && name === undefined) return undefined;
    const text = data.join('\n');
    if (text.trimStart().startsWith('[DONE]')) this.sawDone = true;
    const first = text.trimStart().charCodeAt(0);
    if (first === OPEN_BRACE || first === OPEN_BRACKET) return undefined;
    if (name === 'error' && text.trim()) return `data: ${this.errorData(text)}\n\n`;
    return '';
  }
}

/** Whether one event's data, read as the SDK reads it (one space after the colon dropped, lines joined by `\n`), is
 *  `[DONE]` or whole JSON. One bounded event. */
function isWholeJsonEvent(event: string): boolean {
  const data: string[] = [];
  for (const line of event.replace(/^\uFEFF/, '').split(LINE_BREAK)) {
    const colon = line.indexOf(':');
    if ((colon < 0 ? line : line.slice(0, colon)) !== 'data') continue;
    data.push(colon < 0 ? '' : line.slice(line[colon + 1] === ' ' ? colon + 2 : colon + 1));
  }
  if (!data.length) return false;
  const text = data.join('\n');
  if (text.startsWith('[DONE]')) return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Where the data of an event that begins `data: {` or `data: [` starts, or -1 for any other event. */
function jsonDataAt(bytes: Buffer, at: number): number {
  if (!startsWith(bytes, at, DATA)) return -1;
  let next = at + DATA.length;
  if (bytes[next] === SPACE) next++;
  return bytes[next] === OPEN_BRACE || bytes[next] === OPEN_BRACKET ? next : -1;
}

function startsWith(bytes: Buffer, at: number, prefix: Buffer): boolean {
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}
