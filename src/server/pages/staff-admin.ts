// The administrators' pages: the audit log, and voids while the registry runs. A void is asked
// twice (form, then confirmation) and written by the running sequencer, between its commits: one
// public void entry per declaration, with the reason; the audit log records who asked.
import { NotSequencingError, VoidError } from '../../sequencer/index.ts';
import {
  auditPage,
  type I18n,
  parseIndex,
  parseIndexList,
  parseVoidReason,
  type StaffView,
  staffMessagePage,
  voidPage,
} from '../../web/index.ts';
import type { StaffOptions } from './options.ts';
import { rendered } from './page.ts';
import type { StaffContext, StaffPages } from './staff-session.ts';

const AUDIT_PAGE = 50;
/** Most entries one void request names. */
export const MAX_VOIDS = 100;

export function staffAdminRoutes(
  staff: StaffPages,
  { store, sequencer, now = Date.now }: StaffOptions,
): void {
  const adminOnly = (c: StaffContext) =>
    rendered(staffMessagePage(c.t, c.session, c.t.m['staff.title'], c.t.m['staff.adminOnly']), 403);
  const queryOf = (c: StaffContext) => {
    const q = c.req.query as Record<string, string | string[] | undefined>;
    return (k: string) => (typeof q[k] === 'string' ? q[k] : undefined);
  };

  staff.get('/staff/audit', async (c) => {
    if (c.session.role !== 'admin') return adminOnly(c);
    const raw = queryOf(c)('before');
    const before = raw === undefined ? undefined : parseIndex(raw);
    if (raw !== undefined && before === undefined)
      return rendered(
        staffMessagePage(c.t, c.session, c.t.m['audit.title'], c.t.m['staff.badIndex']),
        400,
      );
    const rows = await store.site.auditLog(AUDIT_PAGE + 1, before);
    return auditPage(c.t, c.session, rows.slice(0, AUDIT_PAGE), {
      before,
      more: rows.length > AUDIT_PAGE,
    });
  });

  staff.get('/staff/void', async (c) => {
    if (c.session.role !== 'admin') return adminOnly(c);
    const query = queryOf(c);
    const n = parseIndex(query('done'));
    const size = parseIndex(query('size'));
    return voidPage(
      c.t,
      c.session,
      { indexes: '', reason: 'flood' },
      n !== undefined && size !== undefined
        ? { text: c.t.m['void.done'](n, c.t.number(size)) }
        : undefined,
    );
  });

  staff.post(
    '/staff/void',
    ({ t, session, form }) => voidForm(t, session, form, t.m['staff.expired']),
    async (c) => {
      const { t, session, form, reply } = c;
      if (session.role !== 'admin') return adminOnly(c);
      const indexes = parseIndexList(form.get('indexes'));
      if (indexes === undefined)
        return rendered(voidForm(t, session, form, t.m['void.badIndexes']), 400);
      if (indexes.length > MAX_VOIDS)
        return rendered(voidForm(t, session, form, t.m['void.tooMany'](MAX_VOIDS)), 400);
      const reason = parseVoidReason(form.get('reason'));
      if (reason === undefined)
        return rendered(voidForm(t, session, form, t.m['void.badReason']), 400);
      if (form.get('confirm') !== 'yes')
        return voidPage(t, session, { indexes: '', reason }, undefined, { indexes, reason });
      let treeSize: number;
      try {
        treeSize = await sequencer.void(indexes, reason);
      } catch (e) {
        if (e instanceof VoidError) {
          const at = String(e.target);
          const text =
            e.problem === 'missing'
              ? t.m['void.missing'](at)
              : e.problem === 'voided'
                ? t.m['void.already'](at)
                : t.m['void.isVoid'](at);
          return rendered(voidForm(t, session, form, text), 400);
        }
        if (e instanceof NotSequencingError)
          return rendered(voidForm(t, session, form, t.m['void.notHere']), 503, 1);
        throw e;
      }
      await store.site.recordAudit({
        at: Math.floor(now() / 1000),
        username: session.username,
        action: 'void',
        target: `${indexes.join(',')} (${reason})`,
      });
      return reply.code(303).redirect(`/staff/void?done=${indexes.length}&size=${treeSize}`);
    },
  );
}

/** The void form again, as it was filled, with a sentence that says what is wrong. */
function voidForm(t: I18n, v: StaffView, form: URLSearchParams, error: string) {
  return voidPage(
    t,
    v,
    { indexes: (form.get('indexes') ?? '').slice(0, 2000), reason: form.get('reason') ?? '' },
    { text: error, error: true },
  );
}
