// `npm run package`: builds comet-<version>.vsix with @vscode/vsce 4 under Node 24 (both from npm, installed by
// scripts/setup-node24.sh into .vscode-test/node24), offline and without node_modules (the bundles need none).
// Checks what went in (only dist/, media/, package.json, README, CHANGELOG, LICENSE) and the size (at most 400 KB),
// and prints both. `--skip-build`: package the dist/ that is there (the test runner builds first).
//
// README: vsce rewrites relative links (our screenshots in docs/images) only against an https repository, and Comet
// has no public repository yet. So the VSIX gets a packaging README: README.md without the parts between
// <!-- vsix:omit-start --> and <!-- vsix:omit-end --> (the screenshots), and relative links are then an error here.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAX_BYTES = 400 * 1024;
const ALLOWED = [/^extension\/dist\/(extension|chat|webview|highlight)\.js$/, /^extension\/dist\/codicons\/codicon\.(css|ttf)$/, /^extension\/media\/(walkthrough\/)?[^/]+$/, /^extension\/package\.json$/, /^extension\/package\.nls\.json$/, /^extension\/l10n\/bundle\.l10n\.json$/, /^extension\/readme\.md$/, /^extension\/changelog\.md$/, /^extension\/LICENSE\.txt$/];
// The VSIX container's own two files.
const CONTAINER = ['[Content_Types].xml', 'extension.vsixmanifest'];

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const out = path.join(ROOT, `comet-${manifest.version}.vsix`);

if (!process.argv.includes('--skip-build')) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });

// 1. The packaging README.
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/<!-- vsix:omit-start -->[\s\S]*?<!-- vsix:omit-end -->\n?/g, '');
const relative = [...readme.matchAll(/!?\[[^\]]*\]\((?!https:|http:|#|mailto:)([^)]+)\)/g)].map(m => m[1]);
if (relative.length) fail(`README.md has relative links outside the vsix:omit markers, which would be broken in the VSIX: ${relative.join(', ')}`);
const staging = path.join(ROOT, 'out', 'vsix');
fs.mkdirSync(staging, { recursive: true });
const readmePath = path.join(staging, 'README.md');
fs.writeFileSync(readmePath, readme);

// 2. vsce 4 under Node 24.
const nodeBin = execFileSync('bash', [path.join(ROOT, 'scripts', 'setup-node24.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
const vsce = path.join(path.dirname(path.dirname(nodeBin)), '@vscode', 'vsce', 'vsce');
fs.rmSync(out, { force: true });
const packaged = spawnSync(
  path.join(nodeBin, 'node'),
  [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--readme-path', path.relative(ROOT, readmePath), '--out', out],
  { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
);
if (packaged.status !== 0) fail(`vsce failed (${packaged.status}):\n${packaged.stdout}${packaged.stderr}`);

// 3. What went in, from the zip's central directory.
const bytes = fs.readFileSync(out);
const entries = zipEntries(bytes);
const unexpected = entries.filter(e => !CONTAINER.includes(e.name) && !ALLOWED.some(pattern => pattern.test(e.name)));
console.log(`vsix: ${out}`);
console.log(`size: ${bytes.length} bytes (${(bytes.length / 1024).toFixed(1)} KB; at most ${MAX_BYTES / 1024} KB)`);
for (const entry of entries) console.log(`  ${String(entry.size).padStart(8)}  ${entry.name}`);
if (unexpected.length) fail(`unexpected files in the VSIX: ${unexpected.map(e => e.name).join(', ')}`);
for (const needed of ['extension/dist/extension.js', 'extension/dist/chat.js', 'extension/dist/webview.js', 'extension/dist/codicons/codicon.css', 'extension/dist/codicons/codicon.ttf', 'extension/package.json', 'extension/readme.md', manifest.icon && `extension/${manifest.icon}`]) {
  if (needed && !entries.some(e => e.name === needed)) fail(`the VSIX lacks ${needed}`);
}
if (bytes.length > MAX_BYTES) fail(`the VSIX is ${bytes.length} bytes, over ${MAX_BYTES}`);

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

/** Names and uncompressed sizes from a zip's central directory. */
function zipEntries(zip) {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) fail('not a zip file');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const found = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) fail('corrupt zip central directory');
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    found.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), size });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return found;
}
