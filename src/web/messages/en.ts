// English messages. This catalog defines the keys: the others must have exactly the same ones
// (the type checker and messages.test.ts both enforce it).
// English plural categories by the ICU rules (Intl.PluralRules): one, other.

const plural = new Intl.PluralRules('en');
const seconds = (n: number) => (plural.select(n) === 'one' ? `${n} second` : `${n} seconds`);
/** A count already formatted ("1", "1,000"): one formats as "1" and nothing else does. */
const people = (count: string) => (count === '1' ? '1 person' : `${count} people`);

export const en = {
  'site.name': 'Tuidang Registry',
  'site.tagline':
    'A public, verifiable count of withdrawals from the Chinese Communist Party and its organisations',
  'nav.home': 'Home',
  'nav.declare': 'Declare',
  'nav.statements': 'Statements',
  'nav.stats': 'Statistics',
  'nav.figures': 'Figures',
  'nav.about': 'About',
  'nav.receipt': 'Check a receipt',
  'nav.languages': 'Languages',
  'nav.skip': 'Skip to content',
  'org.party': 'Chinese Communist Party',
  'org.league': 'Communist Youth League',
  'org.pioneers': 'Young Pioneers',
  'channel.web': 'Web form',
  'channel.volunteer': 'Volunteer',
  'channel.phone': 'Phone',
  'channel.centre': 'Service centre',
  'channel.import': 'Historical records',
  'region.none': 'Not given',
  'home.title': 'Leaving the Chinese Communist Party, counted in the open',
  'home.total': (n: number, figure: string) =>
    plural.select(n) === 'one'
      ? `${figure} person has declared their withdrawal`
      : `${figure} people have declared their withdrawal`,
  'home.totalNote':
    'Each declarant is one entry in a public register that anyone can download and recount. The registry cannot prove that every entry is a different living person: someone could declare twice.',
  'home.byOrg': 'Withdrawals from each organisation',
  'home.check': 'Check this number yourself',
  'home.checkText':
    'Download the verifier (one file; it runs on Node.js 18 or later) and recount the whole register with one command. The register holds no names: each entry holds only a check code from which no one can work back to a name.',
  'home.declare': 'Declare your withdrawal',
  'home.latest': 'Latest statements',
  'home.noStatements': 'No statements have been published yet.',
  'home.chart': 'Declarations per month',
  'home.chartDesc': (bars: number) =>
    plural.select(bars) === 'one'
      ? 'One bar for the month of the first declaration: imported history and declarations made on this site apart.'
      : `One bar for each of the ${bars} months since the first declaration: imported history and declarations made on this site apart.`,
  'chart.month': 'Month',
  'chart.count': 'Declarations',
  'declare.title': 'Declare your withdrawal',
  'declare.intro': 'One form for one person or for a whole family. Use your real name or an alias.',
  'declare.privacy':
    'What we keep: the public log holds no name, no statement and no time of day, only a sealed commitment and the day. Your name and statement are shown only if you tick the box below, and only after review. We do not store your IP address. Your receipt is the only key to your entry: keep it.',
  'declare.person': (n: number) => `Person ${n}`,
  'declare.name': 'Name',
  'declare.nameKind': 'This name is',
  'declare.real': 'my real name',
  'declare.alias': 'an alias',
  'declare.orgs': 'Organisations I leave',
  'declare.region': 'Region (optional)',
  'declare.statement': 'Statement (optional)',
  'declare.publish': 'My name and statement may be published (after review)',
  'declare.add': 'Add a family member',
  'declare.submit': 'Declare',
  'declare.errors': 'Please correct the fields marked below. Nothing was recorded yet.',
  'declare.busy':
    'The registry is busy. Please send the form again in a moment; nothing was recorded.',
  'declare.tooMany': (n: number) =>
    `Too many declarations came from your connection. Please wait ${seconds(n)} and send the form again; nothing was recorded.`,
  'declare.rejected':
    'This form could not be accepted; nothing was recorded. Please check what you typed and press “Declare” again.',
  'declare.honeypot': 'Leave this field empty',
  'declare.wait': (n: number) =>
    `Please check what you typed and send the form again in ${seconds(n)} (a protection against automated floods); nothing was recorded yet.`,
  'declare.working': 'Preparing your declaration…',
  'error.required': 'Please fill this in.',
  'error.tooLong': (max: number) => `This is too long: at most ${max} characters.`,
  'error.control': 'This contains characters that cannot be used.',
  'error.chooseOrg': 'Choose at least one organisation.',
  'error.invalid': 'This value is not valid.',
  'error.tooMany': (max: number) => `At most ${max} people can declare together.`,
  'receipt.title': 'Your declaration is in the log',
  'receipt.keep':
    'Save this receipt now. It proves that your declaration is in the public log, and only it can show which entry is yours. We do not keep a copy of it.',
  'receipt.entry': 'Entry',
  'receipt.day': 'Day',
  'receipt.orgs': 'Organisations',
  'receipt.json': 'Receipt (keep this text)',
  'receipt.download': 'Download the receipt',
  'receipt.verifying': 'Checking the receipt in your browser…',
  'receipt.verified': (size: number, key: string) =>
    `Verified in your browser: included in checkpoint ${size}, signed by ${key}.`,
  'receipt.failed': (why: string) => `This receipt does not verify: ${why}`,
  'receipt.noScript':
    'To check a receipt on your own computer (with Node.js 18 or later), download the verifier and run the commands shown on the About page:',
  'receipt.checkTitle': 'Check a receipt',
  'receipt.checkIntro': 'Paste a receipt to check that its entry is in the log.',
  'receipt.checkButton': 'Check',
  'stats.title': 'Statistics',
  'stats.what':
    'These are declarations recorded in this registry, not verified unique people: a person could declare twice. Records imported from before this registry are counted apart. Every figure is recomputed from the public log by anyone who runs the verifier.',
  'stats.registered': 'Declared in this registry',
  'stats.imported': 'Imported historical records',
  'stats.voided': 'Entries voided (and why)',
  'stats.byOrg': 'By organisation',
  'stats.byChannel': 'By channel',
  'stats.byRegion': 'By region',
  'stats.byMonth': 'By month',
  'stats.csv': 'Download as CSV',
  'stats.total': 'All declarations',
  'stats.treeSize': (n: string) => `Log entries: ${n}`,
  'figures.title': 'Reference figures',
  'figures.intro':
    'Figures published elsewhere, with their sources, next to the count on this site that anyone can verify.',
  'figures.claim': 'What is counted',
  'figures.value': 'Figure',
  'figures.source': 'Source',
  'figures.date': 'As of',
  'figures.verifiable': 'Declarations in this registry, verifiable by anyone',
  'about.title': 'About this registry',
  'about.how': 'How it works',
  'about.howText':
    'Each person who declares becomes one entry in a public register to which entries can only be added, published as files anyone can copy (an append-only Merkle log). Every state of the register is signed, so that nobody can rewrite its past or show different people different registers without the verifier noticing.',
  'about.verify': 'How to verify',
  'about.verifyText':
    'Download the verifier (one file; it needs nothing but Node.js 18 or later), then recount everything, or check a receipt:',
  'about.stored': 'What is stored, and for how long',
  'about.storedText':
    'Public, forever: for each person the day, the organisations left, the channel, the region if given, and a check code from which no one can work back to a name without the receipt. Private, until you ask us to erase it: your name and statement, only if you agreed to publication. Never: IP addresses, browser details, the time of day, or a copy of your receipt.',
  'about.threats': 'The risks we designed for',
  'about.threatsText':
    'We assume a powerful adversary that may seize our server, flood the registry with fake declarations, or claim the numbers are invented. Fake entries can be voided, but only by a new public entry that says which and why. And the numbers can be checked by anyone.',
  'footer.privacy': 'No cookies, no trackers, no third-party resources.',
  'footer.code': 'This site works without JavaScript.',
  'statements.title': 'Statements',
  'statements.search': 'Search',
  'statements.org': 'Organisation',
  'statements.any': 'Any',
  'statements.year': 'Year',
  'statements.filter': 'Filter',
  'statements.none': 'No statements match.',
  'statements.feed': 'Atom feed',
  'statements.newer': 'Newer',
  'statements.older': 'Older',
  'statements.alias': 'alias',
  'erase.title': 'Remove your published name and statement',
  'erase.intro':
    'Paste your receipt. Its secret part proves that the entry is yours; we then delete your name and statement for good. Your entry stays in the log, where it reveals nothing without the receipt.',
  'erase.button': 'Remove them',
  'erase.done': (n: number) =>
    n === 1
      ? 'Your name and statement were removed.'
      : `${n} published names and statements were removed.`,
  'erase.none': 'Nothing published matches this receipt (it may have been removed already).',
  'erase.link': 'Remove your published name and statement',
  'nav.newsletter': 'Newsletter',
  'newsletter.title': 'Newsletter',
  'newsletter.intro':
    'News of the registry by email, a few times a year. We use your address for nothing else, and every mail has a link to stop them.',
  'newsletter.email': 'Email address',
  'newsletter.consent':
    'I agree that my address is kept to send me the newsletter until I unsubscribe (terms version 1).',
  'newsletter.subscribe': 'Subscribe',
  'newsletter.sent':
    'If the address is right, a mail to confirm is on its way. The link in it is valid for 48 hours.',
  'newsletter.confirmed': 'Your subscription is confirmed.',
  'newsletter.expired': 'This link has expired or is not valid. Please subscribe again.',
  'newsletter.unsubscribe': 'Unsubscribe',
  'newsletter.unsubscribed': 'You are unsubscribed. You will receive no more mail from us.',
  'newsletter.unavailable': 'The newsletter is not available on this server.',
  'newsletter.errorEmail': 'Please give a valid email address.',
  'newsletter.errorConsent': 'Please agree to the terms to subscribe.',
  'mail.confirmSubject': 'Confirm your subscription',
  'mail.confirmBody': (link: string) =>
    `To confirm your subscription to the newsletter, open this link within 48 hours:\n\n${link}\n\nIf you did not ask for it, ignore this mail.`,
  'staff.title': 'Staff',
  'staff.login': 'Sign in',
  'staff.username': 'Username',
  'staff.password': 'Password',
  'staff.loginFailed': 'The username or the password is wrong.',
  'staff.wait': (n: number) => `Too many failed attempts: wait ${seconds(n)} before trying again.`,
  'staff.queue': 'Waiting for moderation',
  'staff.none': 'Nothing is waiting.',
  'staff.approve': 'Approve',
  'staff.reject': 'Reject',
  'staff.erase': 'Erase',
  'staff.logout': 'Sign out',
  'staff.signedIn': (name: string) => `Signed in as ${name}.`,
  'staff.forbidden': 'This needs a moderator or an administrator.',
  'staff.expired': 'The form has expired: please try again.',
  'volunteer.title': 'Declare on behalf of others',
  'volunteer.intro':
    'For declarations received by phone, in a service centre or in person. Each person gets a receipt: print it for them.',
  'volunteer.channel': 'Received',
  'volunteer.batch': 'Several people at once (CSV)',
  'volunteer.batchHelp':
    'One person a line; the first line names the columns. What to write in each is below.',
  'volunteer.batchSubmit': 'Declare them all',
  'nav.staff': 'Staff',
  'staff.redact': 'Save the edited text and approve',
  'staff.edit': 'Edit before approving (remove what could endanger someone)',
  'notFound.title': 'Page not found',
  'notFound.text': 'There is nothing at this address.',
  // Staff pages: moderation queue, confirmations, audit log, voids, CSV limits (src/web/pages/staff.ts, volunteer.ts)
  'staff.nav.queue': 'Moderation',
  'staff.nav.audit': 'Audit log',
  'staff.nav.void': 'Void entries',
  'staff.count': (total: string, from: string, to: string) =>
    `${total} waiting, oldest first. Shown here: ${from} to ${to}.`,
  'staff.newer': 'Newer ones',
  'staff.oldest': 'Back to the oldest',
  'staff.select': (index: string) => `Select #${index}`,
  'staff.approveSelected': 'Approve the selected ones',
  'staff.done.approve': (n: number) =>
    n === 1 ? 'One statement approved.' : `${n} statements approved.`,
  'staff.done.reject': (n: number) =>
    n === 1 ? 'One statement rejected.' : `${n} statements rejected.`,
  'staff.done.erase': (n: number) =>
    n === 1 ? 'One statement erased for good.' : `${n} statements erased for good.`,
  'staff.done.redact': (n: number) =>
    n === 1 ? 'The edited statement is approved.' : `${n} edited statements approved.`,
  'staff.done.missing': (n: number) =>
    n === 1
      ? 'One was no longer waiting: another moderator may have dealt with it.'
      : `${n} were no longer waiting: another moderator may have dealt with them.`,
  'staff.confirm.reject': 'Reject these statements?',
  'staff.confirm.rejectText':
    'They will not be shown on the site. The declarations stay counted in the log.',
  'staff.confirm.rejectYes': 'Yes, reject',
  'staff.confirm.erase': 'Erase these statements for good?',
  'staff.confirm.eraseText':
    'The names and statements are deleted and cannot be brought back. The declarations stay counted in the log.',
  'staff.confirm.eraseYes': 'Yes, erase for good',
  'staff.confirm.gone': (index: string) => `#${index} is no longer waiting.`,
  'staff.cancel': 'Cancel',
  'staff.badIndex': 'An entry number must be written in digits only, such as 73.',
  'staff.noneSelected': 'Select at least one statement first.',
  'staff.badAction': 'This action does not exist. Use the buttons of the list.',
  'staff.adminOnly': 'This page is for administrators.',
  'staff.throttled': (n: number) =>
    `Too many failed attempts: please wait ${seconds(n)}, or sign in now by entering the code of your authenticator app together with your password.`,
  'audit.title': 'Audit log',
  'audit.intro':
    'Every staff action: who, what, when and on which entry. It never holds a name or a statement.',
  'audit.when': 'When (UTC)',
  'audit.who': 'Who',
  'audit.what': 'What',
  'audit.target': 'Entries',
  'audit.older': 'Older',
  'audit.newest': 'Back to the newest',
  'audit.none': 'Nothing recorded yet.',
  'audit.action.login': 'signed in',
  'audit.action.logout': 'signed out',
  'audit.action.approve': 'approved',
  'audit.action.reject': 'rejected',
  'audit.action.erase': 'erased',
  'audit.action.redact': 'edited and approved',
  'audit.action.declare': 'declared for others',
  'audit.action.void': 'voided',
  'audit.action.create-user': 'created an account',
  'void.title': 'Void entries',
  'void.intro':
    'Voiding adds a public entry to the log that names the voided entry and the reason. Nothing is deleted: the totals drop at once, and anyone who recounts the log sees the correction.',
  'void.indexes': 'Entry numbers, separated by spaces or commas',
  'void.reason': 'Reason',
  'void.reason.flood': 'flood of fake declarations',
  'void.reason.duplicate': 'duplicate',
  'void.reason.test': 'test entry',
  'void.reason.error': 'entered in error',
  'void.reason.request': 'at the declarant’s request',
  'void.continue': 'Continue',
  'void.confirm': 'Void these entries?',
  'void.confirmText': (reason: string) =>
    `The log will say, for everyone to see, that these entries are void (reason: ${reason}). This cannot be undone.`,
  'void.confirmYes': 'Yes, void them',
  'void.done': (n: number, size: string) =>
    `${n === 1 ? 'One entry' : `${n} entries`} voided. The log now has ${size} entries.`,
  'void.badIndexes':
    'Write the entry numbers in digits, separated by spaces or commas, for example: 12, 40.',
  'void.tooMany': (max: number) => `At most ${max} entries at a time.`,
  'void.badReason': 'Choose one of the reasons in the list.',
  'void.missing': (index: string) => `Entry ${index} is not in the log. Nothing was voided.`,
  'void.already': (index: string) => `Entry ${index} is voided already. Nothing was voided.`,
  'void.isVoid': (index: string) => `Entry ${index} is itself a void entry. Nothing was voided.`,
  'void.notHere':
    'This server is not the one writing the log at the moment, so nothing was voided. Please try again in a moment.',
  'volunteer.limits': (rows: string, kb: string) =>
    `At most ${rows} people and ${kb} KB in one upload.`,
  'volunteer.tooLarge': (kb: string) =>
    `This CSV is larger than ${kb} KB, so nothing was recorded. Please split it into several uploads.`,
  'volunteer.tooManyRows': (rows: string) =>
    `This CSV has more than ${rows} people, so nothing was recorded. Please split it into uploads of at most ${rows}.`,
  'volunteer.recorded': (n: string, total: string) =>
    total === '1'
      ? `The one person in this upload is ${n === '1' ? '' : 'not '}recorded.`
      : `${n} of ${total} people in this upload are recorded.`,
  'volunteer.notRecorded': (line: number) =>
    `Line ${line} was not recorded: the registry could not take it just then. It is in the box below: send it again from there.`,
  'volunteer.nothingRecorded': 'Nothing was recorded.',
  // Staff declarations sent again, their receipts printed page by page, budgets and batches
  // (src/web/pages/volunteer.ts, volunteers.ts)
  'volunteer.recordedLines': (n: string, lines: string) => `Recorded now: ${n} (lines ${lines}).`,
  'volunteer.alreadyLines': (n: string, lines: string) =>
    `Already recorded with this form, so not recorded again: ${n} (lines ${lines}).`,
  'volunteer.formTotal': (n: string) => `This form has recorded ${people(n)} in all.`,
  'volunteer.fixBelow':
    'Only the lines that were not recorded are in the box below. Correct them and send them with this form: nobody already recorded will be recorded twice.',
  'volunteer.allDone': 'Everyone in this upload is recorded.',
  'volunteer.sendFixed': 'Send these lines',
  'volunteer.newUpload': 'New upload, for other people',
  'volunteer.print': 'Print the receipts',
  'volunteer.printHelp': (n: number, count: string, per: string) =>
    `${n === 1 ? 'The receipt of 1 person' : `Receipts of ${count} people`}, ${per} to a page. They can be printed for 24 hours: the registry keeps no copy it can read.`,
  'volunteer.printRange': (from: string, to: string) =>
    from === to ? `Receipt ${from}` : `Receipts ${from} to ${to}`,
  'volunteer.printing': (from: string, to: string, total: string) =>
    `Receipts ${from} to ${to} of the ${people(total)} recorded with this form.`,
  'volunteer.printExpired': (n: string) =>
    n === '1'
      ? 'One receipt cannot be shown any more: its sealed copy is kept only 24 hours.'
      : `${n} receipts cannot be shown any more: their sealed copy is kept only 24 hours.`,
  'volunteer.previous': 'Previous receipts',
  'volunteer.next': 'Next receipts',
  'volunteer.notYours': 'This form belongs to another staff account. Nothing was recorded.',
  'volunteer.batchVoided':
    'An administrator voided what this form recorded, so nothing more can be recorded with it. Nothing was recorded. To declare, use this new form.',
  'volunteer.overBudget': (hour: string, day: string, left: string) =>
    `Nothing was recorded: this account may declare ${people(hour)} in a clock hour and ${day} in 24 hours, and ${left} more now. If these declarations are real, ask an administrator; the rows are still in the box.`,
  'volunteer.channelFixed': (channel: string) =>
    `Received: ${channel} (like the rest of this form)`,
  'staff.nav.volunteers': 'Staff declarations',
  'volunteers.title': 'Declarations by staff',
  'volunteers.intro': (hour: string, day: string) =>
    `Each account may declare ${people(hour)} in a clock hour and ${day} in 24 hours; an account that reaches 80 % is reported in the server's log. Times are to the hour.`,
  'volunteers.byDay': 'People declared, by account and UTC day (last 14 days)',
  'volunteers.account': 'Account',
  'volunteers.day': 'Day',
  'volunteers.declared': 'People',
  'volunteers.batches': 'Batches (one per form), newest first',
  'volunteers.batch': 'Batch',
  'volunteers.hour': 'First recorded (UTC, to the hour)',
  'volunteers.status': 'Status',
  'volunteers.active': 'counted',
  'volunteers.voided': (reason: string) => `voided: ${reason}`,
  'volunteers.void': (n: string) => `Void its ${n} entries`,
  'volunteers.confirm': 'I have checked: void this whole batch',
  'volunteers.done': (id: string, n: string) =>
    `Batch ${id} is voided: ${n} entries. The totals dropped by as many.`,
  'volunteers.needConfirm': 'Tick the box to confirm, then void the batch.',
  'volunteers.noBatch': 'There is no such batch.',
  'volunteers.already': 'This batch is voided already.',
  'volunteers.none': 'No declarations by staff yet.',
  'volunteers.older': 'Older batches',
  'audit.action.void-batch': 'voided a batch',
  // Home, statistics, figures and about pages: what the total counts, the verifier, the witnesses
  // and what a seized server holds.
  'home.approx': (short: string) => `about ${short}`,
  'home.registeredNote':
    'since this site opened: on the web, by phone, through volunteers and service centres',
  'home.importedNote': 'records from before this site, imported by its operators',
  'home.chartYears': 'Declarations per year',
  'home.chartYearsDesc': (bars: number) =>
    plural.select(bars) === 'one'
      ? 'One bar for the year of the first declaration: imported history and declarations made on this site apart.'
      : `One bar for each of the ${bars} years since the first declaration: imported history and declarations made on this site apart.`,
  'chart.table': 'The figures as a table',
  'stats.channel': 'Channel',
  'stats.region': 'Region',
  'statements.byAlias': (name: string) => `${name} (alias)`,
  'list.separator': ', ',
  'chart.year': 'Year',
  'stats.voidReason': (reason: string) =>
    ({
      flood: 'part of a flood of fake declarations',
      duplicate: 'a duplicate',
      test: 'a test',
      error: 'entered in error',
      request: "at the declarant's request",
    })[reason] ?? reason,
  'about.verifier': 'Download the verifier (tuidang-verify.mjs)',
  'about.verifierHash': 'Its SHA-256 checksum:',
  'about.verifierBuild':
    'The same file, byte for byte, comes out of the source code: in the repository, this command builds it and prints the same checksum:',
  'about.witnesses': 'Independent witnesses',
  'about.witnessesText':
    'Each witness keeps the last state of the register it has seen and cosigns a new one only if it extends it: with witnesses, the register cannot show different people different histories.',
  'about.noWitness':
    'No independent witness yet: for now, only this site signs the register. The verifier remembers the state it checked and fails loudly if a later one rewrites it; run it again from time to time.',
  'about.witnessCosigned': 'cosigned the latest state',
  'about.witnessMissing': 'has not cosigned the latest state',
  'about.seized': 'If the server is seized',
  'about.seizedHolds': 'Whoever takes this server finds on it:',
  'about.holds.log':
    'in its database, the public register itself (no more than anyone can download)',
  'about.holds.publications':
    'the names and statements of people who agreed to publication: published, waiting for review or not approved, until they are erased',
  'about.holds.staff':
    "staff accounts (usernames, password hashes, their second factor's key sealed under a key derived from the signing key, hashes of recovery codes) and the record of what staff did",
  'about.holds.newsletter': 'the email addresses of newsletter subscribers',
  'about.holds.key':
    'the signing key: with it someone else could sign new states of the register, but not rewrite one that the verifier or a witness has seen without it being noticed',
  'about.holds.sealed':
    "for 24 hours, the receipts of declarations sent by the form (or through the API with an idempotency key), so that the same form sent twice gets the same receipts: sealed with that form's key, which the server does not hold, so unreadable without it",
  'about.seizedNever': 'The server never holds:',
  'about.never.unpublished': 'the names and statements of people who did not agree to publication',
  'about.never.receipts':
    'receipts in readable form, or the secret in them that ties an entry to a person',
  'about.never.ip':
    'IP addresses, browser details or the moment of a declaration: at most which publication first showed it, which everyone could see anyway',
  'staff.signedOut': 'You are signed out.',
  // The second factor of staff accounts (src/web/pages/staff-two-factor.ts)
  'twoFactor.nav': 'Second factor',
  'twoFactor.title': 'Second factor',
  'twoFactor.code': 'Code from your authenticator app',
  'twoFactor.codeHint':
    'Six digits, or one of your recovery codes. If you have not set up a second factor yet, leave it empty: you will be asked after the password.',
  'twoFactor.codeTitle': 'Your code',
  'twoFactor.codeIntro':
    'The password is right. Now enter the six-digit code that your authenticator app shows for this site, or one of your recovery codes.',
  'twoFactor.failed': 'The username, the password or the code is wrong.',
  'twoFactor.wrongCode':
    'This code is wrong or was already used. The code changes every 30 seconds: enter the one shown now.',
  'twoFactor.tooMany': 'Too many wrong codes. Sign in again from the start.',
  'twoFactor.expired': 'This setup has expired. Here is a new key: add it to the app again.',
  'twoFactor.required':
    'Your account needs a second factor before you can sign in: an app on your phone that shows a new six-digit code every 30 seconds (for example Aegis, FreeOTP, 2FAS or Google Authenticator). Then someone who learns your password still cannot sign in without your phone.',
  'twoFactor.status.on':
    'Your account has a second factor. Setting up a new one here replaces it, and the old recovery codes stop working.',
  'twoFactor.status.off': 'Your account has no second factor yet. Set one up here.',
  'twoFactor.step1': 'In your authenticator app, add an account and scan this QR code.',
  'twoFactor.step2':
    'If you cannot scan it, type this key instead (time-based, six digits, every 30 seconds):',
  'twoFactor.step3': 'Then enter the code that the app shows now:',
  'twoFactor.qrLabel': 'The key for your authenticator app, as a QR code',
  'twoFactor.confirm': 'Turn on the second factor',
  'twoFactor.recoveryTitle': 'Your recovery codes',
  'twoFactor.recoveryIntro':
    "The second factor is on. If you lose your phone, each of these codes signs you in once in place of the app's code. Write them down or print them now, and keep them away from your phone: they are not shown again.",
  'twoFactor.continue': 'Continue',
  // Error pages: a page that failed, by what the visitor can do (src/web/pages/error.ts)
  'errorPage.title': 'Something went wrong',
  'errorPage.busy':
    'The site is busy just now. Please try again in a moment; nothing was recorded.',
  'errorPage.ourSide':
    'Something went wrong on our side; nothing was recorded. Please try again later.',
  'errorPage.request': 'This request could not be handled. Please go back and try again.',
  // The declaration form, the receipt and its print view, checking a receipt, erasing (receipts
  // per person).
  'form.region': 'Region (optional)',
  'form.publishPerson':
    "Publish this person's name and statement (after review). Tick only if they agree.",
  'form.publishCaller':
    'Asked by me, this person agreed that their name and statement may be published (after review)',
  'form.remove': (n: number) => `Remove person ${n}`,
  'form.errorTitle': 'There is a problem',
  'form.errorAt': (person: number, message: string) => `Person ${person}: ${message}`,
  'form.sentTwice':
    'This form was already sent, and what it held then is registered. The changes made since were not recorded. To declare for someone else, fill in this new form.',
  'form.expired':
    'This form is more than a day old. If it was sent then, that declaration is registered. Nothing was recorded now: to declare, fill in this new form.',
  'error.chooseNameKind': 'Choose whether this is a real name or an alias.',
  'receipt.headOne': 'Your declaration is registered',
  'receipt.headMany': (n: number) => `${n} declarations are registered`,
  'receipt.sentenceOne': (entry: string) =>
    `Your declaration is registered as entry ${entry} of the public register.`,
  'receipt.sentenceMany': (n: number, entries: string) =>
    `The declarations of ${n} people are registered as entries ${entries} of the public register. Each person has a receipt of their own below.`,
  'receipt.keepTitle': 'Keep the receipt',
  'receipt.keepProves':
    'A receipt proves that the declaration is in the public register. It is the only link between a person and their entry: we keep no copy.',
  'receipt.keepWhere':
    'Print it or download it, and keep it where no one else will look: not on a shared phone or computer. Each person keeps their own.',
  'receipt.keepDestroy':
    'Destroying it is safe: the declaration stays counted. Only, no one can then show which entry it was, or remove a published name.',
  'receipt.print': 'Print the receipts',
  'receipt.printNoScript': "To print them, use your browser's Print command.",
  'receipt.downloadAll': 'Download all receipts (one file)',
  'receipt.downloadOne': 'Download this receipt',
  'receipt.entryNumber': (entry: string) => `Entry ${entry}`,
  'receipt.code': 'Receipt code (to type in by hand if needed)',
  'receipt.technical': 'The receipt as text (for the verifier)',
  'receipt.qr': (entry: string) => `QR code with the whole receipt of entry ${entry}`,
  'receipt.paper': (entry: string) =>
    `Entry ${entry}: with the code above, it can be checked at the address at the top. Keep this paper where no one else will look, and do not scan the QR code with WeChat, Alipay or another chat app. When it is no longer needed, tear it up or burn it.`,
  'receipt.eraseOne': 'Remove this published name and statement',
  'check.checking': 'Checking in your browser…',
  'check.ok': (entry: string, size: string) =>
    `Checked in your browser: entry ${entry} is in the public register (${size} entries), signed by the registry.`,
  'check.pending': (entry: string) =>
    `Checked in your browser: entry ${entry} is signed by the registry. It appears in the public register at the next publication, within a few minutes.`,
  'check.malformed':
    'This is not a whole receipt: a part is missing or was changed. Copy all of its text again.',
  'check.notSigned':
    'This receipt is not signed by this registry: it is from another site, or it was altered.',
  'check.notIncluded':
    'This receipt does not match the register: its entry, its number or its proof was changed.',
  'check.otherLog': 'This receipt is from another register.',
  'check.inconsistent':
    'Warning: the register no longer holds the history this receipt was signed in. Keep the receipt and tell others: this is what checking is for.',
  'check.unreachable':
    'The check could not reach the registry. Try again later; the receipt itself is not affected.',
  'check.notYet': (entry: string) =>
    `The public register has no entry ${entry} yet. If it was declared in the last few minutes, it appears at the next publication: check again then.`,
  'check.input': 'Receipt text or receipt code',
  'check.intro':
    'Paste a receipt, or type the receipt code from the paper, to check that its entry is in the public register.',
  'check.resultOk': (entry: string, signed: string, latest: string, origin: string) =>
    `Entry ${entry} is in the register as signed at ${signed} entries (${origin}), and that signed state is consistent with the latest one, at ${latest} entries.`,
  'check.resultPending': (entry: string, signed: string) =>
    `Entry ${entry} is in the register as signed at ${signed} entries. It appears in the published register at the next publication, within a few minutes.`,
  'check.resultCode':
    'The receipt was rebuilt from its code and the register: the code holds the entry number and the secret part.',
  'check.independent':
    'This answer comes from the registry itself. An independent check need not trust it: check in your browser with JavaScript on (the calculation runs on your device), or with the standalone verifier on your own computer:',
  'erase.introPerson':
    'Paste the receipt of the person whose published name and statement should be removed, or type the receipt code from the paper. You will see what is removed before anything is.',
  'erase.next': 'Continue',
  'erase.confirmTitle': 'Remove this name and statement?',
  'erase.confirmText': (entry: string) =>
    `This removes for good what is published for entry ${entry}. Only this person's publication is removed; others who declared with them keep theirs. The entry stays counted.`,
  'erase.confirmButton': 'Yes, remove it',
  'erase.cancel': 'No, keep it',
  'erase.doneOne': (entry: string) =>
    `The name and statement published for entry ${entry} were removed.`,
  'erase.nothing':
    'Nothing is published for this receipt: it may have been removed already, or the declaration had no statement to publish.',
  // Abuse resistance and input checks (declare form, newsletter form).
  'error.marks': (max: number) => `Too many accents or marks on one character: at most ${max}.`,
  'error.noLetter': 'Please write at least one letter or character.',
  'error.title': 'The form could not be read',
  'error.encoding':
    'The form arrived in an encoding we cannot read. Please fill it in again on this page; nothing was recorded.',
  'declare.again': (n: number) =>
    `Your connection changed after the form was opened, so the wait that protects against automated floods starts again. Nothing was recorded yet. Please check what you typed and press “Declare” again in ${seconds(n)}.`,
  'newsletter.errorSend': 'The confirmation mail cannot be sent just now. Please try again later.',
  'newsletter.errorRejected':
    'The mail server of this address refused our mail. Please check the address.',
  // Who runs the registry, and what anchors the trust in its key (src/web/pages/home.ts, about.ts)
  'home.intro':
    'Since 2004, people have declared that they are leaving the Chinese Communist Party, the Communist Youth League and the Young Pioneers (in Chinese, tuidang, or “the three withdrawals”). Each declaration made here is one entry in a public register that anyone can download and recount; no entry shows who made it.',
  'operator.runBy': (name: string) => `This registry is run by ${name}.`,
  'operator.none': 'The operator of this registry has not published their name.',
  'operator.contact': 'Contact:',
  'operator.noContact': 'No contact address has been published.',
  'about.operator': 'Who runs this registry',
  'about.key': 'The key of this register',
  'about.keyText':
    'Every version of the register is signed with the key below; the verifier and every command on this site check it. Compare it with the key published elsewhere — by the witnesses listed on this page, by mirrors, or by the operator on their other channels — so that you do not have to take it from this server alone.',
  'about.source': 'Source code',
  'about.sourceText': 'The source code of the program this site runs:',
  'about.commit': 'Version (commit):',
  'about.noSource':
    'The operator has not said where the source code of this deployment is published.',
  'footer.staff': 'Staff pages use one cookie, for signing in; the public pages use none.',
  // What a flood costs (/about), with this registry's settings (src/web/flood-cost.ts).
  'about.flood': 'What a flood of fake declarations costs',
  'about.floodWork': (fewest: number, most: number, phone: number, fast: number, slow: number) =>
    `Every declaration from the web costs work for each person declared. With JavaScript, the browser solves a puzzle that needs 4 MiB of memory for each try (scrypt), ${fewest} to ${most} tries a person: about ${phone} seconds on a mid-range phone (our estimate), and, on our test machine, ${fast} to ${slow} seconds of processor time per 1,000 entries for the fastest program we know, written to solve it (a faster processor needs less). Under heavy load the puzzle grows up to tenfold.`,
  'about.floodWait': (wait: number) =>
    `Without JavaScript, a form must have been open ${seconds(wait)} for each person on it before it is accepted, and the forms of one connection wait one after another.`,
  'about.floodLimit': (people: number) =>
    `One connection (an IPv4 address, or an IPv6 network) may declare at most ${people} ${plural.select(people) === 'one' ? 'person' : 'people'} a minute.`,
  'about.floodOff':
    'This registry asks no work before a declaration: its operator has turned it off.',
  'about.floodLimits':
    'A flood thus costs computers, addresses and time; it is not impossible. That is why every entry is public, can be voided only by another public entry, and can be recounted by anyone.',
  // Who this deployment is (the about page), and the language choice of a browser that hides its own.
  'about.deployment': 'This registry',
  'about.origin': 'Its log is named (the origin, in every signed version and every receipt):',
  'about.localOrigin':
    'This registry has no name of its own yet: its operator has not set its public address, so its log carries the name every local install has, and its receipts name no site. The setting:',
  'about.undeclaredProxy':
    'For the operator: requests reach this registry through a reverse proxy that is not declared, so all visitors share one limit of declarations a minute. The setting to make (see the operations guide):',
  'language.title': 'Choose your language',
  'language.hidden':
    'Your browser does not tell which language you read (Tor Browser hides it, to protect you).',
  // A receipt safe to keep, checks in the browser, leaving quickly.
  'title.form': 'Form',
  'title.receipt': 'Receipt',
  'exit.label': 'Exit this page',
  'receipt.once':
    'The receipts are shown on this page once: we keep no copy to show again. Print or download them before you leave this page.',
  'receipt.printNameOne':
    'Print the name on the receipt (it is left off the paper unless you tick this)',
  'receipt.printNames':
    "Print each person's name on their receipt (names are left off the paper unless you tick this)",
  'receipt.tracesTitle': 'Leaving no traces',
  'receipt.traceHistory':
    "Your browser's history keeps this site's address and its page titles. Before you leave, delete this site from the history; next time, use a private window.",
  'receipt.traceDownloads':
    'A downloaded receipt is saved as receipt-<number>.json, usually in the Downloads folder. Move it somewhere only you look (a USB stick, say), then delete it from Downloads.',
  'receipt.tracePhotos':
    "A photo of a receipt stays in the phone's gallery, and is often backed up to the cloud. Better to print it, or copy the receipt code by hand.",
  'receipt.traceScan':
    'Do not scan the QR code with WeChat, Alipay or any other chat or payment app: it holds the whole receipt, and such apps send what they scan to their company. To check a receipt, type its code on this site\'s "Check a receipt" page, or use the verifier.',
  'check.published': (entry: string, size: string) =>
    `Now public: entry ${entry} is in the public register (${size} entries), checked in your browser.`,
  'check.fromCode':
    'The receipt was rebuilt in your browser from its code and the public register: the code did not leave this device.',
  'check.byServer': "Checked by the registry's server, because scripts are off in your browser.",
  'check.serverNote':
    "Scripts are off in your browser, so what you type is sent to the registry's server to be checked (in the form, never in the address). With JavaScript on, the check runs in your browser and nothing is sent.",
  'check.localNote':
    'The check runs in your browser: what you type is not sent anywhere; only the public register is read.',
  'erase.confirmTitleNone': 'Nothing to remove',
  'erase.confirmNone': (entry: string) =>
    `No name or statement of this receipt is published or waiting for review, so there is nothing to remove. Entry ${entry} stays counted either way.`,
  'erase.cancelNone': 'Go back',
  // A form whose ticket no longer counts, without JavaScript (src/server/pages/declare.ts)
  'declare.ticketRefused': (n: number) =>
    `This form has expired (it is valid for an hour after it is opened), so the wait that protects against automated floods starts again. Nothing was recorded yet. Please check what you typed and press “Declare” again in ${seconds(n)}.`,
  // The volunteers' CSV in the volunteer's language: its help, every refusal with its line and
  // column, the channel chosen, receipts addressed to the volunteer (src/web/pages/volunteer*.ts)
  'csv.col.name': 'name',
  'csv.col.nameKind': 'nameKind',
  'csv.col.orgs': 'orgs',
  'csv.col.region': 'region',
  'csv.col.statement': 'statement',
  'csv.col.publish': 'publish',
  'csv.help.title': 'What to write in each column (with an example)',
  'csv.help.intro':
    'The first line names the columns; then one person a line. Only name and orgs are required; the other columns may be left out. Column names and values may also be written in Chinese (姓名, 真名, 党、团, 广东, 是).',
  'csv.help.name': "Required: the person's real name or an alias.",
  'csv.help.nameKind': 'real or alias. Empty means alias.',
  'csv.help.orgs':
    'Required: party, league or pioneers, one or more, separated by ; (for example party;league).',
  'csv.help.region':
    'Optional: a province, region or municipality by name (Guangdong, Inner Mongolia) or code (CN-GD); also Hong Kong, Macau, Taiwan, or overseas.',
  'csv.help.statement':
    'Optional. If it contains a comma, put the whole statement in double quotes.',
  'csv.help.publish':
    'yes if the person agrees that their name and statement are published (after review), no if not. Empty means no.',
  'csv.help.example': 'An example, with two people:',
  'csv.help.sample':
    'name,nameKind,orgs,region,statement,publish\nWang Xiaoming,alias,party;league,Guangdong,,no\nLi Hua,real,pioneers,Beijing,I leave the Young Pioneers.,yes\n',
  'csv.line': (line: string) => `Line ${line} was not declared: `,
  'csv.why.noName': (c: string) =>
    `the ${c} column is empty: write the person's real name or an alias.`,
  'csv.why.tooLong': (c: string, max: string) =>
    `the ${c} column is too long: at most ${max} characters.`,
  'csv.why.control': (c: string) =>
    `the ${c} column contains characters that cannot be shown or used (control or invisible characters): remove them.`,
  'csv.why.marks': (c: string, max: string) =>
    `the ${c} column stacks too many accents or marks on one character: at most ${max}.`,
  'csv.why.noLetter': (c: string) =>
    `the ${c} column must contain at least one letter or character.`,
  'csv.why.invalid': (c: string) => `the ${c} column cannot be used as it is.`,
  'csv.why.cells': (n: string, columns: string, quote: string) =>
    `it has ${n} cells, but the first line names only ${columns} columns. If a statement contains a comma, put the whole statement in double quotes (${quote}).`,
  'csv.why.nameKind': (c: string, v: string) =>
    `the ${c} column says ${v}: write real or alias (empty means alias).`,
  'csv.why.noOrgs': (c: string) =>
    `the ${c} column is empty: write which organisations the person leaves (party, league or pioneers, one or more).`,
  'csv.why.org': (c: string, v: string) =>
    `${v} in the ${c} column is not an organisation: write party, league or pioneers, separated by ;.`,
  'csv.why.region': (c: string, v: string) =>
    `${v} in the ${c} column is not a region: write a province, region or municipality by name (Guangdong) or code (CN-GD), or leave it empty.`,
  'csv.why.publish': (c: string, v: string) =>
    `the ${c} column says ${v}: write yes (the person agrees to publication) or no; empty means no.`,
  'csv.quote': (line: string, quote: string, twice: string) =>
    `Nothing was recorded: the double quotes on line ${line} do not pair up. A cell that starts with ${quote} must end with ${quote}, and a quote inside it is written twice (${twice}).`,
  'csv.unreadable': (line: string) => `Nothing was recorded: line ${line} cannot be read as CSV.`,
  'csv.empty':
    'The box is empty, so nothing was recorded. Paste the CSV text, its first line naming the columns.',
  'csv.unknownColumn': (c: string) =>
    `Nothing was recorded: ${c} on the first line is not a column name. The first line names the columns: see “What to write in each column” below.`,
  'csv.twiceColumn': (c: string) =>
    `Nothing was recorded: the first line names the column ${c} twice.`,
  'csv.missingColumn': (c: string) =>
    `Nothing was recorded: the first line has no ${c} column, which is required.`,
  'csv.noPeople': 'Nothing was recorded: there is no one below the first line.',
  'volunteer.chooseChannel': 'Choose…',
  'volunteer.channelMissing':
    'Nothing was recorded: first choose how these declarations reached you (by phone, in person or at a service centre).',
  'volunteer.via.phone': 'By phone',
  'volunteer.via.volunteer': 'In person, with a volunteer',
  'volunteer.via.centre': 'At a service centre',
  'volunteer.receiptsHead': (n: number, count: string) =>
    n === 1 ? 'Recorded for 1 person' : `Recorded for ${count} people`,
  'volunteer.receiptsLead':
    "Each person's receipt is below, one each. Print them and give each person their own: they are not shown again once you leave this page.",
  'audit.hourNote':
    "Times are kept to the hour only, shown as a range such as 10:00–11:00: the audit log keeps no action's exact time.",
  // Regions in groups (the declare form), the breakdown by organisation, the figures page.
  'region.mainland': 'Mainland China',
  'region.apart': 'Taiwan, Hong Kong and Macau',
  // One person's receipt page says "the receipt", not "the receipts".
  'receipt.printOne': 'Print the receipt',
  'receipt.printNoScriptOne': "To print it, use your browser's Print command.",
  'receipt.onceOne':
    'The receipt is shown on this page once: we keep no copy to show again. Print or download it before you leave this page.',
  'figures.now': 'Now',
} as const satisfies Record<string, string | ((...args: never[]) => string)>;

export type Messages = {
  [K in keyof typeof en]: (typeof en)[K] extends string
    ? string
    : (typeof en)[K] extends (...a: infer A) => string
      ? (...a: A) => string
      : never;
};
