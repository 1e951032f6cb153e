export { type ImportOptions, type ImportSummary, importFile } from './importer.ts';
