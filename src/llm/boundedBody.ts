// Bounds on what a server can make Comet read: an error body, one SSE line or event, a whole answer. They apply to
// Comet's own byte stream, before the SDK sees a byte: the SDK's SSE reader (`iterSSEChunks`, `LineDecoder`) copies
// and rescans its growing buffer for every chunk, so a line it is handed piecemeal costs it quadratic time, and no
// splitter of ours after it could help; and it copies what is left of a chunk after each event it takes from it, so
// many events in one chunk cost it quadratic time too. So it gets whole events, a few at a time. Everything here is
// one pass over the bytes, with held pieces joined once.
import { ResponseTooLargeError, StreamLineTooLongError } from './streamErrors';

/** Of an error body, what is read; the rest is cancelled unread. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** One SSE line: real chunks are a few KB, a whole tool call's arguments rarely 100 KB. */
export const MAX_SSE_LINE_BYTES = 1024 * 1024;
/** One SSE event (its lines up to the blank line that ends it). */
export const MAX_SSE_EVENT_BYTES = 2 * 1024 * 1024;
/** One streamed answer, all of its bytes. */
export const MAX_STREAM_BYTES = 64 * 1024 * 1024;
/** One JSON body (a completion that was not streamed, or answers a streamed request). */
export const MAX_JSON_BODY_BYTES = 16 * 1024 * 1024;

/** What the SSE pass reads from: a body's reader, perhaps with chunks already taken from it put back in front. */
export type ChunkRead = { done: true; value?: undefined } | { done: false; value: Uint8Array };
export interface ChunkSource {
  read(): Promise<ChunkRead>;
  cancel(reason?: unknown): Promise<void>;
}

export function sourceOf(body: ReadableStream<Uint8Array>): ChunkSource {
  const reader = body.getReader();
  return { read: () => reader.read() as Promise<ChunkRead>, cancel: reason => reader.cancel(reason).catch(() => undefined) };
}

/** The same source with chunks already read from it put back in front. */
export function putBack(source: ChunkSource, chunks: Uint8Array[]): ChunkSource {
  const front = [...chunks];
  return {
    read: () => {
      const next = front.shift();
      return next ? Promise.resolve({ done: false as const, value: next }) : source.read();
    },
    cancel: reason => {
      front.length = 0;
      return source.cancel(reason);
    },
  };
}

export interface BoundedRead {
  bytes: Buffer;
  /** False when the body went on past the limit (and was cancelled there). */
  complete: boolean;
}

/** Reads a body up to `limit` bytes (and the chunk that crosses it), then cancels the rest unread. */
export async function readAtMost(source: ChunkSource, limit: number): Promise<BoundedRead> {
  const pieces: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await source.read();
    if (done) return { bytes: Buffer.concat(pieces, size), complete: true };
    pieces.push(value);
    size += value.byteLength;
    if (size > limit) {
      void source.cancel();
      return { bytes: Buffer.concat(pieces, size).subarray(0, limit), complete: false };
    }
  }
}

/** Skips leading whitespace (and a byte order mark): returns the first other byte (or -1 at the end) and every chunk
 *  read, to put back. */
export async function peekFirstByte(source: ChunkSource, limit: number): Promise<{ first: number; read: Uint8Array[]; tooLarge: boolean }> {
  const read: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await source.read();
    if (done) return { first: -1, read, tooLarge: false };
    read.push(value);
    const bom = size === 0 && value[0] === 0xef && value[1] === 0xbb && value[2] === 0xbf;
    for (let i = bom ? 3 : 0; i < value.length; i++) {
      const byte = value[i];
      if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return { first: byte, read, tooLarge: false };
    }
    size += value.byteLength;
    if (size > limit) return { first: -1, read, tooLarge: true };
  }
}

/** A body that fails at its first read: the SDK opens the stream, then raises this error, typed, as it is. */
export function failingBody(error: unknown): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({ pull: controller => controller.error(error) }, { highWaterMark: 0 });
}

/** A body that passes bytes through until `limit`, then fails with ResponseTooLargeError (and cancels the rest). */
export function limitedBody(source: ChunkSource, limit: number): ReadableStream<Uint8Array> {
  let size = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await source.read();
        if (done) return controller.close();
        size += value.byteLength;
        if (size > limit) {
          void source.cancel();
          return controller.error(new ResponseTooLargeError(limit));
        }
        controller.enqueue(value);
      },
      cancel: reason => source.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

export interface EventStreamLimits {
  lineBytes: number;
  eventBytes: number;
  streamBytes: number;
}

export const DEFAULT_EVENT_STREAM_LIMITS: EventStreamLimits = {
  lineBytes: MAX_SSE_LINE_BYTES,
  eventBytes: MAX_SSE_EVENT_BYTES,
  streamBytes: MAX_STREAM_BYTES,
};

const LF = 0x0a;
const CR = 0x0d;
// The line breaks in a row just seen, as the SDK's `findDoubleNewlineIndex` reads them: an event ends at \n\n, \r\r
// or \r\n\r\n.
type BreakRun = '' | '\n' | '\r' | '\r\n' | '\r\n\r';

function step(run: BreakRun, lf: boolean): BreakRun | 'end' {
  switch (run) {
    case '':
      return lf ? '\n' : '\r';
    case '\n':
      return lf ? 'end' : '\r';
    case '\r':
      return lf ? '\r\n' : 'end';
    case '\r\n':
      return lf ? 'end' : '\r\n\r';
    case '\r\n\r':
      return 'end';
  }
}

/**
 * The most events the SDK gets in one chunk. It copies the rest of a chunk after each event it takes (`data.slice`),
 * so a chunk of n events costs it n times the chunk: a 740 KB read of 5,000 events took it 207 ms in plain Node
 * against 37 ms for the same bytes in 4 KB reads, and a host that reads a fast stream late gets it in such reads.
 */
export const EVENTS_PER_SDK_CHUNK = 16;

/** Whole events back to back, as one chunk for the SDK, and where each of them begins in it. */
export interface EventGroup {
  bytes: Buffer;
  starts: number[];
}

/** What a stream's events become on their way to the SDK, and the error its end raises, if any. `open`, at the first
 *  read, may hand the whole body over to another stream (when the body turns out to be something else) or give the
 *  source back with what it read put back in front. */
export interface EventRewriter {
  rewrite(group: EventGroup): Uint8Array;
  /** What the body's end holds after its last blank line (an event in progress), as the SDK should read it. */
  lastEvent?(rest: Buffer): Uint8Array;
  end?(): Error | undefined;
  open?(source: ChunkSource): Promise<{ source: ChunkSource; instead?: ReadableStream<Uint8Array> }>;
}

const PASS_THROUGH: EventRewriter = { rewrite: group => group.bytes };

/**
 * An SSE body with bounds, in one pass: it hands on whole events only (so the SDK finds each event in the one chunk it
 * gets), at most EVENTS_PER_SDK_CHUNK to a chunk (so it takes them in linear time), each chunk rewritten by `events`
 * (once, as a whole), and ends with a typed error when one line, one event or the whole stream passes its limit. The
 * events before that are handed on first, so the text that arrived before is kept, and the rest of the body is
 * cancelled unread.
 */
export function boundedEventStream(
  source: ChunkSource,
  events: EventRewriter = PASS_THROUGH,
  limits: EventStreamLimits = DEFAULT_EVENT_STREAM_LIMITS,
): ReadableStream<Uint8Array> {
  const scanner = new EventScanner(limits);
  let failure: Error | undefined; // raised at the next read, after the events before it were read
  let opened = !events.open;
  let instead: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (failure) return controller.error(failure);
        try {
          if (!opened) {
            opened = true;
            const opening = await events.open!(source);
            source = opening.source;
            instead = opening.instead?.getReader();
          }
          if (instead) {
            const { done, value } = await instead.read();
            return done ? controller.close() : controller.enqueue(value);
          }
        } catch (thrown) {
          return controller.error(thrown);
        }
        for (;;) {
          let result: ChunkRead;
          try {
            result = await source.read();
          } catch (thrown) {
            return controller.error(thrown);
          }
          if (result.done) {
            const rest = scanner.rest();
            if (rest) controller.enqueue(events.lastEvent ? events.lastEvent(rest) : events.rewrite({ bytes: rest, starts: [0] }));
            const ended = events.end?.();
            return ended ? controller.error(ended) : controller.close();
          }
          const { groups, error } = scanner.scan(result.value);
          if (error) {
            scanner.drop();
            void source.cancel();
            if (!groups.length) return controller.error(error);
            failure = error;
          }
          if (groups.length) {
            for (const group of groups) controller.enqueue(events.rewrite(group));
            return;
          }
        }
      },
      cancel: reason => (instead ? instead.cancel(reason) : source.cancel(reason)),
    },
    { highWaterMark: 0 },
  );
}

/** Finds event ends in the chunks as they come, holding the event in progress in its pieces (joined once). */
class EventScanner {
  private held: Uint8Array[] = [];
  private heldSize = 0;
  private lineSize = 0; // bytes of the line in progress
  private run: BreakRun = '';
  private total = 0;

  constructor(private readonly limits: EventStreamLimits) {}

  /** Scans one chunk; returns the whole events it completes (with what was held) in groups of at most
   *  EVENTS_PER_SDK_CHUNK, and the error if a bound broke. */
  scan(chunk: Uint8Array): { groups: EventGroup[]; error?: Error } {
    const limits = this.limits;
    this.total += chunk.byteLength;
    if (this.total > limits.streamBytes) return { groups: [], error: new ResponseTooLargeError(limits.streamBytes) };
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const ends: number[] = [];
    const error = this.findEventEnds(bytes, ends);
    const cut = ends.length ? ends[ends.length - 1] : -1;
    const groups: EventGroup[] = [];
    if (cut >= 0) {
      this.held.push(bytes.subarray(0, cut));
      const joined = join(this.held, this.heldSize + cut);
      // Event ends are offsets in this chunk; in `joined` they come after what was held.
      const shift = this.heldSize;
      for (let first = 0; first < ends.length; first += EVENTS_PER_SDK_CHUNK) {
        const last = Math.min(first + EVENTS_PER_SDK_CHUNK, ends.length) - 1;
        const from = first === 0 ? 0 : shift + ends[first - 1];
        const starts = [0];
        for (let i = first; i < last; i++) starts.push(shift + ends[i] - from);
        groups.push({ bytes: joined.subarray(from, shift + ends[last]), starts });
      }
      this.held = cut < bytes.length ? [bytes.subarray(cut)] : [];
      this.heldSize = bytes.length - cut;
    } else {
      this.held.push(bytes);
      this.heldSize += bytes.length;
    }
    if (!error && this.heldSize > limits.eventBytes) return { groups, error: new StreamLineTooLongError(limits.eventBytes, 'event') };
    return { groups, error };
  }

  /** What is held at the end of the body, if anything. */
  rest(): Buffer | undefined {
    const rest = this.heldSize ? join(this.held, this.heldSize) : undefined;
    this.drop();
    return rest;
  }

  drop(): void {
    this.held = [];
    this.heldSize = 0;
  }

  // Where each event that ends in this chunk ends (into `ends`), measuring each line against its bound on the way;
  // returns the error if a line broke it (the events before it are in `ends`).
  private findEventEnds(bytes: Buffer, ends: number[]): Error | undefined {
    const limit = this.limits.lineBytes;
    let at = 0;
    let nextLf = bytes.indexOf(LF, 0);
    let nextCr = bytes.indexOf(CR, 0);
    while (nextLf >= 0 || nextCr >= 0) {
      const end = nextCr < 0 || (nextLf >= 0 && nextLf < nextCr) ? nextLf : nextCr;
      if (end > at) {
        this.lineSize += end - at;
        this.run = '';
      }
      if (this.lineSize > limit) return new StreamLineTooLongError(limit, 'line');
      this.lineSize = 0;
      const afterBreak = step(this.run, bytes[end] === LF);
      if (afterBreak === 'end') {
        ends.push(end + 1);
        this.run = '';
      } else {
        this.run = afterBreak;
      }
      at = end + 1;
      if (end === nextLf) nextLf = bytes.indexOf(LF, at);
      if (end === nextCr) nextCr = bytes.indexOf(CR, at);
    }
    if (bytes.length > at) {
      this.lineSize += bytes.length - at;
      this.run = '';
      if (this.lineSize > limit) return new StreamLineTooLongError(limit, 'line');
    }
    return undefined;
  }
}

function join(pieces: Uint8Array[], size: number): Buffer {
  return pieces.length === 1 ? Buffer.from(pieces[0].buffer, pieces[0].byteOffset, pieces[0].byteLength) : Buffer.concat(pieces, size);
}
