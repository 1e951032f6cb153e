// Public surface of the verifiable-log core: pure functions over bytes, no I/O.
export {
  type Checkpoint,
  formatCheckpoint,
  type OpenedCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
} from './checkpoint.ts';
export {
  type Cosignature,
  cosignatureTime,
  cosignatureVerifier,
  cosignedMessage,
  newCosigner,
  parseCosignature,
} from './cosignature.ts';
export {
  COSIGNATURE_V1,
  ED25519,
  ed25519PrivateKey,
  ed25519Signer,
  ed25519Verifier,
  type KeyType,
  keyId,
  rawPublicKey,
} from './ed25519.ts';
export { LogError, type LogErrorCode } from './errors.ts';
export {
  concatBytes,
  EMPTY_ROOT,
  equalBytes,
  HASH_SIZE,
  hashChildren,
  hashLeaf,
  sha256,
} from './hash.ts';
export { type Integration, integrate, type PackedEntries } from './integrate.ts';
export {
  formatSignerKey,
  formatVerifierKey,
  generateKey,
  type ParsedKey,
  parseSignerKey,
  parseVerifierKey,
  signerFromKey,
  verifierFromKey,
} from './keys.ts';
export {
  consistencyRanges,
  inclusionRanges,
  type Node,
  packedRangeHash,
  rangeHash,
  rootFromInclusionProof,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';
export {
  decodeBase64,
  encodeBase64,
  formatNote,
  formatSignature,
  MAX_SIGNATURES,
  type Note,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
  type OpenedNote,
  openNote,
  parseNote,
  signNote,
} from './note.ts';
export {
  type NodeCache,
  proveConsistency,
  proveInclusion,
  type ReadTiles,
  readNodeHashes,
  readRangeHashes,
  treeRoot,
} from './proof.ts';
export { sha256Into, subtreeHashInto } from './sha256.ts';
export {
  ENTRIES_LEVEL,
  edgeTiles,
  encodeEntryBundle,
  MAX_ENTRY_SIZE,
  narrowTile,
  nodesAtLevel,
  parseEntryBundle,
  parseTilePath,
  TILE_HEIGHT,
  TILE_WIDTH,
  type Tile,
  type TileData,
  tileAt,
  tilePath,
} from './tile.ts';
export { TILE_TREE_SIZE, TileTreeCache, tileTree } from './tile-tree.ts';
export { nextEdge, TileMap } from './tilemap.ts';
export {
  type AddCheckpoint,
  formatAddCheckpoint,
  MAX_PROOF_LINES,
  parseAddCheckpoint,
} from './witness-protocol.ts';
