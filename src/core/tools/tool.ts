// The shape of a workspace tool: a JSON schema the model sees, a description written for the model, and `run`.
// `defineTool` ties the schema to the tool's input type, so each tool receives its arguments already checked and
// typed (by ./toolArguments), and the toolbox needs to know nothing about any one tool.
import type { ToolDefinition } from '../../shared/domain';
import type { PathPolicy } from './pathPolicy';
import { parseToolArguments } from './toolArguments';
import type { WorkspacePort } from './workspacePort';

export type PropertySchema =
  | { type: 'string'; description: string }
  | { type: 'integer'; description: string; minimum?: number }
  | { type: 'boolean'; description: string };

export interface ObjectSchema<P extends Record<string, PropertySchema> = Record<string, PropertySchema>, R extends keyof P = keyof P> {
  type: 'object';
  properties: P;
  required: readonly R[];
  additionalProperties: false;
}

type ValueOf<S extends PropertySchema> = S extends { type: 'string' } ? string : S extends { type: 'integer' } ? number : boolean;

/** The arguments a schema describes: the required ones present, the others optional. */
export type InputOf<P extends Record<string, PropertySchema>, R extends keyof P> = { [K in R]: ValueOf<P[K]> } & {
  [K in Exclude<keyof P, R>]?: ValueOf<P[K]>;
};

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

/** A tool as the toolbox sees it: what to offer the model, and a run over the raw arguments the model sent. */
export interface Tool {
  readonly name: string;
  readonly definition: ToolDefinition;
  run(rawArguments: string, context: ToolContext): Promise<ToolResult>;
}

export interface ToolSpec<P extends Record<string, PropertySchema>, R extends keyof P> {
  name: string;
  description: string;
  parameters: ObjectSchema<P, R>;
  run(input: InputOf<P, R>, context: ToolContext): Promise<ToolResult>;
}

export function defineTool<const P extends Record<string, PropertySchema>, const R extends keyof P & string>(spec: ToolSpec<P, R>): Tool {
  return {
    name: spec.name,
    definition: { name: spec.name, description: spec.description, parameters: spec.parameters },
    run: (rawArguments, context) => spec.run(parseToolArguments(rawArguments, spec.parameters), context),
  };
}
