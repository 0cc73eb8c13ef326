// The model's regular expression, run where it cannot block the extension host: in a worker thread, with a
// deadline. A catastrophic pattern such as (a+)+$ costs that worker, which is ended, not every extension's thread.
import { Worker } from 'node:worker_threads';
import { MAX_MATCH_LINE_CHARS } from '../core/tools/outputLimits';
import { ToolError } from '../core/tools/pathPolicy';
import { searchText } from '../core/tools/textSearch';
import type { SearchMatch } from '../core/tools/workspacePort';

/** How long one batch of files may take before the pattern is given up on. */
export const REGEX_DEADLINE_MS = 2000;

export interface TextFile {
  path: string;
  text: string;
}

// searchText is self-contained (only its arguments and built-ins), so its own source runs in the worker.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const searchText = ${searchText.toString()};
parentPort.on('message', ({ source, flags, files, contextLines, limit, maxLineChars }) => {
  const pattern = new RegExp(source, flags);
  const matches = [];
  for (const file of files) {
    if (matches.length >= limit) break;
    matches.push(...searchText(file.path, file.text, pattern, contextLines, limit - matches.length, maxLineChars));
  }
  parentPort.postMessage(matches);
});`;

export class RegexWorker {
  private worker: Worker | undefined;

  constructor(private readonly pattern: RegExp, private readonly deadlineMs = REGEX_DEADLINE_MS) {}

  /** Matches in these files, at most `limit`; a ToolError for the model when the pattern runs past the deadline. */
  search(files: readonly TextFile[], contextLines: number, limit: number): Promise<SearchMatch[]> {
    const worker = (this.worker ??= new Worker(WORKER_SOURCE, { eval: true }));
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      const onMessage = (matches: SearchMatch[]) => {
        done();
        resolve(matches);
      };
      const onError = (error: Error) => {
        done();
        this.dispose();
        reject(error);
      };
      const timer = setTimeout(() => {
        done();
        this.dispose();
        reject(new ToolError(`The regular expression took longer than ${this.deadlineMs / 1000} s and was stopped. Simplify it (nested quantifiers such as (a+)+ backtrack without end), or search for plain text.`));
      }, this.deadlineMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage({ source: this.pattern.source, flags: this.pattern.flags, files, contextLines, limit, maxLineChars: MAX_MATCH_LINE_CHARS });
    });
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
