// A jsdom window for the webview's rendering code, installed as globals before that code loads (DOMPurify binds to
// the window it finds at import time).
import { JSDOM } from 'jsdom';

export function installDom(): JSDOM {
  const dom = new JSDOM('<!DOCTYPE html><body></body>', { pretendToBeVisual: true });
  const globals = globalThis as unknown as Record<string, unknown>;
  globals.window = dom.window;
  globals.document = dom.window.document;
  globals.Element = dom.window.Element;
  globals.HTMLElement = dom.window.HTMLElement;
  globals.Node = dom.window.Node;
  globals.DocumentFragment = dom.window.DocumentFragment;
  globals.MutationObserver = dom.window.MutationObserver;
  globals.FileReader = dom.window.FileReader;
  // jsdom has no layout, so nothing is ever "visible": treat every observed element as on screen.
  globals.IntersectionObserver = class {
    constructor(private readonly callback: (entries: Array<{ isIntersecting: boolean; target: Element }>) => void) {}
    observe(target: Element) { this.callback([{ isIntersecting: true, target }]); }
    unobserve() {}
    disconnect() {}
  };
  globals.requestAnimationFrame = (callback: (time: number) => void) => setTimeout(() => callback(performance.now()), 0);
  return dom;
}
