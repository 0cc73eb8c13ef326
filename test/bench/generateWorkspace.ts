// A deterministic workspace of ~20,000 source files for the search benchmark: 200 folders of 100 files, each a few
// dozen lines of plausible TypeScript. One identifier (`needleToken`) appears in 1 file in 1,000.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const BENCH_QUERY = 'needleToken';

export function generateWorkspace(root: string, folders = 200, filesPerFolder = 100): string {
  const stamp = path.join(root, `.generated-${folders}x${filesPerFolder}`);
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
  fs.writeFileSync(path.join(root, '.gitignore'), 'dist/\n');
  fs.writeFileSync(stamp, '');
  return root;
}
