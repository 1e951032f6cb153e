// A declarant's receipt: what proves that their entry is in the log, and what only they hold (the
// salt of its commitment). The server keeps no copy.

export interface Receipt {
  readonly index: number;
  /** The log entry, base64. */
  readonly entry: string;
  /** The commitment's salt, base64: held by nobody but the declarant. */
  readonly salt: string;
  readonly treeSize: number;
  readonly inclusionProof: string[];
  /** The signed checkpoint of `treeSize`. */
  readonly checkpoint: string;
}
