// The log's origin: its permanent name, the first line of every checkpoint and the key name of
// its signatures (C2SP tlog-checkpoint: "a schema-less URL containing neither Unicode spaces nor
// plus (U+002B)", e.g. `registry.example/log`). Each deployment needs its own, or verifiers that
// know logs by origin cannot tell two registries apart and receipts name no site at all.
import { TuidangError } from '../errors/index.ts';

/** The origin of a local install, which names no site: right for local use only. */
export const LOCAL_ORIGIN = 'localhost/tuidang';

/** Where the origin came from: set by itself, derived from the public address, or the default. */
export type OriginSource = 'TUIDANG_ORIGIN' | 'TUIDANG_PUBLIC_URL' | 'default';

/**
 * The origin a public address names: its host (with a port that is not the scheme's default) and
 * its path, lower-cased host, no scheme, no trailing slash: `https://Registry.example/tuidang/` →
 * `registry.example/tuidang`.
 */
export function originOfUrl(publicUrl: string): string {
  const url = new URL(publicUrl);
  return `${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** The origin a signed checkpoint (a signed note) names: its first line. */
export function checkpointOrigin(checkpoint: string): string {
  return checkpoint.slice(0, Math.max(0, checkpoint.indexOf('\n')));
}

/**
 * Refuses to go on when the store holds a log under another origin: a log's origin never changes
 * (every verifier, mirror, witness and receipt knows the log by it), so a changed setting must
 * be an error that says what to do, not a log that starts signing under a new name.
 */
export function checkLogOrigin(
  checkpoint: string | undefined,
  origin: string,
  source: OriginSource,
): void {
  if (checkpoint === undefined) return; // a new log: it takes the configured origin
  const stored = checkpointOrigin(checkpoint);
  if (stored === origin) return;
  throw new TuidangError(
    'config',
    `this log's origin is "${stored}" (every checkpoint it signed names it), but ${originSetting(source, origin)}: a log's origin never changes. Set TUIDANG_ORIGIN=${stored} to keep serving this log, or start a new log in an empty data directory (DATA_DIR) or schema (DATABASE_SCHEMA)`,
  );
}

/** How the configured origin came about, in words for an error message. */
export function originSetting(source: OriginSource, origin: string): string {
  if (source === 'TUIDANG_PUBLIC_URL')
    return `TUIDANG_PUBLIC_URL makes it "${origin}" (TUIDANG_ORIGIN is not set)`;
  if (source === 'default')
    return `neither TUIDANG_ORIGIN nor TUIDANG_PUBLIC_URL is set, which makes it "${origin}"`;
  return `TUIDANG_ORIGIN is "${origin}"`;
}
