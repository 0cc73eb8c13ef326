// The store's invariant: no reader ever accepts a torn or partial record. A writer process is killed (SIGKILL, no
// cleanup) at random moments while it rewrites a large conversation; after each kill a fresh store must read back a
// whole record (the one before or the one being written), never a torn file and never nothing.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConversationStore } from '../../src/node/conversationStore';

const STORE_MODULE = path.resolve(__dirname, '../../src/node/conversationStore.js');
const ID = '0f1e2d3c-aaaa-bbbb-cccc-000000000001';

// Saves generation 0 (and says so), then rewrites the conversation with ever newer generations until killed.
const WRITER = `
const { ConversationStore } = require(${JSON.stringify(STORE_MODULE)});
const store = new ConversationStore(process.argv[1], { warn: () => undefined });
const body = 'x'.repeat(6 * 1024 * 1024);
const data = generation => ({ id: ${JSON.stringify(ID)}, updatedAt: generation + 1, entries: [{ kind: 'user', id: 'u', text: body + generation }], transcript: {} });
(async () => {
  await store.save(data(0), { id: ${JSON.stringify(ID)}, title: 'crash test', updatedAt: 1 });
  process.stdout.write('saved\\n');
  for (let generation = 1; ; generation++) await store.save(data(generation), { id: ${JSON.stringify(ID)}, title: 'crash test', updatedAt: generation + 1 });
})();
`;

function runAndKill(folder: string, afterMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', WRITER, folder], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.on('error', reject);
    child.on('exit', () => resolve());
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), afterMs));
  });
}

describe('ConversationStore when the writer dies mid-write', function () {
  this.timeout(120_000);

  it('never leaves a torn record for the next reader', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-crash-'));
    try {
      for (const afterMs of [5, 20, 35, 50, 65, 80, 110, 140]) {
        await runAndKill(folder, afterMs);
        const warnings: string[] = [];
        const data = await new ConversationStore(folder, { warn: message => warnings.push(message) }).load(ID);
        assert.deepEqual(warnings, [], `killed after ${afterMs} ms`);
        assert.ok(data, `killed after ${afterMs} ms: the conversation could not be read`);
        const text = data.entries[0].kind === 'user' ? data.entries[0].text : '';
        assert.equal(text.length >= 6 * 1024 * 1024, true, `killed after ${afterMs} ms: a partial record was read`);
        assert.match(text.slice(6 * 1024 * 1024), /^\d+$/);
      }
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
