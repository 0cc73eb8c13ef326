// Attachments as the model reads them: a file, the problems, the uncommitted changes (from a real git repository in
// a temp folder), each capped at a line boundary with the cut said, and denied files kept out of a diff.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatChanges, formatFileAttachment, formatProblems, withoutDenied } from '../../src/core/contextAttachments';
import { secretMatcher } from '../../src/core/tools/hiddenFiles';
import { gitDiffs } from '../../src/node/gitChanges';
import { NodeWorkspace } from '../support/nodeWorkspace';

describe('context attachments', () => {
  it('sends a file with its path and language in a fence its backticks cannot close', () => {
    const attached = formatFileAttachment({ path: 'docs/a.md', languageId: 'markdown', text: '# A\n```js\nx\n```\n' });
    assert.equal(attached.label, 'docs/a.md');
    assert.equal(attached.truncated, false);
    assert.match(attached.prompt, /^Attached file docs\/a\.md \(markdown\):\n````markdown\n# A/);
  });

  it('cuts a big file at a line boundary and says so to the model and on the chip', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n');
    const attached = formatFileAttachment({ path: 'big.txt', languageId: 'plaintext', text }, 60);
    assert.equal(attached.truncated, true);
    assert.match(attached.prompt, /line 8\n```\n\[The file was truncated: only lines 1-8 of 100 are included\.\]$/);
  });

  it('lists problems with path, line, column, severity, source and code', () => {
    const attached = formatProblems([{ path: 'src/a.ts', line: 3, column: 5, severity: 'error', message: 'Type error.\n  More.', source: 'ts', code: '2322' }], 'src/a.ts');
    assert.equal(attached.label, 'Problems: src/a.ts (1)');
    assert.ok(attached.prompt.includes('src/a.ts:3:5 error [ts 2322]: Type error. More.'));
    assert.match(formatProblems([], 'the workspace').prompt, /No problems are reported/);
  });

  it('drops the files on the deny list from a diff and names them', () => {
    const diff = 'diff --git a/.env b/.env\n--- a/.env\n+++ b/.env\n+KEY=1\ndiff --git a/src/a.ts b/src/a.ts\n--- a/src/a.ts\n+++ b/src/a.ts\n+x\n';
    const isSecret = secretMatcher([]);
    const kept = withoutDenied(diff, isSecret);
    assert.deepEqual(kept.omitted, ['.env']);
    assert.ok(!kept.text.includes('KEY=1') && kept.text.includes('+x'));
    const attached = formatChanges({ repository: 'r', staged: '', unstaged: diff }, isSecret);
    assert.match(attached.prompt, /\[Left out, as they may hold secrets: \.env\.\]/);
    assert.ok(!attached.prompt.includes('KEY=1'));
  });

  it('reads the staged and unstaged changes of a real repository with git', async function () {
    this.timeout(20_000);
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-git-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo });
    git('init', '-q');
    fs.writeFileSync(path.join(repo, 'a.txt'), 'one\n');
    fs.writeFileSync(path.join(repo, 'b.txt'), 'two\n');
    git('add', '.');
    git('commit', '-qm', 'start');
    fs.writeFileSync(path.join(repo, 'a.txt'), 'one changed\n');
    fs.writeFileSync(path.join(repo, 'b.txt'), 'two staged\n');
    git('add', 'b.txt');
    fs.mkdirSync(path.join(repo, 'sub'));
    const diffs = await gitDiffs(path.join(repo, 'sub'));
    assert.ok(diffs);
    assert.equal(fs.realpathSync(diffs.root), fs.realpathSync(repo));
    assert.match(diffs.staged, /\+two staged/);
    assert.match(diffs.unstaged, /\+one changed/);
    const attached = formatChanges({ repository: 'r', ...diffs }, () => false);
    assert.match(attached.prompt, /# Staged\n[\s\S]*\+two staged[\s\S]*# Not staged\n[\s\S]*\+one changed/);
    assert.equal(await gitDiffs(os.tmpdir()), undefined, 'a folder in no repository has no changes');
  });
});
