// `tuidang mirror <url> <dir>`: an incremental, verified copy of a log.
import { LogError, parseCheckpoint, parseNote, verifierFromKey } from '../log/index.ts';
import {
  HttpSource,
  KnownLogs,
  mirror,
  progressBar,
  SourceError,
  startVerifierHashers,
  VERIFIER_FILE,
  VerificationError,
} from '../verify/index.ts';
import { CliError, type Command, parseOptions } from './command.ts';

const help = `usage: tuidang mirror <url> <dir> [--vkey VKEY] [--witness VKEY …] [--quorum N]

Copies a log's checkpoint, tiles and entry bundles into <dir>, fetching only what is new, and the
single-file verifier the registry serves beside them (tuidang-verify.mjs). Any static
file server can serve the directory at the same paths (so can "tuidang serve --static <dir>").
The new checkpoint is published only after the whole copy verified and is consistent with the
checkpoint the mirror had: a mirror never serves an unverified or inconsistent checkpoint.

  --vkey VKEY      the log's verifier key (default: remembered, or published by the log on first use)
  --witness VKEY   a witness key; with --quorum, cosignatures required before mirroring

exit codes: 0 mirrored, 1 verification failed (nothing published), 2 usage or network error`;

export const mirrorCommand: Command = {
  async run(args) {
    const parsed = parseOptions(
      args,
      {
        vkey: { type: 'string' },
        witness: { type: 'string', multiple: true },
        quorum: { type: 'string' },
      },
      help,
    );
    if (parsed === undefined) return 0;
    const [url, dir, ...extra] = parsed.positionals;
    if (url === undefined || dir === undefined || extra.length > 0)
      throw new CliError(`give a log URL and a directory\n\n${help}`);
    const { vkey: given, witness = [], quorum } = parsed.values;
    try {
      const known = await KnownLogs.load();
      const source = await HttpSource.resolve(url);
      const { origin } = parseCheckpoint(parseNote(await source.checkpoint()).text);
      const published = await source.vkey();
      const vkey = given ?? known.keyFor(origin, url, published) ?? published;
      if (!vkey) throw new CliError('the log publishes no key: give --vkey');
      const witnesses = witness.map((k) => verifierFromKey(k));
      const bar = progressBar('mirroring');
      // The copy is verified as `tuidang verify` does it, with hashing threads, one a core.
      const hashers = startVerifierHashers();
      let result: Awaited<ReturnType<typeof mirror>>;
      try {
        result = await mirror(url, dir, {
          logKeys: [verifierFromKey(vkey)],
          witnesses,
          quorum: quorum === undefined ? witnesses.length : Number(quorum),
          onProgress: bar.update,
          checkBundle: hashers.check,
        });
      } finally {
        bar.end();
        await hashers.close();
      }
      const size = result.checkpoint.treeSize;
      console.log(
        `${result.checkpoint.origin}: mirrored and verified ${size.toLocaleString('en')} entries (${(size - result.previousSize).toLocaleString('en')} new) in ${dir}`,
      );
      console.log(
        result.verifierSha256
          ? `copied the verifier ${VERIFIER_FILE} (SHA-256 ${result.verifierSha256}; npm run build:verifier in the source gives the same)`
          : `the log serves no ${VERIFIER_FILE}: the mirror has none`,
      );
      return 0;
    } catch (e) {
      if (e instanceof VerificationError) {
        console.error(
          `VERIFICATION FAILED at ${e.message}\nthe mirror's checkpoint was left as it was`,
        );
        return 1;
      }
      if (e instanceof SourceError || e instanceof LogError) throw new CliError(e.message);
      throw e;
    }
  },
};
