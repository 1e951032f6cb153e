// The public surface of src/web: pages as data (title, path, body), the layout that turns one into
// a document, languages, and the mapping from forms to what src/registry validates. Routes live in
// src/server/pages/; the browser scripts in src/web/client/ are bundled by bundle.ts.
export {
  buildVerifier,
  bundleVerifier,
  CLIENT_SCRIPTS,
  type ClientScript,
  clientScript,
  VERIFIER_FILE,
  VERIFIER_PATH,
  type Verifier,
} from './bundle.ts';
export { atomFeed } from './feed.ts';
export { type FloodCost, floodCost } from './flood-cost.ts';
export { type Html, html } from './html.ts';
export {
  type I18n,
  i18n,
  LOCALES,
  type Locale,
  localeFromPrefix,
  negotiate,
  PREFIX,
} from './i18n.ts';
export { layout, type Page } from './layout.ts';
export { aboutPage, type Deployment } from './pages/about.ts';
export { NO_OPERATOR, type Operator, recountCommands, type Site } from './pages/check.ts';
export {
  type DeclarantForm,
  declarePage,
  emptyDeclarant,
  errorSummary,
  type FieldErrors,
  type FilledForm,
  FORM_KEY_SECONDS,
  familyFields,
  filledRows,
  formKeyTime,
  newFormKey,
  readForm,
} from './pages/declare.ts';
export { fieldErrors, formProblem, toSubmission } from './pages/declare-form.ts';
export { type EraseTarget, eraseConfirmPage, erasePage } from './pages/erase.ts';
export { type ErrorKind, errorPage } from './pages/error.ts';
export { figuresPage, loadFigures } from './pages/figures.ts';
export { homePage } from './pages/home.ts';
export { isGenericLanguage, languageChoicePage } from './pages/languages.ts';
export { messagePage, newsletterPage } from './pages/newsletter.ts';
export { notFoundPage } from './pages/not-found.ts';
export {
  type CheckAnswer,
  type PersonReceipt,
  receiptCheckPage,
  receiptPage,
} from './pages/receipt.ts';
export { receiptsOf } from './pages/receipt-form.ts';
export {
  type AuditRow,
  auditPage,
  confirmModerationPage,
  loginPage,
  type QueueView,
  queuePage,
  type StaffView,
  staffMessagePage,
  staffNav,
  voidPage,
} from './pages/staff.ts';
export { parseIndex, parseIndexList, parseVoidReason } from './pages/staff-form.ts';
export {
  codePage,
  type Enrolment,
  enrolPage,
  recoveryCodesPage,
} from './pages/staff-two-factor.ts';
export { statementsPage } from './pages/statements.ts';
export { statsCsv, statsPage } from './pages/stats.ts';
export {
  type CsvForm,
  csvResultPage,
  printNav,
  RECEIPTS_PER_PAGE,
  VOLUNTEER_CHANNELS,
  type VolunteerChannel,
  volunteerPage,
  volunteerReceiptPage,
} from './pages/volunteer.ts';
export {
  CSV_MAX_BYTES,
  CSV_MAX_ROWS,
  type CsvDeclarations,
  type CsvProblem,
  type CsvRow,
  csvDeclarations,
  declarantOf,
} from './pages/volunteer-form.ts';
export { type BatchView, type VolunteersView, volunteersPage } from './pages/volunteers.ts';
export { SITE_CSS } from './stylesheet.ts';
