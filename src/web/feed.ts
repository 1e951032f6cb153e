// An Atom feed (RFC 4287) of published statements, for readers and news sites: in the order of the
// statements page (by month, then unrelated to the entries' order), each entry dated by the day of
// its approval (when it was published), not by the declaration's day, which for imported history
// can be twenty years earlier. The day, not the second: a moderator going down the queue approves
// in entry order, and exact approval times would give that order away.
import { createHash } from 'node:crypto';
import escapeHtml from 'escape-html';
import { type Publication, statementMonth } from '../registry/index.ts';
import type { I18n } from './i18n.ts';

export function atomFeed(t: I18n, base: string, list: readonly Publication[]): string {
  const { m } = t;
  const x = (s: string) => escapeHtml(s);
  const self = `${base}${t.path('/statements/feed.xml')}`;
  const published = (p: Publication) =>
    p.approvedAt
      ? `${new Date(p.approvedAt * 1000).toISOString().slice(0, 10)}T00:00:00Z`
      : `${statementMonth(p.day)}-01T00:00:00Z`;
  const updated = list.length === 0 ? '2004-12-03T00:00:00Z' : list.map(published).sort().at(-1);
  const entries = list.map(
    (p) => `<entry>
<id>${x(entryId(base, p))}</id>
<title>${x(p.name)}</title>
<updated>${x(published(p))}</updated>
<author><name>${x(p.name)}</name></author>
<link href="${x(`${base}${t.path('/statements')}`)}"/>
<content type="text">${x(p.statement)}</content>
</entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${t.locale}">
<id>${x(self)}</id>
<title>${x(`${m['site.name']} · ${m['statements.title']}`)}</title>
<updated>${updated}</updated>
<link rel="self" href="${x(self)}"/>
<link href="${x(`${base}${t.path('/statements')}`)}"/>
${entries.join('\n')}
</feed>
`;
}

/**
 * A stable id for a statement that does not give its entry number (which would tell which commit,
 * and so roughly when, it was made): a hash of what the page shows anyway (the month, never the
 * day, organisations or region, which 365 or a few dozen guesses would recover from a hash).
 */
function entryId(base: string, p: Publication): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([p.name, p.statement, statementMonth(p.day)]))
    .digest('hex')
    .slice(0, 32);
  return `${base}/statements#${digest}`;
}
