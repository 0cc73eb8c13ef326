// What dist/highlight.js leaves on the page for codeBlocks.ts: highlighted HTML, or undefined for unknown languages.
type CometHighlighter = (code: string, language: string) => string | undefined;

interface Window {
  cometHighlighter?: CometHighlighter;
}
