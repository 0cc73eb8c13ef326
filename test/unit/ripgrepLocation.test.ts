// Where VS Code keeps ripgrep, on every platform and layout it has shipped; and the log line that says which search runs.
import * as assert from 'node:assert/strict';
import { describeSearchEngine, findRipgrep, ripgrepCandidates } from '../../src/host/ripgrepLocation';

const onlyThis = (file: string) => (candidate: string) => candidate === file;

describe('ripgrep lookup', () => {
  it('finds VS Code 1.139\'s @vscode/ripgrep-universal platform folder', () => {
    const appRoot = '/srv/code-server/lib/vscode';
    const rg = `${appRoot}/node_modules/@vscode/ripgrep-universal/bin/linux-x64/rg`;
    assert.equal(findRipgrep(appRoot, 'linux', 'x64', onlyThis(rg)).path, rg);
    const arm = `${appRoot}/node_modules/@vscode/ripgrep-universal/bin/linux-arm64/rg`;
    assert.equal(findRipgrep(appRoot, 'linux', 'arm64', onlyThis(arm)).path, arm);
    assert.equal(findRipgrep(appRoot, 'linux', 'arm64', onlyThis(rg)).path, undefined, 'another platform\'s binary is not ours');
  });

  it('finds the older @vscode/ripgrep/bin layout', () => {
    const appRoot = '/usr/share/code/resources/app';
    const rg = `${appRoot}/node_modules/@vscode/ripgrep/bin/rg`;
    assert.equal(findRipgrep(appRoot, 'linux', 'x64', onlyThis(rg)).path, rg);
  });

  it('looks in node_modules.asar.unpacked too (macOS and packaged builds)', () => {
    const appRoot = '/Applications/Visual Studio Code.app/Contents/Resources/app';
    const old = `${appRoot}/node_modules.asar.unpacked/@vscode/ripgrep/bin/rg`;
    assert.equal(findRipgrep(appRoot, 'darwin', 'arm64', onlyThis(old)).path, old);
    const universal = `${appRoot}/node_modules.asar.unpacked/@vscode/ripgrep-universal/bin/darwin-arm64/rg`;
    assert.equal(findRipgrep(appRoot, 'darwin', 'arm64', onlyThis(universal)).path, universal);
    assert.ok(ripgrepCandidates(appRoot, 'darwin', 'x64').includes(`${appRoot}/node_modules/@vscode/ripgrep-universal/bin/darwin-x64/rg`));
  });

  it('uses rg.exe and Windows paths on Windows', () => {
    const appRoot = 'C:\\Program Files\\Microsoft VS Code\\resources\\app';
    const candidates = ripgrepCandidates(appRoot, 'win32', 'x64');
    assert.deepEqual(candidates, [
      'C:\\Program Files\\Microsoft VS Code\\resources\\app\\node_modules\\@vscode\\ripgrep-universal\\bin\\win32-x64\\rg.exe',
      'C:\\Program Files\\Microsoft VS Code\\resources\\app\\node_modules\\@vscode\\ripgrep\\bin\\rg.exe',
      'C:\\Program Files\\Microsoft VS Code\\resources\\app\\node_modules.asar.unpacked\\@vscode\\ripgrep-universal\\bin\\win32-x64\\rg.exe',
      'C:\\Program Files\\Microsoft VS Code\\resources\\app\\node_modules.asar.unpacked\\@vscode\\ripgrep\\bin\\rg.exe',
    ]);
    assert.ok(candidates.every(c => !c.includes('/')));
    assert.equal(findRipgrep(appRoot, 'win32', 'arm64', onlyThis(candidates[1])).path, candidates[1]);
  });

  it('finds nothing in an unpackaged dev build, and says where it looked', () => {
    const lookup = findRipgrep('/src/vscode', 'linux', 'x64', () => false);
    assert.equal(lookup.path, undefined);
    assert.equal(lookup.tried.length, 4);
    const { level, message } = describeSearchEngine({ ripgrep: undefined, useRipgrepSetting: true, lookup, appRoot: '/src/vscode' });
    assert.equal(level, 'warn');
    assert.match(message, /^search: the fallback .* because this VS Code ships no ripgrep under \/src\/vscode/);
    assert.ok(message.includes('/src/vscode/node_modules/@vscode/ripgrep-universal/bin/linux-x64/rg'));
  });

  it('logs ripgrep with its path, or the fallback with its reason', () => {
    const lookup = { path: '/a/rg', tried: ['/a/rg'] };
    assert.deepEqual(describeSearchEngine({ ripgrep: '/a/rg', useRipgrepSetting: true, lookup: undefined, appRoot: '/a' }), { level: 'info', message: 'search: ripgrep at /a/rg' });
    const off = describeSearchEngine({ ripgrep: undefined, useRipgrepSetting: false, lookup, appRoot: '/a' });
    assert.equal(off.level, 'info');
    assert.match(off.message, /^search: the fallback .* because comet\.tools\.useRipgrep is off$/);
    const notTaken = describeSearchEngine({ ripgrep: undefined, useRipgrepSetting: true, lookup, appRoot: '/a' });
    assert.match(notTaken.message, /^search: the fallback .* not the ripgrep at \/a\/rg$/);
  });
});
