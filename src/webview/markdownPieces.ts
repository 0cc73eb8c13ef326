// Cuts a long Markdown text into pieces that lex alike on their own and together, so a long answer can be lexed
// piece by piece, each in a task of its own (lexing 100 KB at once is itself a long task). One pass over the lines.

/**
 * `markdown` as consecutive pieces of about `chars` each, whose concatenation is `markdown`; undefined when the text
 * holds something a cut could change (a link reference definition, an HTML block that spans blank lines).
 *
 * A piece starts only where a new top-level block must start: a line after a blank line, outside fenced code, not
 * indented, and not a list item or quote (those could continue the list or quote before the blank line).
 */
export function markdownPieces(markdown: string, chars: number): string[] | undefined {
  // A definition applies to the whole document; these HTML blocks run on across blank lines.
  if (/^ {0,3}\[[^\]\n]+\]:/m.test(markdown) || /^ {0,3}<(?:pre|script|style|textarea|!--)/im.test(markdown)) return undefined;
  const pieces: string[] = [];
  let pieceStart = 0;
  let fence: { char: string; length: number } | undefined;
  let previousBlank = false;
  for (let lineStart = 0; lineStart < markdown.length; ) {
    const newline = markdown.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? markdown.length : newline;
    const line = markdown.slice(lineStart, lineEnd);
    const fenceMark = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (fenceMark && fenceMark[1][0] === fence.char && fenceMark[1].length >= fence.length && line.slice(fenceMark[0].length).trim() === '') fence = undefined;
    } else {
      if (previousBlank && lineStart - pieceStart >= chars && startsTopLevelBlock(line)) {
        pieces.push(markdown.slice(pieceStart, lineStart));
        pieceStart = lineStart;
      }
      // A backtick fence's info string holds no backtick.
      if (fenceMark && !(fenceMark[1][0] === '`' && line.slice(fenceMark[0].length).includes('`'))) fence = { char: fenceMark[1][0], length: fenceMark[1].length };
    }
    previousBlank = line.trim() === '';
    lineStart = lineEnd + 1;
  }
  pieces.push(markdown.slice(pieceStart));
  return pieces;
}

function startsTopLevelBlock(line: string): boolean {
  return /^\S/.test(line) && !/^(?:[-+*]|\d{1,9}[.)])(?:\s|$)/.test(line) && !line.startsWith('>');
}
