// For the streaming bench only: when this extension host hands a message to the connection it shares with the
// workbench. In code-server the host holds that WebSocket itself (the server passes the socket over): each RPC
// message is framed, and deflated by zlib (permessage-deflate) when the browser took compression, then written to the
// socket. Wrapping zlib's DeflateRaw and net.Socket writes for the length of one answer tells when the message that
// carries `marker` went into the deflater (the host's RPC writer got round to it), and when its deflated frame came out
// (or, uncompressed, was written). Restored by take().
import * as net from 'node:net';
import * as zlib from 'node:zlib';
import { now } from './streamRuns';

export interface HostWrites {
  /** The marker's message went into the deflater / its deflated bytes came back, ready for the socket. */
  deflateInAt: number[];
  deflatedAt: number[];
  /** Written to a socket uncompressed, with the marker in plain sight. */
  plainWriteAt: number[];
}

type Write = (this: unknown, chunk: unknown, ...rest: unknown[]) => boolean;
type Flush = (this: unknown, ...args: unknown[]) => void;

export function watchHostWrites(marker: string): { take(): HostWrites } {
  const needle = Buffer.from(marker);
  const carries = (chunk: unknown) => (Buffer.isBuffer(chunk) || chunk instanceof Uint8Array) && Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).includes(needle);
  const writes: HostWrites = { deflateInAt: [], deflatedAt: [], plainWriteAt: [] };
  const deflate = zlib.DeflateRaw.prototype as unknown as { write: Write; flush: Flush };
  const socket = net.Socket.prototype as unknown as { write: Write };
  const own = { deflateWrite: Object.getOwnPropertyDescriptor(deflate, 'write'), deflateFlush: Object.getOwnPropertyDescriptor(deflate, 'flush'), socketWrite: Object.getOwnPropertyDescriptor(socket, 'write') };
  const { write: deflateWrite, flush: deflateFlush } = deflate;
  const socketWrite = socket.write;
  const pending = new WeakSet<object>();
  deflate.write = function (chunk, ...rest) {
    if (carries(chunk)) {
      writes.deflateInAt.push(now());
      pending.add(this as object);
    }
    return deflateWrite.call(this, chunk, ...rest);
  };
  // The framing flushes after each message and takes the deflated bytes in the flush's callback (the last argument).
  deflate.flush = function (...args) {
    const callback = args.at(-1);
    if (pending.delete(this as object) && typeof callback === 'function') {
      args[args.length - 1] = (...results: unknown[]) => {
        writes.deflatedAt.push(now());
        return (callback as (...a: unknown[]) => unknown)(...results);
      };
    }
    return deflateFlush.apply(this, args);
  };
  socket.write = function (chunk, ...rest) {
    if (carries(chunk)) writes.plainWriteAt.push(now());
    return socketWrite.call(this, chunk, ...rest);
  };
  const restore = (target: object, key: string, descriptor: PropertyDescriptor | undefined) => {
    if (descriptor) Object.defineProperty(target, key, descriptor);
    else delete (target as Record<string, unknown>)[key];
  };
  return {
    take() {
      restore(deflate, 'write', own.deflateWrite);
      restore(deflate, 'flush', own.deflateFlush);
      restore(socket, 'write', own.socketWrite);
      return writes;
    },
  };
}
