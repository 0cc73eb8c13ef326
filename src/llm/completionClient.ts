// Layer llm/: the wire and nothing of the UI. It may import packages and ../shared/domain only, and names no setting.
// One whole (not streamed) completion through the same SDK client as the chat: for structured answers, where a
// half-arrived JSON object is of no use. The body may carry `response_format`; the SDK sends it as it is.
import type { ChatRequestBody } from './request';
import { createClient, isCompletionChunk, notAChatCompletion, secretsOf, type Connection } from './chatClient';
import { CompletionAccumulator } from './completionAccumulator';

export interface Completion {
  text: string;
  /** `length` means the reply was cut at the token limit. */
  finishReason?: string;
  model?: string;
}

export type CompletionBackend = (body: ChatRequestBody, signal: AbortSignal) => Promise<Completion>;

export function createCompletionBackend(connection: Connection): CompletionBackend {
  const client = createClient(connection);
  return async (body, signal) => {
    const completion: unknown = await client.chat.completions.create({ ...body, stream: false }, { signal });
    if (!isCompletionChunk(completion)) throw notAChatCompletion(completion, secretsOf(connection));
    // Read as the chat reads an answer: content parts, a refusal, thinking in `<think>` tags kept out of the text.
    const reply = new CompletionAccumulator();
    reply.add(completion);
    reply.end();
    return { text: reply.text, finishReason: reply.finishReason, model: reply.model };
  };
}
