// The contribution manifest: ids that tests, docs and users depend on, and what VS Code needs to show it well.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const nls: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8'));
// The manifest as VS Code shows it in English: every "%key%" replaced from package.nls.json.
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'), (_key, value: unknown) =>
  typeof value === 'string' && /^%[^%]+%$/.test(value) ? nls[value.slice(1, -1)] ?? value : value);
const contributes = manifest.contributes;
const commands = new Set<string>(contributes.commands.map((c: { command: string }) => c.command));

describe('package.json contributions', () => {
  it('contributes the chat view in the comet container, and the main commands', () => {
    assert.deepEqual(contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id), ['comet']);
    assert.deepEqual(contributes.views.comet.map((v: { id: string; type: string; name: string }) => [v.id, v.type, v.name]), [['comet.chatView', 'webview', 'Chat']]);
    for (const id of ['comet.ask', 'comet.explainSelection', 'comet.newChat', 'comet.stop', 'comet.setApiKey', 'comet.clearApiKey', 'comet.selectModel']) {
      assert.ok(commands.has(id), id);
    }
    const ask = contributes.commands.find((c: { command: string }) => c.command === 'comet.ask');
    assert.deepEqual([ask.title, ask.category], ['Ask Comet', 'Comet']);
  });

  it('activates lazily', () => {
    assert.ok(!(manifest.activationEvents ?? []).includes('*'));
  });

  it('puts Explain Selection on the editor context menu only with a selection', () => {
    const item = contributes.menus['editor/context'].find((m: { command: string }) => m.command === 'comet.explainSelection');
    assert.equal(item.when, 'editorHasSelection');
  });

  it('refers only to commands it contributes (menus and keybindings)', () => {
    const referenced = [
      ...Object.values(contributes.menus).flat().map(m => (m as { command: string }).command),
      ...contributes.keybindings.map((k: { command: string }) => k.command),
    ];
    for (const id of referenced) assert.ok(commands.has(id) || id === 'comet.chatView.focus', id);
  });

  it('gives every setting a type, a default or null, and a markdown description', () => {
    for (const [id, setting] of Object.entries<Record<string, unknown>>(contributes.configuration.properties)) {
      assert.ok(setting.type, `${id} type`);
      assert.ok('default' in setting, `${id} default`);
      assert.ok(typeof setting.markdownDescription === 'string' && setting.markdownDescription.length > 20, `${id} description`);
    }
    const props = contributes.configuration.properties;
    assert.deepEqual([props['comet.temperature'].minimum, props['comet.temperature'].maximum], [0, 2]);
    assert.deepEqual([props['comet.topP'].minimum, props['comet.topP'].maximum], [0, 1]);
    assert.equal(props['comet.baseUrl'].default, 'https://api.cometapi.com/v1');
    assert.equal(props['comet.model'].default, 'gpt-5.4-mini');
  });

  it('binds keys for focusing the chat, Ask Comet and Explain Selection, on every platform', () => {
    const bound = contributes.keybindings.map((k: { command: string; key: string; mac: string }) => [k.command, Boolean(k.key && k.mac)]);
    assert.deepEqual(bound, [['comet.chatView.focus', true], ['comet.ask', true], ['comet.explainSelection', true]]);
  });

  it('has what the Marketplace and the Extensions view show: icon, banner, categories, keywords; no fake repository', () => {
    assert.equal(manifest.icon, 'media/icon.png');
    const png = fs.readFileSync(path.resolve(__dirname, '../../..', manifest.icon));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'a 128x128 icon');
    assert.match(manifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner.theme));
    assert.deepEqual(manifest.categories, ['AI', 'Chat']);
    assert.ok(manifest.keywords.length >= 3 && manifest.keywords.length <= 30);
    // Until there is a public repository, none: a placeholder would make vsce rewrite links to a host that does not exist.
    assert.ok(manifest.repository === undefined || /^https:\/\/(github\.com|gitlab\.com)\//.test(manifest.repository.url ?? manifest.repository));
  });

  it('keeps @types/vscode in step with engines.vscode', () => {
    assert.equal(manifest.engines.vscode, '^1.100.0');
    assert.match(manifest.devDependencies['@types/vscode'], /1\.100\./);
  });
});
