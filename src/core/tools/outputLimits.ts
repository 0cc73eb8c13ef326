// Bounds on what a tool sends back to the model: every result is resent with every later request and saved with
// the conversation, so a minified bundle or a 600 KB match must not become a 15 MB tool message.

/** read_file shows at most this much of one line. */
export const MAX_READ_LINE_CHARS = 2000;
/** search shows at most this much of a matching or context line. */
export const MAX_MATCH_LINE_CHARS = 400;
/** No tool result is longer than this, whatever the tool. */
export const MAX_TOOL_OUTPUT_CHARS = 60_000;

/** The line cut to `max` characters, with a marker saying how long it was. */
export function clipLine(line: string, max: number): { text: string; cut: boolean } {
  if (line.length <= max) return { text: line, cut: false };
  return { text: `${line.slice(0, max)}… [${line.length - max} more characters on this line]`, cut: true };
}

/** The output cut at a line break within MAX_TOOL_OUTPUT_CHARS, saying what was cut and how to read on. */
export function capOutput(content: string, howToReadOn: string): string {
  if (content.length <= MAX_TOOL_OUTPUT_CHARS) return content;
  const at = content.lastIndexOf('\n', MAX_TOOL_OUTPUT_CHARS);
  const kept = content.slice(0, at > MAX_TOOL_OUTPUT_CHARS / 2 ? at : MAX_TOOL_OUTPUT_CHARS);
  return `${kept}\n[Output cut at ${kept.length} of ${content.length} characters. ${howToReadOn}]`;
}
