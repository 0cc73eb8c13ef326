// Which tools an answer may use, and the tool calls waiting for the user's Allow or Deny (comet.tools.approval =
// ask). A Stop counts as Deny.
import type { ToolDefinition } from '../shared/domain';
import type { TurnTools } from './chatTurn';
import type { Settings } from './settings';
import type { Toolbox } from './tools/toolbox';

export class ToolApprovals {
  private readonly pending = new Map<string, (allow: boolean) => void>();

  waitFor(callId: string, signal: AbortSignal): Promise<boolean> {
    return new Promise(resolve => {
      const settle = (allow: boolean) => {
        this.pending.delete(callId);
        signal.removeEventListener('abort', onAbort);
        resolve(allow);
      };
      const onAbort = () => settle(false);
      if (signal.aborted) return settle(false);
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(callId, settle);
    });
  }

  decide(callId: string, allow: boolean): void {
    this.pending.get(callId)?.(allow);
  }
}

/** The tools to offer for one answer (none when switched off or without a workspace), and how the turn runs them. */
export function offerTools(
  settings: Settings,
  createToolbox: ((settings: Settings) => Toolbox | undefined) | undefined,
  approvals: ToolApprovals,
): { definitions: ToolDefinition[]; tools: TurnTools } | undefined {
  if (!settings.tools.enabled) return undefined;
  const toolbox = createToolbox?.(settings);
  if (!toolbox) return undefined;
  return {
    definitions: toolbox.definitions(),
    tools: {
      run: (call, signal) => toolbox.run(call, signal),
      approve: settings.tools.approval === 'ask' ? (call, signal) => approvals.waitFor(call.id, signal) : undefined,
      maxRounds: settings.tools.maxRounds,
    },
  };
}
