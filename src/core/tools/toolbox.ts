// Layer core/tools/: no vscode and no wire (no SDK, no llm/). It may import shared/domain and its own files.
// The workspace tools as the model sees them, and the one place that runs a call: the timeout, and turning every
// failure (bad arguments included) into a message for the model instead of a crashed turn.
import type { ToolCall, ToolDefinition } from '../../shared/domain';
import { listFilesTool } from './listFilesTool';
import { capOutput } from './outputLimits';
import { PathPolicy, ToolError } from './pathPolicy';
import { readFileTool } from './readFileTool';
import { searchTool } from './searchTool';
import type { Tool } from './tool';
import type { WorkspacePort } from './workspacePort';

export const WORKSPACE_TOOLS: readonly Tool[] = [readFileTool, searchTool, listFilesTool];
export const TOOL_TIMEOUT_MS = 30_000;

export interface ToolOutcome {
  ok: boolean;
  /** The `tool` message content. */
  content: string;
  /** A few words for the chat. */
  summary: string;
}

export class Toolbox {
  private readonly byName: Map<string, Tool>;

  constructor(
    private readonly workspace: WorkspacePort,
    private readonly paths: PathPolicy,
    private readonly tools: readonly Tool[] = WORKSPACE_TOOLS,
    private readonly timeoutMs = TOOL_TIMEOUT_MS,
  ) {
    this.byName = new Map(tools.map(tool => [tool.name, tool]));
  }

  definitions(): ToolDefinition[] {
    return this.tools.map(tool => tool.definition);
  }

  /** Runs one call. Only the user's Stop (an abort of `signal`) rejects; every other failure is a result. */
  async run(call: ToolCall, signal: AbortSignal): Promise<ToolOutcome> {
    const tool = this.byName.get(call.name);
    if (!tool) {
      return failure(`There is no tool named "${call.name}". Available tools: ${[...this.byName.keys()].join(', ')}.`);
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    try {
      const result = await raceAbort(tool.run(call.arguments, { workspace: this.workspace, paths: this.paths, signal: combined }), combined);
      return { ok: true, content: capOutput(result.content, 'Ask for less: a line range for read_file, a narrower query, include or glob.'), summary: result.summary };
    } catch (error) {
      if (signal.aborted) throw error;
      if (timeout.aborted) return failure(`${call.name} took longer than ${this.timeoutMs / 1000} s and was stopped.`);
      if (error instanceof ToolError) return failure(error.message);
      return failure(`${call.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function failure(message: string): ToolOutcome {
  return { ok: false, content: `Error: ${message}`, summary: message };
}

/** A tool that ignores its signal still cannot hold the turn past a Stop or the timeout. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export { PathPolicy, ToolError };
