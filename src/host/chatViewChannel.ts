// The host's side of the chat view's message port: what is posted reaches the view once its script said `ready`;
// before that each message follows its `beforeReady` rule in the protocol (queued, or left to the restore).
import { beforeReady, type HostToWebview } from '../shared/protocol';

/** The only part of a VS Code webview view the channel uses. */
export interface ViewPort {
  readonly webview: { postMessage(message: unknown): Thenable<boolean> };
}

/** Most messages kept for a view that is not ready (see `beforeReady`); older ones give way. */
const MAX_WAITING = 100;

/** Posts to the chat view once its script has said `ready`. Before that, each message follows its `beforeReady` rule. */
export class ChatViewChannel {
  private view: ViewPort | undefined;
  private ready = false;
  /** Counts the pages the view has had: a `ready` answered after its page was dropped opens nothing. */
  private pageCount = 0;
  private readonly waiting: HostToWebview[] = [];

  attach(view: ViewPort): void {
    this.view = view;
    this.dropPage();
  }

  /** The view was hidden: VS Code drops its page (no hidden DOM is kept), so nothing is ready until a new page says so. */
  hidden(view: ViewPort): void {
    if (this.view === view) this.dropPage();
  }

  detach(view: ViewPort): void {
    if (this.view === view) {
      this.view = undefined;
      this.dropPage();
    }
  }

  /** The page that said `ready` just now; hand it to `open` once the restore is built. */
  currentPage(): number {
    return this.pageCount;
  }

  post(message: HostToWebview): void {
    if (this.view && this.ready) void this.view.webview.postMessage(message);
    else if (beforeReady(message) === 'queue') {
      this.waiting.push(message);
      if (this.waiting.length > MAX_WAITING) this.waiting.shift();
    }
  }

  /** The view said `ready`: `restore` goes first, then what waited for it. Nothing, if `page` was dropped since. */
  open(restore: HostToWebview[], page = this.pageCount): void {
    if (page !== this.pageCount) return;
    this.ready = true;
    for (const message of [...restore, ...this.waiting.splice(0)]) this.post(message);
  }

  private dropPage(): void {
    this.ready = false;
    this.pageCount++;
  }
}
