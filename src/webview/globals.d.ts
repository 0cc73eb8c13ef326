// What dist/highlight.js leaves on the page for codeBlocks.ts: its languages to register (each a step the page runs
// in its slices, all before the first highlight), and highlighted HTML, or undefined for unknown languages.
interface CometHighlighterBundle {
  registrations: Array<() => void>;
  highlight: CometHighlighter;
}

type CometHighlighter = (code: string, language: string) => string | undefined;

interface Window {
  cometHighlighter?: CometHighlighterBundle;
}
