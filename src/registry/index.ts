export {
  bareCommitmentInto,
  COMMITMENT_TAG,
  canonical,
  commitment,
  type NameKind,
  newSalt,
  SALT_SIZE,
} from './commitment.ts';
export { crowdedMonths, statementMonth } from './crowd.ts';
export {
  type Declarant,
  type FieldProblem,
  LANGUAGES,
  type Language,
  MAX_DECLARANTS,
  MAX_NAME,
  MAX_STATEMENT,
  parseSubmission,
  type Submission,
  ValidationError,
} from './declaration.ts';
export { validEmail } from './email.ts';
export {
  CHANNELS,
  type Channel,
  DECLARATION_SIZE,
  type DeclarationEntry,
  dayNumber,
  dayOutsideWindow,
  dayString,
  decodeEntry,
  type Entry,
  EntryFormatError,
  encodeEntry,
  FIRST_DAY,
  latestDay,
  ORGS,
  type Org,
  utcDay,
  VOID_REASONS,
  type VoidEntry,
  type VoidReason,
  writeDeclarationHead,
} from './entry.ts';
export { type ImportRecord, parseImportRecord, RecordError } from './import-record.ts';
export {
  byCrowdOrder,
  byListOrder,
  type Moderation,
  matches,
  ownerTag,
  PUBLICATION_STATUSES,
  type Publication,
  type PublicationQuery,
  type PublicationStatus,
} from './publication.ts';
export {
  formatReceiptCode,
  parseReceiptCode,
  type Receipt,
  type ReceiptCode,
  recordNumber,
} from './receipt.ts';
export { parseRegion, REGIONS, type Region, regionByte } from './regions.ts';
export {
  addEntry,
  addTotals,
  cloneTotals,
  emptyTally,
  emptyTotals,
  headline,
  ImportCount,
  Recount,
  type Tally,
  TallyError,
  type Totals,
  type TotalsHere,
  talliesChanged,
  tally,
  withImported,
  withoutImported,
} from './totals.ts';
