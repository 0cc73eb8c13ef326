import * as assert from 'node:assert/strict';
import { modelRules } from '../../src/llm/modelRules';

describe('modelRules', () => {
  const cases: Array<[string, 'max_completion_tokens' | 'max_tokens', boolean, 'developer' | 'system']> = [
    // model, token param, takes reasoning_effort, auto instruction role
    ['gpt-5.4-mini', 'max_completion_tokens', true, 'developer'],
    ['gpt-5.1', 'max_completion_tokens', true, 'developer'],
    ['gpt-5', 'max_completion_tokens', false, 'developer'],
    ['gpt-5-nano', 'max_completion_tokens', false, 'developer'],
    ['gpt-4.1', 'max_completion_tokens', false, 'developer'],
    ['gpt-4.1-nano-2025-04-14', 'max_completion_tokens', false, 'developer'],
    ['gpt-4o', 'max_tokens', false, 'developer'],
    ['gpt-4o-mini', 'max_tokens', false, 'developer'],
    ['gpt-4', 'max_tokens', false, 'system'],
    ['gpt-3.5-turbo', 'max_tokens', false, 'system'],
    ['o1', 'max_completion_tokens', true, 'developer'],
    ['o3-mini', 'max_completion_tokens', true, 'developer'],
    ['o4-mini-2025-04-16', 'max_completion_tokens', true, 'developer'],
    ['openai/gpt-5.4', 'max_completion_tokens', true, 'developer'],
    ['OpenAI/GPT-4.1-mini', 'max_completion_tokens', false, 'developer'],
    ['claude-sonnet-4-5', 'max_tokens', false, 'system'],
    ['anthropic/claude-3.7-sonnet', 'max_tokens', false, 'system'],
    ['gemini-2.5-pro', 'max_tokens', false, 'system'],
    ['deepseek-reasoner', 'max_tokens', false, 'system'],
    ['qwen3-coder', 'max_tokens', false, 'system'],
    ['llama3.1:8b', 'max_tokens', false, 'system'],
    ['omni-moderation', 'max_tokens', false, 'system'],
  ];
  for (const [model, tokens, effort, role] of cases) {
    it(`${model}: ${tokens}, reasoning_effort ${effort ? 'yes' : 'no'}, ${role}`, () => {
      const rules = modelRules(model);
      assert.equal(rules.maxTokensParam, tokens);
      assert.equal(rules.acceptsReasoningEffort, effort);
      assert.equal(rules.instructionRole, role);
    });
  }

  it('o1-mini and o1-preview take no instruction message', () => {
    assert.equal(modelRules('o1-mini').acceptsInstructionMessage, false);
    assert.equal(modelRules('o1-preview-2024-09-12').acceptsInstructionMessage, false);
    assert.equal(modelRules('o1').acceptsInstructionMessage, true);
  });
});
