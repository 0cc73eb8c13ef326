// Reasoning written into the content as `<think>…</think>`. Open models served without a reasoning parser (Ollama,
// llama.cpp, vLLM and LM Studio with DeepSeek-R1, QwQ, Qwen3 and others) stream their thinking this way instead of in
// `reasoning_content`, so the chat would show it as the answer and send it back as history; Gemini's OpenAI layer
// writes its thoughts (include_thoughts) as `<thought>…</thought>`. A reply whose content opens with `<think>`, or
// from a Gemini model with `<thought>` (after white space), has everything up to its closing tag taken as reasoning. A `<think>` anywhere
// later is the answer's own text (a model explaining the tag, say). Not handled: a template that opens the tag in the
// prompt, so that the reply has only the `</think>`; its thinking shows as text.
//
// Linear in the content: what is held back between pieces is at most a tag's length, or the first LOOK_AHEAD
// characters while it is still unclear whether the reply opens with the tag.

/** Each opening tag with its closing tag; `<thought>` only from Gemini (an answer may well open with that word). */
const THINK: readonly [string, string] = ['<think>', '</think>'];
const THOUGHT: readonly [string, string] = ['<thought>', '</thought>'];
/** How much of a reply's start may be white space before `<think>`. */
const LOOK_AHEAD = 256;

export interface ContentSplit {
  text: string;
  reasoning: string;
}

export class ThinkTags {
  private state: 'start' | 'thinking' | 'answer' = 'start';
  private held = '';
  /** The closing tag of the one that opened the reply. */
  private close = '';
  /** The tags this reply's model writes its thinking in. */
  private tags: ReadonlyArray<readonly [string, string]> = [THINK];

  /** The reply comes from `model` (told before its content): Gemini's thoughts come in `<thought>` tags. */
  fromModel(model: string): void {
    this.tags = /gemini/i.test(model) ? [THINK, THOUGHT] : [THINK];
  }

  /** One piece of content: the part that is answer, and the part that is thinking. */
  take(piece: string): ContentSplit {
    if (this.state === 'answer') return { text: piece, reasoning: '' };
    let input = this.held + piece;
    this.held = '';
    if (this.state === 'start') {
      const lead = input.trimStart();
      const opened = this.tags.find(([open]) => lead.startsWith(open));
      if (opened) {
        this.state = 'thinking';
        this.close = opened[1];
        input = lead.slice(opened[0].length);
      } else if (this.tags.some(([open]) => open.startsWith(lead)) && input.length < LOOK_AHEAD) {
        this.held = input;
        return { text: '', reasoning: '' };
      } else {
        this.state = 'answer';
        return { text: input, reasoning: '' };
      }
    }
    const close = input.indexOf(this.close);
    if (close < 0) {
      const keep = partialTagAtEnd(input, this.close);
      this.held = input.slice(input.length - keep);
      return { text: '', reasoning: input.slice(0, input.length - keep) };
    }
    this.state = 'answer';
    return { text: input.slice(close + this.close.length), reasoning: input.slice(0, close) };
  }

  /** What was held back when the content ends: text still unclear is answer, a tag cut short is thinking. */
  end(): ContentSplit {
    const held = this.held;
    this.held = '';
    return this.state === 'thinking' ? { text: '', reasoning: held } : { text: held, reasoning: '' };
  }
}

/** How many characters at the end of `text` could begin `tag` (fewer than the tag's length). */
function partialTagAtEnd(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (text.endsWith(tag.slice(0, length))) return length;
  }
  return 0;
}
