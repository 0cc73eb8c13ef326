// Which key goes with a request, decided per endpoint origin: a key set for that origin, or for CometAPI the
// COMETAPI_KEY environment variable, or, for a server on this machine, none at all. A key never follows the user
// from one endpoint to another; the environment key reaches another origin only once the user has confirmed it.
import { DEFAULT_BASE_URL } from './settings';

export type Credentials =
  /** Send this key. */
  | { kind: 'key'; apiKey: string }
  /** A local server: nothing is sent as a key. */
  | { kind: 'none' }
  /** No key for this origin: nothing may be sent. */
  | { kind: 'missing'; origin: string }
  /** Only the environment's COMETAPI_KEY exists, and this origin is not CometAPI: ask before sending it. */
  | { kind: 'confirm'; origin: string; apiKey: string };

/** `https://api.cometapi.com` for `https://api.cometapi.com/v1/`; the base URL itself when it does not parse. */
export function originOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return baseUrl;
  }
}

/** `api.cometapi.com` for `https://api.cometapi.com/v1/`: the endpoint as people name it. */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

export const COMETAPI_ORIGIN = originOf(DEFAULT_BASE_URL);

/** localhost (and its subdomains), 127.0.0.0/8 and ::1: servers on this machine (or, in a remote window, the remote). */
export function isLoopbackOrigin(origin: string): boolean {
  let host: string;
  try {
    host = new URL(origin).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

export interface KeySources {
  /** The key stored for this origin, if any. */
  stored?: string;
  /** COMETAPI_KEY from the environment, if set. */
  environment?: string;
  /** Origins the user allowed the environment key to go to. */
  environmentTrusted: ReadonlySet<string>;
}

export function resolveCredentials(origin: string, sources: KeySources): Credentials {
  if (sources.stored) return { kind: 'key', apiKey: sources.stored };
  if (sources.environment && (origin === COMETAPI_ORIGIN || sources.environmentTrusted.has(origin))) return { kind: 'key', apiKey: sources.environment };
  if (isLoopbackOrigin(origin)) return { kind: 'none' };
  if (sources.environment) return { kind: 'confirm', origin, apiKey: sources.environment };
  return { kind: 'missing', origin };
}
