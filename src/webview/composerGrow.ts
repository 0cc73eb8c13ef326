// The composer grows with its text, like VS Code's chat input, up to a limit; past it, it scrolls.
const MAX_LINES = 12;

export function growWithText(prompt: HTMLTextAreaElement): void {
  const fit = () => {
    prompt.style.height = 'auto';
    const line = parseFloat(getComputedStyle(prompt).lineHeight) || 18;
    prompt.style.height = `${Math.min(prompt.scrollHeight + 2, line * MAX_LINES)}px`;
  };
  prompt.addEventListener('input', fit);
  fit();
}

/** Sets the composer's text from code (send, recall, edit), which fires no `input`, and refits it. */
export function setPrompt(prompt: HTMLTextAreaElement, text: string): void {
  prompt.value = text;
  prompt.dispatchEvent(new Event('input'));
}
