// `tuidang keygen`: a new Ed25519 signing key for a log (or a witness), written with mode 0600.
import { writeFileSync } from 'node:fs';
import { COSIGNATURE_V1, ED25519, generateKey } from '../log/index.ts';
import { CliError, type Command, parseOptions } from './command.ts';

const help = `usage: tuidang keygen [--name NAME] [--witness] [--out FILE]

Creates a new Ed25519 key pair for signing checkpoints.

  --name NAME   key name; for a log, its origin (default: localhost/tuidang)
  --witness     make a witness cosigning key (cosignature/v1) instead of a log key
  --out FILE    write the private signer key to FILE (mode 0600; refuses to overwrite)
                instead of printing it

The verifier key, which is public, is printed on standard output.`;

export const keygen: Command = {
  async run(args) {
    const parsed = parseOptions(
      args,
      { name: { type: 'string' }, witness: { type: 'boolean' }, out: { type: 'string' } },
      help,
    );
    if (parsed === undefined) return 0;
    const { name = 'localhost/tuidang', witness = false, out } = parsed.values;
    let key: { skey: string; vkey: string };
    try {
      key = generateKey(name, witness ? COSIGNATURE_V1 : ED25519);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    if (out === undefined) {
      console.log(key.skey);
    } else {
      try {
        writeFileSync(out, `${key.skey}\n`, { mode: 0o600, flag: 'wx' });
      } catch (e) {
        throw new CliError(
          `cannot write ${out}: ${(e as NodeJS.ErrnoException).code === 'EEXIST' ? 'the file exists (remove it first)' : (e as Error).message}`,
        );
      }
      console.error(`private key written to ${out}`);
    }
    console.log(key.vkey);
    return 0;
  },
};
