// Runs testdata/verifier-vectors.json through the verifier's code: the same function under Node
// (node:crypto, as `tuidang verify` runs) and bundled for the browser (verifier-vectors-browser.ts,
// as the receipt check runs). Browser code: no Node API here.
import { ed25519Verifier, LogError, verifierFromKey } from '../src/log/index.ts';
import { checkSignatures } from '../src/verify/signatures.ts';

export interface VerifierVectors {
  readonly signatures: {
    readonly vectors: ReadonlyArray<{
      readonly name: string;
      readonly publicKey: string;
      readonly message: string;
      readonly signature: string;
      readonly verdict: SignatureVerdict;
    }>;
  };
  readonly checkpoints: {
    readonly vkey: string;
    readonly vectors: ReadonlyArray<{
      readonly name: string;
      readonly note: string;
      readonly valid: boolean;
    }>;
  };
}

export type SignatureVerdict = 'valid' | 'invalid' | 'key-refused';

export interface Verdicts {
  /** Vector name → verdict. */
  readonly signatures: Record<string, SignatureVerdict>;
  /** Vector name → "valid", or "invalid: " and the error's message. */
  readonly checkpoints: Record<string, string>;
  /** Extra notes (e.g. the Go-signed checkpoint of ../shared/testdata) → the same. */
  readonly notes: Record<string, string>;
}

const fromHex = (hex: string) =>
  new Uint8Array(hex.length / 2).map((_, i) => Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16));

function openWith(note: string, vkey: string): string {
  try {
    checkSignatures(note, { logKeys: [verifierFromKey(vkey)] });
    return 'valid';
  } catch (e) {
    return `invalid: ${(e as Error).message}`;
  }
}

export function runVectors(
  v: VerifierVectors,
  notes: ReadonlyArray<{ name: string; note: string; vkey: string }> = [],
): Verdicts {
  const signatures: Record<string, SignatureVerdict> = {};
  for (const s of v.signatures.vectors) {
    let verifier: ReturnType<typeof ed25519Verifier>;
    try {
      verifier = ed25519Verifier('vectors.example/key', fromHex(s.publicKey));
    } catch (e) {
      if (!(e instanceof LogError) || e.code !== 'malformed-key') throw e;
      signatures[s.name] = 'key-refused';
      continue;
    }
    signatures[s.name] = verifier.verify(fromHex(s.message), fromHex(s.signature))
      ? 'valid'
      : 'invalid';
  }
  const checkpoints: Record<string, string> = {};
  for (const c of v.checkpoints.vectors) checkpoints[c.name] = openWith(c.note, v.checkpoints.vkey);
  const opened: Record<string, string> = {};
  for (const n of notes) opened[n.name] = openWith(n.note, n.vkey);
  return { signatures, checkpoints, notes: opened };
}
