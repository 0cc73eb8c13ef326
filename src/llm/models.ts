// The models an endpoint offers, through the SDK's GET /models. Some OpenAI-compatible servers lack the endpoint;
// callers fall back to a typed model id.
import { createClient, type Connection } from './chatClient';

export async function listModels(connection: Connection, signal?: AbortSignal): Promise<string[]> {
  const ids = new Set<string>();
  for await (const model of createClient(connection).models.list({ signal })) if (model?.id) ids.add(model.id);
  return [...ids].sort((a, b) => a.localeCompare(b));
}
