// Checks a model's tool-call arguments against the tool's schema, and says exactly what is wrong so that the model
// can send them again. Our schemas are flat objects of strings, integers and booleans, so this stays small.
import { ToolError } from './pathPolicy';
import type { InputOf, ObjectSchema, PropertySchema } from './tool';

export function parseToolArguments<P extends Record<string, PropertySchema>, R extends keyof P>(raw: string, schema: ObjectSchema<P, R>): InputOf<P, R> {
  let value: unknown;
  try {
    value = raw.trim() ? JSON.parse(raw) : {};
  } catch (error) {
    throw new ToolError(`The arguments are not valid JSON (${(error as Error).message}). Send one JSON object, e.g. {"path": "src/index.ts"}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ToolError('The arguments must be a JSON object.');
  }
  const args = value as Record<string, unknown>;
  const missing = schema.required.map(String).filter(name => args[name] === undefined || args[name] === null);
  if (missing.length) throw new ToolError(`Missing required argument${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`);
  const out: Record<string, unknown> = {};
  for (const [name, given] of Object.entries(args)) {
    const property: PropertySchema | undefined = Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
    if (!property) throw new ToolError(`Unknown argument "${name}". Allowed: ${Object.keys(schema.properties).join(', ')}.`);
    if (given === null || given === undefined) continue;
    out[name] = coerce(name, given, property.type, property.type === 'integer' ? property.minimum : undefined);
  }
  // Every property was checked against its schema above; this is the one place the checked object takes its type.
  return out as InputOf<P, R>;
}

function coerce(name: string, given: unknown, type: 'string' | 'integer' | 'boolean', minimum?: number): unknown {
  switch (type) {
    case 'string':
      if (typeof given !== 'string') throw new ToolError(`"${name}" must be a string.`);
      return given;
    case 'boolean':
      if (typeof given === 'boolean') return given;
      if (given === 'true' || given === 'false') return given === 'true';
      throw new ToolError(`"${name}" must be true or false.`);
    case 'integer': {
      // Models often quote numbers; "12" means 12.
      const number = typeof given === 'string' && given.trim() !== '' ? Number(given) : given;
      if (typeof number !== 'number' || !Number.isInteger(number)) throw new ToolError(`"${name}" must be a whole number.`);
      if (minimum !== undefined && number < minimum) throw new ToolError(`"${name}" must be at least ${minimum}.`);
      return number;
    }
  }
}
