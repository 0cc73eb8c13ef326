// Every escape attempt against a real temporary workspace: nothing outside it, and no secret inside it, is read.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { secretMatcher } from '../../../src/core/tools/hiddenFiles';
import { PathPolicy, ToolError } from '../../../src/core/tools/pathPolicy';
import { SECRET_FILES } from '../../../src/core/tools/secretFiles';
import { makeFolder, NodeWorkspace } from '../../support/nodeWorkspace';
import { SECRET_PATHS } from '../../support/secretFixtures';

describe('PathPolicy', () => {
  let root: string;
  let other: string;
  let outside: string;
  let policy: PathPolicy;

  before(async () => {
    root = await makeFolder({ 'src/a.ts': 'a', '.env': 'SECRET=1', 'config/.env.local': 'S', 'certs/server.pem': 'k', '.git/config': 'x', 'pkg/.git/HEAD': 'x', '.npmrc': 't', 'id_rsa': 'k', 'notes/environment.md': 'fine' });
    other = await makeFolder({ 'b.txt': 'b' });
    outside = await makeFolder({ 'secret.txt': 'outside' });
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(root, 'link-out.txt'));
    await fs.symlink(outside, path.join(root, 'dir-out'));
    await fs.symlink(path.join(root, '.env'), path.join(root, 'innocent.txt'));
    await fs.symlink(path.join(root, 'src', 'a.ts'), path.join(root, 'alias.ts'));
    policy = new PathPolicy(new NodeWorkspace([{ name: 'main', path: root }, { name: 'other', path: other }]));
  });
  after(async () => {
    for (const dir of [root, other, outside]) await fs.rm(dir, { recursive: true, force: true });
  });

  const refused = async (input: unknown, why: RegExp) => {
    await assert.rejects(policy.resolve(input), (error: unknown) => error instanceof ToolError && why.test(error.message), `${JSON.stringify(input)} should be refused with ${why}`);
  };

  it('resolves a workspace-relative path into the first folder', async () => {
    const resolved = await policy.resolve('src/a.ts');
    assert.equal(resolved.absolute, path.join(root, 'src', 'a.ts'));
    assert.equal(resolved.display, 'main/src/a.ts');
    assert.equal((await policy.resolve('./src//a.ts')).relative, 'src/a.ts');
  });

  it('refuses .. in every spelling', async () => {
    for (const input of ['../../etc/passwd', 'src/../../x', '..', 'src\\..\\..\\x', '../' + path.basename(outside) + '/secret.txt']) await refused(input, /leaves the workspace/);
  });

  it('refuses absolute paths, drive letters, UNC paths and URLs', async () => {
    for (const input of ['/etc/passwd', path.join(outside, 'secret.txt'), 'C:\\Windows\\win.ini', '\\\\server\\share\\x', 'file:///etc/passwd']) await refused(input, /absolute/);
  });

  it('refuses home-relative paths', async () => {
    await refused('~/.ssh/id_rsa', /home folder/);
    await refused('~root/x', /home folder/);
  });

  it('refuses URL-encoded traversal and encoded names', async () => {
    await refused('%2e%2e/%2e%2e/etc/passwd', /leaves the workspace/);
    await refused('src%2F..%2F..%2Fx', /leaves the workspace/);
    await refused('%2Fetc%2Fpasswd', /absolute/);
    await refused('src/a%2Ets', /URL-encoded/);
  });

  it('refuses NUL bytes, empty and non-string paths', async () => {
    await refused('src/a.ts\0.png', /NUL/);
    await refused('src/%00a', /NUL/);
    await refused('', /non-empty/);
    await refused(42, /non-empty/);
    await refused(undefined, /non-empty/);
  });

  it('refuses symlinks that lead outside, and links to secrets', async () => {
    await refused('link-out.txt', /leads outside/);
    await refused('dir-out/secret.txt', /leads outside/);
    await refused('innocent.txt', /may hold secrets/);
  });

  it('follows a symlink that stays inside', async () => {
    assert.equal((await policy.resolve('alias.ts')).relative, 'alias.ts');
  });

  it('refuses files that commonly hold secrets', async () => {
    for (const input of ['.env', 'config/.env.local', 'certs/server.pem', '.git/config', 'pkg/.git/HEAD', '.npmrc', 'id_rsa']) await refused(input, /may hold secrets/);
    assert.equal((await policy.resolve('notes/environment.md')).relative, 'notes/environment.md');
  });

  it('reaches another folder of a multi-root workspace only when it is named', async () => {
    assert.equal((await policy.resolve('other/b.txt')).absolute, path.join(other, 'b.txt'));
    assert.equal((await policy.resolve('b.txt')).absolute, path.join(root, 'b.txt'));
  });

  it('adds the user\'s patterns to the secret list, never replaces it', async () => {
    const custom = new PathPolicy(new NodeWorkspace([{ name: 'main', path: root }]), ['*.md']);
    await assert.rejects(custom.resolve('notes/environment.md'), /may hold secrets/);
    await assert.rejects(custom.resolve('.env'), /may hold secrets/);
  });

  it('matches the secret list case-insensitively, and a secret folder hides what is inside it', async () => {
    for (const input of ['.ENV', 'Certs/Server.PEM', 'ID_RSA', '.AWS/credentials', 'home/.ssh/known_hosts', 'a/.Kube/config']) await refused(input, /may hold secrets/);
  });

  it('refuses every one of fifty common secret files', async () => {
    const allowed = [];
    for (const input of SECRET_PATHS) {
      if (!(await policy.resolve(input).then(() => true, () => false))) continue;
      allowed.push(input);
    }
    assert.deepEqual(allowed, []);
  });

  it('treats the temp dir itself as outside', async () => {
    await refused(os.tmpdir(), /absolute/);
  });
});

// The secret matcher is one RegExp per kind (fast enough to test every path a search finds); it must hide exactly
// what picomatch's own matcher over the same patterns hides, which is what it replaced.
describe('secretMatcher agrees with picomatch', () => {
  it('on the fifty secret paths, their variants and ordinary paths', () => {
    const extra = ['extra-*.cfg', 'private/**', 'docs/internal/*.md', '{a,b}.secret', 'secret**'];
    const byName = picomatch([...SECRET_FILES, ...extra].filter(p => !p.includes('/')), { dot: true, basename: true, nocase: true });
    const byPath = picomatch([...SECRET_FILES, ...extra].filter(p => p.includes('/')), { dot: true, nocase: true });
    const reference = (relative: string) => {
      const parts = relative.split('/').filter(Boolean);
      return parts.some((_, i) => byName(parts.slice(0, i + 1).join('/')) || byPath(parts.slice(0, i + 1).join('/')));
    };
    const fast = secretMatcher(extra);
    const paths = [
      ...SECRET_PATHS, ...SECRET_PATHS.map(p => `deep/er/${p}`), ...SECRET_PATHS.map(p => p.toUpperCase()), ...SECRET_PATHS.map(p => `${p}/inside.txt`),
      'src/a.ts', 'notes/environment.md', 'env/readme.md', 'my.env.example.txt', 'keys.ts', 'pem/x.ts', '.aws', 'a/.awsx/y', 'x.aws/y',
      'extra-prod.cfg', 'sub/EXTRA-1.CFG', 'private/x', 'a/private/x', 'docs/internal/a.md', 'docs/internal/a/b.md', 'a.secret', 'c.secret',
      'secrets/x', 'secretive/file.ts', '.git', 'pkg/.git/HEAD', '.github/workflows/ci.yml', 'terraform/main.tf', 'a/.terraform/p',
    ];
    const disagreements = paths.filter(p => fast(p) !== reference(p));
    assert.deepEqual(disagreements, []);
    assert.ok(paths.filter(fast).length > 150, 'most of them are secrets');
  });
});
