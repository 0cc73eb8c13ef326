// The shape of a workspace tool: a JSON schema the model sees, a description written for the model, and `run`.
import type { PathPolicy } from './pathPolicy';
import type { WorkspacePort } from './workspacePort';

export interface PropertySchema {
  type: 'string' | 'integer' | 'boolean';
  description: string;
  minimum?: number;
}

export interface ObjectSchema {
  type: 'object';
  properties: Record<string, PropertySchema>;
  required: string[];
  additionalProperties: false;
}

export interface ToolContext {
  workspace: WorkspacePort;
  paths: PathPolicy;
  signal: AbortSignal;
}

export interface ToolResult {
  /** What the model receives in the `tool` message. */
  content: string;
  /** A few words for the chat's tool line, e.g. "42 lines" or "7 matches". */
  summary: string;
}

export interface Tool {
  name: string;
  description: string;
  parameters: ObjectSchema;
  run(args: Record<string, unknown>, context: ToolContext): Promise<ToolResult>;
}
