import * as assert from 'node:assert/strict';
import { validateSettings, type Settings } from '../../src/core/settings';
import { buildChatRequest, nineCharToolCallId, samplingFor, type ChatMessage } from '../../src/llm/request';

function settings(overrides: Record<string, unknown> = {}): Settings {
  const result = validateSettings(overrides);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.settings;
}

const history = [{ role: 'user' as const, content: 'Hi' }];

describe('buildChatRequest', () => {
  it('puts the instruction first in the developer role for GPT-5, then the history', () => {
    const body = buildChatRequest(settings(), 'Be brief.', history);
    assert.deepEqual(body.messages, [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]);
    assert.equal(body.model, 'gpt-5.4-mini');
  });

  it('leaves out every unset sampling parameter', () => {
    const body = buildChatRequest(settings(), 'x', history);
    for (const key of ['temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'reasoning_effort', 'tools', 'tool_choice']) {
      assert.equal(key in body, false, key);
    }
  });

  it('sends temperature and top_p when set, zero included', () => {
    const body = buildChatRequest(settings({ temperature: 0, topP: 0.5 }), 'x', history);
    assert.equal(body.temperature, 0);
    assert.equal(body.top_p, 0.5);
  });

  it('sends max_completion_tokens to GPT-5 and max_tokens to Claude', () => {
    assert.equal(buildChatRequest(settings({ maxTokens: 100 }), 'x', history).max_completion_tokens, 100);
    const claude = buildChatRequest(settings({ maxTokens: 100, model: 'claude-sonnet-4-5' }), 'x', history);
    assert.equal(claude.max_tokens, 100);
    assert.equal('max_completion_tokens' in claude, false);
  });

  it('sends reasoning_effort only to models that take it', () => {
    assert.equal(buildChatRequest(settings({ reasoningEffort: 'high' }), 'x', history).reasoning_effort, 'high');
    assert.equal('reasoning_effort' in buildChatRequest(settings({ reasoningEffort: 'high', model: 'gpt-4o' }), 'x', history), false);
    assert.equal('reasoning_effort' in buildChatRequest(settings({ reasoningEffort: 'default' }), 'x', history), false);
  });

  it('auto uses system for non-OpenAI models; an explicit role wins', () => {
    assert.equal(buildChatRequest(settings({ model: 'deepseek-chat' }), 'x', history).messages[0].role, 'system');
    assert.equal(buildChatRequest(settings({ instructionRole: 'system' }), 'x', history).messages[0].role, 'system');
    assert.equal(buildChatRequest(settings({ model: 'llama3', instructionRole: 'developer' }), 'x', history).messages[0].role, 'developer');
  });

  it('clamps temperature into Claude\'s 0–1 and sends no temperature or top_p to reasoning families that reject them', () => {
    const claude = buildChatRequest(settings({ model: 'anthropic/claude-sonnet-4.5', temperature: 1.5 }), 'x', history);
    assert.equal(claude.temperature, 1);
    assert.deepEqual(samplingFor({ model: 'claude-sonnet-4-5', temperature: 1.5 }).changes, [{ param: 'temperature', asked: 1.5, sent: 1, max: 1 }]);
    assert.equal(buildChatRequest(settings({ model: 'gpt-4.1', temperature: 1.5 }), 'x', history).temperature, 1.5);
    for (const model of ['o3-mini', 'gpt-5', 'gpt-5-mini']) {
      const body = buildChatRequest(settings({ model, temperature: 0.2, topP: 0.5 }), 'x', history);
      assert.equal('temperature' in body || 'top_p' in body, false, model);
      assert.deepEqual(samplingFor({ model, temperature: 0.2, topP: 0.5 }).changes.map(c => [c.param, c.sent]), [['temperature', undefined], ['top_p', undefined]]);
    }
    assert.equal(buildChatRequest(settings({ model: 'gpt-5-chat-latest', temperature: 0.2 }), 'x', history).temperature, 0.2);
  });

  it('gives Mistral\'s models tool-call ids of nine letters and digits, a call and its result alike', () => {
    const rounds: ChatMessage[] = [
      { role: 'user', content: 'Read it' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_0_1', type: 'function', function: { name: 'read_file', arguments: '{}' } }, { id: 'Ab3dE6gH9', type: 'function', function: { name: 'search', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_0_1', content: 'text' },
      { role: 'tool', tool_call_id: 'Ab3dE6gH9', content: 'found' },
    ];
    for (const model of ['mistral-large-latest', 'mistralai/devstral-small-2507', 'codestral-2508']) {
      const [, , assistant, first, second] = buildChatRequest(settings({ model }), 'Be brief.', rounds).messages as Array<Record<string, any>>;
      const [rewritten, kept] = assistant.tool_calls.map((call: { id: string }) => call.id);
      assert.match(rewritten, /^[a-zA-Z0-9]{9}$/, model);
      assert.equal(first.tool_call_id, rewritten, 'the result answers the same call');
      assert.equal(kept, 'Ab3dE6gH9', 'an id of that form stays');
      assert.equal(second.tool_call_id, 'Ab3dE6gH9');
    }
    assert.equal((buildChatRequest(settings({ model: 'gpt-5.4' }), 'Be brief.', rounds).messages[3] as { tool_call_id: string }).tool_call_id, 'call_0_1', 'other families get the ids as they were');
    const ids = new Set(Array.from({ length: 10_000 }, (_, i) => nineCharToolCallId(`call_${i}`)));
    assert.equal(ids.size, 10_000, 'distinct ids stay distinct');
  });

  it('sends a tool\'s schema without its $schema dialect (Gemini\'s layers refuse the field)', () => {
    const schema = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
    const body = buildChatRequest(settings(), 'Be brief.', history, [{ name: 'open', description: 'Opens a file', parameters: schema }]);
    assert.deepEqual(body.tools?.[0], { type: 'function', function: { name: 'open', description: 'Opens a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } } });
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#', 'the tool\'s own schema is not changed');
  });

  it('folds the instruction into the first user message for o1-mini', () => {
    const body = buildChatRequest(settings({ model: 'o1-mini' }), 'Be brief.', history);
    assert.deepEqual(body.messages, [{ role: 'user', content: 'Be brief.\n\nHi' }]);
  });

  it('offers tools as function tools with tool_choice auto', () => {
    const tool = { name: 'read_file', description: 'Read a file.', parameters: { type: 'object' } };
    const body = buildChatRequest(settings(), 'x', history, [tool]);
    assert.deepEqual(body.tools, [{ type: 'function', function: { name: 'read_file', description: 'Read a file.', parameters: { type: 'object' } } }]);
    assert.equal(body.tool_choice, 'auto');
  });

  it('folds the instruction into the first text part when the first question carries an image (o1-mini)', () => {
    const image = { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,AAAA' } };
    const withImage = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'What is this?' }, image] }];
    const body = buildChatRequest(settings({ model: 'o1-mini' }), 'Be brief.', withImage);
    assert.deepEqual(body.messages, [{ role: 'user', content: [{ type: 'text', text: 'Be brief.\n\nWhat is this?' }, image] }]);
    const imageOnly = buildChatRequest(settings({ model: 'o1-preview' }), 'Be brief.', [{ role: 'user' as const, content: [image] }]);
    assert.deepEqual(imageOnly.messages, [{ role: 'user', content: [{ type: 'text', text: 'Be brief.' }, image] }]);
  });
});
