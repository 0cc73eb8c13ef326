// Localizable: every string a user reads goes through vscode.l10n.t / @vscode/l10n's l10n.t (webview and core too),
// with the English bundle l10n/bundle.l10n.json generated from them (npm run l10n), and package.json's texts are
// %keys% of package.nls.json.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const SRC = path.join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(item => {
    const full = path.join(dir, item.name);
    return item.isDirectory() ? sourceFiles(full) : item.name.endsWith('.ts') ? [full] : [];
  });
}

/** The message of every l10n.t(...) and vscode.l10n.t(...) call, as @vscode/l10n-dev's export reads them (its own
 * parser takes about a minute for src/ on this shared machine; this scan a few milliseconds). Each must be a plain
 * string literal, or no tool could extract it. */
function localizedStrings(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const calls = [...text.matchAll(/\bl10n\.t\((?!\))\s*/g)]; // l10n.t() with nothing in it is prose in a comment
  return calls.map(call => {
    const rest = text.slice(call.index + call[0].length);
    const literal = /^'((?:[^'\\\n]|\\.)*)'|^"((?:[^"\\\n]|\\.)*)"/.exec(rest);
    assert.ok(literal, `${path.relative(SRC, file)}: l10n.t() whose message is not a string literal: ${rest.slice(0, 60)}`);
    const inner = literal[1] !== undefined ? literal[1].replace(/\\'/g, "'").replace(/(^|[^\\])"/g, '$1\\"') : literal[2];
    return JSON.parse(`"${inner}"`) as string;
  });
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;

describe('localization', () => {
  it('has every t() string of the sources in the English bundle, and nothing else (run npm run l10n)', () => {
    const extracted = new Set(sourceFiles(SRC).flatMap(localizedStrings));
    const bundle = readJson('l10n/bundle.l10n.json');
    const missing = [...extracted].filter(key => !(key in bundle));
    const stale = Object.keys(bundle).filter(key => !extracted.has(key));
    assert.deepEqual({ missing, stale }, { missing: [], stale: [] });
    assert.ok(Object.keys(bundle).length > 100, 'the bundle holds the strings');
  });

  it('resolves every %key% of package.json from package.nls.json, and package.nls.json has no unused key', () => {
    const manifest = readJson('package.json');
    assert.equal(manifest.l10n, './l10n');
    const nls = readJson('package.nls.json');
    const used = new Set<string>();
    JSON.stringify(manifest, (_key, value: unknown) => {
      if (typeof value === 'string' && /^%[^%]+%$/.test(value)) used.add(value.slice(1, -1));
      return value;
    });
    assert.deepEqual([...used].filter(key => typeof nls[key] !== 'string'), [], 'keys without an English text');
    assert.deepEqual(Object.keys(nls).filter(key => !used.has(key)), [], 'texts nothing uses');
  });

  it('leaves no user-facing text in package.json contributions unlocalized', () => {
    const contributes = readJson('package.json').contributes;
    const TEXT_FIELDS = new Set(['title', 'category', 'shortTitle', 'name', 'contextualTitle', 'description', 'markdownDescription', 'fullName', 'displayName', 'enumDescriptions', 'markdownEnumDescriptions', 'deprecationMessage', 'markdownDeprecationMessage']);
    const bare: string[] = [];
    const visit = (value: unknown, where: string, field: string) => {
      if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${where}[${i}]`, field));
      else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) visit(inner, `${where}.${key}`, key);
      else if (typeof value === 'string' && TEXT_FIELDS.has(field) && !/^%[^%]+%$/.test(value)) bare.push(`${where}: ${value}`);
    };
    // Chat participants' and their commands' `name` are what users type (@comet, /explain), not text.
    visit(contributes, 'contributes', '');
    assert.deepEqual(bare.filter(entry => !/chatParticipants\[\d+\]\.(commands\[\d+\]\.)?name:/.test(entry)), []);
  });

  it('shows no notification with a literal message: each goes through vscode.l10n.t', () => {
    const literal = sourceFiles(SRC).flatMap(file =>
      [...fs.readFileSync(file, 'utf8').matchAll(/show(?:Information|Warning|Error)Message\(\s*['"`]/g)].map(() => path.relative(SRC, file)));
    assert.deepEqual(literal, []);
  });
});
