// A glob from the model must stay inside the workspace folder it is matched in. One that reaches out is refused by
// name instead of quietly matching nothing, so the model (and the user reading the tool line) sees what happened.
import { ToolError } from './pathPolicy';

/** Throws a ToolError naming the rule when `glob` (the argument `argument`) reaches outside the workspace. */
export function refuseEscapingGlob(argument: string, glob: string): void {
  const say = (rule: string) => new ToolError(`"${argument}" ${JSON.stringify(glob)} ${rule}; give a glob relative to the workspace, e.g. "src/**/*.ts".`);
  if (glob.includes('\0')) throw say('contains a NUL byte');
  // Every place a path can start: the glob itself, and each alternative of a brace set.
  const starts = [glob, ...glob.split(/[{,]/).slice(1)].map(start => start.trimStart());
  if (glob.split(/[\\/{},]+/).some(segment => segment.trim() === '..')) throw say('leaves the workspace ("..")');
  if (starts.some(start => start.startsWith('~'))) throw say('points into a home folder ("~")');
  if (starts.some(start => /^[a-z][a-z0-9+.-]*:/i.test(start))) throw say('names a drive or a URL scheme (absolute)');
  if (starts.some(start => start.startsWith('/') || start.startsWith('\\'))) throw say('is an absolute path');
}
