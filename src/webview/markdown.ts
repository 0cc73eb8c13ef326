// Markdown to safe DOM. Replies are untrusted text: marked renders, DOMPurify strips anything executable.
//
// Streaming renders incrementally: the reply is split into top-level blocks; a block followed by another is finished
// and its DOM is never touched again; only the last, growing block is re-rendered. So a long answer costs about one
// full render in total, not one per frame, and finished blocks do not flicker or jump.
import DOMPurify from 'dompurify';
import { Lexer, Parser, type Token, type TokensList } from 'marked';

const PURIFY_CONFIG = { FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea'], FORBID_ATTR: ['style'] };

/** Renders complete markdown to sanitized HTML. */
export function renderMarkdownHtml(markdown: string): string {
  return DOMPurify.sanitize(Parser.parse(Lexer.lex(markdown, { gfm: true }), { gfm: true }), PURIFY_CONFIG);
}

/** Sanitized DOM straight from DOMPurify: parsing the HTML once, not again through innerHTML. */
function tokensToFragment(tokens: Token[]): DocumentFragment {
  const list = Object.assign(tokens, { links: {} }) as TokensList;
  return DOMPurify.sanitize(Parser.parse(list, { gfm: true }), { ...PURIFY_CONFIG, RETURN_DOM_FRAGMENT: true });
}

/** Called for every block element once it is in the DOM (code block actions, highlighting). */
export type BlockDecorator = (block: HTMLElement, finished: boolean) => void;

export class StreamingMarkdown {
  private rendered = '';
  private committed = 0;
  private readonly tail: HTMLElement;

  constructor(private readonly container: HTMLElement, private readonly decorate: BlockDecorator = () => undefined) {
    this.tail = this.newBlock();
  }

  get isEmpty(): boolean {
    return this.rendered === '';
  }

  /** Shows a finished answer in one piece (restoring a chat): one lex, one parse, one sanitize. */
  showFinished(text: string): void {
    const markdown = text.replace(/\r\n?/g, '\n');
    if (markdown === this.rendered) return;
    this.reset();
    this.tail.replaceChildren(tokensToFragment(Lexer.lex(markdown, { gfm: true })));
    this.rendered = markdown;
    this.committed = 0;
    this.decorate(this.tail, true);
  }

  /** Shows `markdown`, which usually extends what was shown before. */
  update(text: string): void {
    // Per frame this must cost the size of the growing block, not of the answer: no whole-text copies or compares.
    const markdown = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
    if (markdown.length === this.rendered.length && markdown === this.rendered) return;
    // Streaming only appends; a text that does not continue what was committed (checked near the seam) starts over.
    const seam = Math.max(0, this.committed - 64);
    if (markdown.length < this.committed || !markdown.startsWith(this.rendered.slice(seam, this.committed), seam)) this.reset();
    this.rendered = markdown;
    const tokens = Lexer.lex(markdown.slice(this.committed), { gfm: true });
    // Everything before the last block is finished: a later delta can only extend the last one.
    let last = tokens.length - 1;
    while (last > 0 && tokens[last].type === 'space') last--;
    // A list followed by a block still on its first line may yet absorb it ("2" becoming "2. item" of a loose
    // list): keep the list open too. After a blank line, nothing else can join the block before it.
    const previous = tokens.slice(0, last).findLast(token => token.type !== 'space');
    if (last > 0 && previous?.type === 'list' && !tokens[last].raw.includes('\n')) {
      last--;
      while (last > 0 && tokens[last].type === 'space') last--;
    }
    const finished = tokens.slice(0, Math.max(last, 0));
    const finishedRaw = finished.map(token => token.raw).join('');
    // Commit only when the tokens account for the text exactly; otherwise keep re-rendering the whole tail.
    if (finished.length && markdown.startsWith(finishedRaw, this.committed)) {
      const block = this.newBlock();
      block.classList.add('finished');
      block.append(tokensToFragment(finished));
      this.container.insertBefore(block, this.tail);
      this.decorate(block, true);
      this.committed += finishedRaw.length;
      this.tail.replaceChildren(tokensToFragment(tokens.slice(last)));
    } else {
      this.tail.replaceChildren(tokensToFragment(tokens));
    }
    this.decorate(this.tail, false);
  }

  /** The reply ended: the last block is finished too. */
  finish(): void {
    this.decorate(this.tail, true);
  }

  private reset(): void {
    for (const child of Array.from(this.container.children)) if (child !== this.tail) child.remove();
    this.committed = 0;
    this.rendered = '';
  }

  private newBlock(): HTMLElement {
    const block = document.createElement('div');
    block.className = 'md-block';
    if (this.tail) return block;
    this.container.append(block);
    return block;
  }
}
