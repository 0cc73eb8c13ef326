// A deterministic workspace of source files for the search and listing benchmarks: `folders` folders of 100 files
// (200 = 20,000 files), each a few dozen lines of plausible TypeScript. One identifier (`needleToken`) appears in 1
// file in 1,000. The tools' deny list is in force, as in a real project: a `.cometignore`, and hidden files that also
// hold the needle (which raw ripgrep finds and the tool must not show).
import * as fs from 'node:fs';
import * as path from 'node:path';

export const BENCH_QUERY = 'needleToken';

/** Files the tool hides (secret list, .cometignore) and raw ripgrep searches: each holds the needle once. */
export const BENCH_HIDDEN_FILES = ['.env', 'certs/server.pem', '.aws/credentials', 'private/notes.md'];

export function generateWorkspace(root: string, folders = 200, filesPerFolder = 100): string {
  const stamp = path.join(root, `.generated-v2-${folders}x${filesPerFolder}`);
  if (fs.existsSync(stamp)) return root;
  fs.rmSync(root, { recursive: true, force: true });
  let n = 0;
  for (let d = 0; d < folders; d++) {
    const dir = path.join(root, 'src', `module${String(d).padStart(3, '0')}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < filesPerFolder; f++, n++) {
      const lines = [`// module ${d} file ${f}`, `import { helper${f % 7} } from '../shared';`, ''];
      for (let i = 0; i < 30; i++) {
        lines.push(`export function fn${n}_${i}(value: number): number {`, `  return helper${i % 7}(value * ${i + 1}) + ${n};`, '}');
      }
      if (n % 1000 === 0) lines.push(`export const ${BENCH_QUERY} = ${n};`);
      fs.writeFileSync(path.join(dir, `file${f}.ts`), lines.join('\n') + '\n');
    }
  }
  for (const hidden of BENCH_HIDDEN_FILES) {
    fs.mkdirSync(path.join(root, path.dirname(hidden)), { recursive: true });
    fs.writeFileSync(path.join(root, hidden), `export const ${BENCH_QUERY} = 'hidden';\n`);
  }
  fs.writeFileSync(path.join(root, '.gitignore'), 'dist/\n');
  fs.writeFileSync(path.join(root, '.cometignore'), 'private/\n');
  fs.writeFileSync(stamp, '');
  return root;
}
