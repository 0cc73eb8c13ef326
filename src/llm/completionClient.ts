// Layer llm/: the wire and nothing of the UI. It may import packages and ../shared/domain only, and names no setting.
// One whole (not streamed) completion through the same SDK client as the chat: for structured answers, where a
// half-arrived JSON object is of no use. The body may carry `response_format`; the SDK sends it as it is.
import type { ChatRequestBody } from './request';
import { createClient, type Connection } from './chatClient';

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
    const completion = await client.chat.completions.create({ ...body, stream: false }, { signal });
    const choice = completion.choices[0];
    return { text: choice?.message?.content ?? '', finishReason: choice?.finish_reason ?? undefined, model: completion.model };
  };
}
