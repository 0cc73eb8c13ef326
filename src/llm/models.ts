// The models an endpoint offers, through the SDK's GET /models. Some OpenAI-compatible servers lack the endpoint;
// callers fall back to a typed model id.
import OpenAI from 'openai';
import type { Connection } from './chatClient';
import { createEnvelopingFetch } from './errorResponse';

export async function listModels(connection: Connection, signal?: AbortSignal): Promise<string[]> {
  const client = new OpenAI({
    apiKey: connection.apiKey,
    baseURL: connection.baseUrl,
    timeout: connection.timeoutMs,
    maxRetries: connection.maxRetries,
    fetch: createEnvelopingFetch(),
    logLevel: 'off',
  });
  const ids = new Set<string>();
  for await (const model of client.models.list({ signal })) if (model?.id) ids.add(model.id);
  return [...ids].sort((a, b) => a.localeCompare(b));
}
