import * as assert from 'node:assert/strict';
import { formatSelectionContext } from '../../src/core/selectionContext';

describe('formatSelectionContext', () => {
  const selection = { path: 'src/app.ts', languageId: 'typescript', startLine: 3, endLine: 4, text: 'const a = 1;\nconst b = 2;' };

  it('gives path, language, 1-based lines and the code in a fence', () => {
    const { prompt, label } = formatSelectionContext(selection);
    assert.equal(prompt, 'Selected code from src/app.ts (typescript), lines 3-4:\n```typescript\nconst a = 1;\nconst b = 2;\n```');
    assert.deepEqual(label, { path: 'src/app.ts', startLine: 3, endLine: 4, truncated: false });
  });

  it('uses a fence longer than any backtick run in the code', () => {
    const { prompt } = formatSelectionContext({ ...selection, text: 'x = ```` y' });
    assert.ok(prompt.includes('`````typescript\nx = ```` y\n`````'));
  });

  it('cuts a huge selection at a line boundary and says so to both sides', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`);
    const { prompt, label } = formatSelectionContext({ ...selection, startLine: 1, endLine: 1000, text: lines.join('\n') }, 100);
    assert.equal(label.truncated, true);
    assert.ok(label.endLine < 1000);
    assert.ok(prompt.includes(`only lines 1-${label.endLine} of 1-1000`));
    assert.ok(prompt.includes(`line ${label.endLine}\n`));
    assert.ok(!prompt.includes(`line ${label.endLine + 1}\n`));
  });
});
