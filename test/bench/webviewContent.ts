// The webview bench's content: deterministic, realistic markdown (seeded), a long answer and a long conversation.
import type { ChatEntry } from '../../src/shared/protocol';

function random(seed: number): () => number { // mulberry32
  return () => {
    let t = Math.imul((seed = (seed + 0x6d2b79f5) | 0) ^ (seed >>> 15), 1 | seed);
    return (((t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t) ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const WORDS = ('the a function returns value when cache request handler stream token parser buffer each file async '
  + 'error retry config model server client call result this that with for into from before after state update list').split(' ');
const IDENTS = ['fetchUser', 'parseConfig', 'retryCount', 'options', 'buffer', 'resolvePath', 'items', 'handler', 'cacheKey'];

function markdown(r: () => number) {
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const sentence = () => Array.from({ length: int(6, 16) }, () => (r() < 0.08 ? `\`${pick(IDENTS)}()\`` : r() < 0.04 ? `**${pick(WORDS)}**` : pick(WORDS)))
    .join(' ').replace(/^./, c => c.toUpperCase()) + '.';
  const paragraph = (n = int(2, 5)) => Array.from({ length: n }, sentence).join(' ');
  const codeLine = (lang: string, i: number): string => {
    const id = pick(IDENTS);
    if (lang === 'python') return i % 5 === 0 ? `def ${id}_${i}(items, retries=${int(1, 9)}):`
      : `    ${id} = [x * ${int(2, 99)} for x in items if x > ${i}]  # ${pick(WORDS)}`;
    if (lang === 'json') return `  "${id}${i}": { "enabled": ${r() < 0.5}, "limit": ${int(1, 5000)}, "name": "${pick(WORDS)}" },`;
    return i % 6 === 0 ? `export async function ${id}${i}(input: string, options: { retries?: number } = {}): Promise<void> {`
      : `  const ${id}${i} = await ${pick(IDENTS)}(input, { retries: options.retries ?? ${int(1, 9)} }); // ${pick(WORDS)}`;
  };
  const code = (lang: string, lines = int(8, 24)) => {
    const body = Array.from({ length: lines }, (_, i) => codeLine(lang, i)).join('\n');
    return '```' + lang + '\n' + (lang === 'json' ? `{\n${body}\n  "end": true\n}` : body) + '\n```';
  };
  const list = () => Array.from({ length: int(3, 6) }, (_, i) => (r() < 0.5 ? `${i + 1}. ` : '- ') + sentence()).join('\n');
  const table = () => ['| Option | Default | Effect |', '|---|---|---|',
    ...Array.from({ length: int(3, 6) }, () => `| \`${pick(IDENTS)}\` | ${int(0, 100)} | ${sentence()} |`)].join('\n');
  return { pick, int, paragraph, code, list, table };
}

/** ~100 KB: sections of a heading, a paragraph and a ts/python/json block; lists and tables in between. */
export function bigAnswer(): { text: string; codeBlocks: number } {
  const m = markdown(random(42));
  const parts: string[] = [m.paragraph(3)];
  let codeBlocks = 0;
  for (let section = 1; parts.join('\n\n').length < 100_000; section++, codeBlocks++) {
    parts.push(`## ${section}. ${m.paragraph(1).slice(0, 40)}`, m.paragraph(), m.code(['ts', 'python', 'json'][section % 3]));
    if (section % 2) parts.push(m.list());
    if (section % 7 === 0) parts.push(m.table());
  }
  return { text: parts.join('\n\n'), codeBlocks };
}

/** `pairs` questions and answers of a few paragraphs, some with code, lists and tables. */
export function longChat(pairs: number, model: string, seed = 7): ChatEntry[] {
  const m = markdown(random(seed));
  return Array.from({ length: pairs }, (_, i): ChatEntry[] => {
    const parts = [m.paragraph(m.int(1, 3))];
    if (i % 3 === 0) parts.push(m.code(m.pick(['ts', 'python', 'json']), m.int(4, 14)), m.paragraph(1));
    if (i % 4 === 1) parts.push(m.list());
    if (i % 25 === 2) parts.push(m.table());
    return [{ kind: 'user', id: `u${i}`, text: m.paragraph(1) },
      { kind: 'assistant', id: `a${i}`, text: parts.join('\n\n'), state: 'done', model, usage: { promptTokens: 900, completionTokens: 300 } }];
  }).flat();
}

/** `count` deltas of uneven length that add up to `text`. */
export function split(text: string, count: number): string[] {
  const r = random(3);
  const cuts = [0, ...Array.from({ length: count - 1 }, (_, i) => Math.round(((i + 1 + (r() - 0.5) * 0.8) * text.length) / count)), text.length];
  return cuts.slice(1).map((end, i) => text.slice(cuts[i], end));
}
