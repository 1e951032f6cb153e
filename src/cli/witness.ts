// `tuidang witness`: runs a C2SP tlog-witness for the logs it is told to follow.
import { readFileSync } from 'node:fs';
import {
  LogError,
  type NoteVerifier,
  parseVerifierKey,
  signerFromKey,
  verifierFromKey,
} from '../log/index.ts';
import { createLogger } from '../server/index.ts';
import { buildWitnessApp, WitnessState } from '../witness/index.ts';
import { CliError, type Command, parseOptions } from './command.ts';

const help = `usage: tuidang witness --key FILE --log VKEY [--log VKEY …] [--data DIR] [--port N] [--host ADDR]

Runs a transparency log witness (c2sp.org/tlog-witness): logs POST their new checkpoints to
/add-checkpoint with a consistency proof, and get a cosignature (cosignature/v1) back.

  --key FILE   the witness's signing key (make one with: tuidang keygen --witness --name NAME --out FILE)
  --log VKEY   verifier key of a log to follow (name+hash+base64); its name is the log's origin
  --data DIR   where the witness records the latest checkpoint of each log (default ./witness-data)
  --port N     port to listen on (default 8081)
  --host ADDR  address to listen on (default 127.0.0.1)`;

export const witness: Command = {
  async run(args) {
    const parsed = parseOptions(
      args,
      {
        key: { type: 'string' },
        log: { type: 'string', multiple: true },
        data: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
      },
      help,
    );
    if (parsed === undefined) return 0;
    const {
      key,
      log = [],
      data = './witness-data',
      port = '8081',
      host = '127.0.0.1',
    } = parsed.values;
    if (key === undefined) throw new CliError(`--key is required\n\n${help}`);
    if (log.length === 0) throw new CliError(`at least one --log is required\n\n${help}`);
    if (!/^\d+$/.test(port) || Number(port) > 65535)
      throw new CliError(`--port ${port} is not a port number`);
    let signer: ReturnType<typeof signerFromKey>;
    const logs = new Map<string, NoteVerifier[]>();
    let keyText: string;
    try {
      keyText = readFileSync(key, 'utf8');
    } catch (e) {
      throw new CliError(`cannot read the key file ${key}: ${(e as NodeJS.ErrnoException).code}`);
    }
    try {
      signer = signerFromKey(keyText);
      for (const vkey of log) {
        const { name } = parseVerifierKey(vkey);
        logs.set(name, [...(logs.get(name) ?? []), verifierFromKey(vkey)]);
      }
    } catch (e) {
      if (e instanceof LogError) throw new CliError((e as Error).message);
      throw e;
    }
    const logger = createLogger();
    const state = new WitnessState(data);
    const app = await buildWitnessApp({ signer, logs, state, logger });
    const url = await app.listen({ port: Number(port), host });
    logger.info(
      { witness: signer.name, logs: [...logs.keys()] },
      `witness ${signer.name} is serving at ${url}/add-checkpoint`,
    );
    const stop = async () => {
      await app.close();
      state.close();
      logger.info('stopped');
      logger.flush();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
    await new Promise(() => {});
    return 0;
  },
};
