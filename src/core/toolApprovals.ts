// Tool calls waiting for the user's Allow or Deny (comet.tools.approval = ask). A Stop counts as Deny.

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
