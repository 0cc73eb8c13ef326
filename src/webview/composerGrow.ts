// The composer grows with its text, like VS Code's chat input, up to a limit; past it, it scrolls.
const MAX_LINES = 12;

export function growWithText(prompt: HTMLTextAreaElement): void {
  // Measuring the text lays out the page: once per frame, in the frame's own layout, never in the keystroke's task
  // (on a long chat that task is what a sent question waits for).
  let frame: number | undefined;
  const fit = () => {
    frame = undefined;
    prompt.style.height = 'auto';
    const line = parseFloat(getComputedStyle(prompt).lineHeight) || 18;
    prompt.style.height = `${Math.min(prompt.scrollHeight + 2, line * MAX_LINES)}px`;
  };
  prompt.addEventListener('input', () => (frame ??= requestAnimationFrame(fit)));
  fit();
}

/** Sets the composer's text from code (send, recall, edit), which fires no `input`, and refits it. */
export function setPrompt(prompt: HTMLTextAreaElement, text: string): void {
  prompt.value = text;
  prompt.dispatchEvent(new Event('input'));
}
