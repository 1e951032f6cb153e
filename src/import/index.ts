export { count } from './chunks.ts';
export { type ImportOptions, type ImportSummary, importFile, sourceName } from './importer.ts';
