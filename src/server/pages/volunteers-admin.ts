// The administrators' view of staff declarations (/staff/volunteers): people declared per account
// and UTC day, each batch, and voiding a whole batch with a reason in one action. The running
// sequencer appends one public void entry per entry of the batch (as /staff/void does), and the
// audit log records who voided which batch.
import { NotSequencingError, VoidError } from '../../sequencer/index.ts';
import {
  type I18n,
  parseIndex,
  parseVoidReason,
  type StaffView,
  staffMessagePage,
  type VolunteersView,
  volunteersPage,
} from '../../web/index.ts';
import type { StaffOptions } from './options.ts';
import { rendered } from './page.ts';
import type { StaffContext, StaffPages } from './staff-session.ts';
import { DEFAULT_BUDGET } from './volunteer-batch.ts';

const BATCHES_PAGE = 50;
const DAYS_SHOWN = 14;

export function volunteersAdminRoutes(staff: StaffPages, opts: StaffOptions): void {
  const { store, sequencer, now = Date.now } = opts;
  const ledger = store.volunteers;
  const budget = opts.volunteerBudget ?? DEFAULT_BUDGET;

  const view = async (before: number | undefined): Promise<VolunteersView> => {
    const today = Math.floor(now() / 86_400_000) * 86_400;
    const batches = await ledger.batches(BATCHES_PAGE + 1, before);
    const shown = batches.slice(0, BATCHES_PAGE);
    return {
      budget,
      days: await ledger.activity(today - (DAYS_SHOWN - 1) * 86_400),
      batches: shown.map((b) => ({
        id: b.id,
        username: b.username,
        channel: b.channel,
        hour: b.hour,
        entries: b.entries.length,
        voided: b.voided,
      })),
      older: batches.length > BATCHES_PAGE ? shown.at(-1)?.id : undefined,
    };
  };
  const page = async (
    t: I18n,
    v: StaffView,
    notice?: { text: string; error?: boolean },
    before?: number,
  ) => volunteersPage(t, v, await view(before), notice);
  const adminOnly = (c: StaffContext) =>
    rendered(staffMessagePage(c.t, c.session, c.t.m['staff.title'], c.t.m['staff.adminOnly']), 403);

  staff.get('/staff/volunteers', async (c) => {
    if (c.session.role !== 'admin') return adminOnly(c);
    const q = c.req.query as Record<string, unknown>;
    const one = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
    const before = parseIndex(one('before'));
    const voided = parseIndex(one('voided'));
    const n = parseIndex(one('n'));
    const notice =
      voided !== undefined && n !== undefined
        ? { text: c.t.m['volunteers.done'](c.t.number(voided), c.t.number(n)) }
        : undefined;
    return page(c.t, c.session, notice, before);
  });

  staff.post(
    '/staff/volunteers/void',
    ({ t, session }) => page(t, session, { text: t.m['staff.expired'], error: true }),
    async (c) => {
      const { t, session, form, reply } = c;
      if (session.role !== 'admin') return adminOnly(c);
      const refuse = async (text: string, status: number, retryAfter?: number) =>
        rendered(await page(t, session, { text, error: true }), status, retryAfter);
      const id = parseIndex(form.get('batch'));
      const batch = id === undefined ? undefined : await ledger.batch(id);
      if (id === undefined || batch === undefined) return refuse(t.m['volunteers.noBatch'], 404);
      const reason = parseVoidReason(form.get('reason'));
      if (reason === undefined) return refuse(t.m['void.badReason'], 400);
      if (form.get('confirm') !== 'yes') return refuse(t.m['volunteers.needConfirm'], 400);
      if (batch.voided !== undefined) return refuse(t.m['volunteers.already'], 409);
      // Entries voided one by one before stay as they are; the others are voided in one commit.
      const voided = await Promise.all(batch.entries.map((i) => store.isVoided(i)));
      const targets = batch.entries.filter((_, k) => !voided[k]);
      try {
        if (targets.length > 0) await sequencer.void(targets, reason);
      } catch (e) {
        if (e instanceof VoidError) return refuse(t.m['void.already'](String(e.target)), 409);
        if (e instanceof NotSequencingError) return refuse(t.m['void.notHere'], 503, 1);
        throw e;
      }
      await ledger.markVoided(id, reason);
      await store.site.recordAudit({
        at: Math.floor(now() / 1000),
        username: session.username,
        action: 'void-batch',
        target: `${id}: ${targets.length} (${reason})`,
      });
      return reply.code(303).redirect(`/staff/volunteers?voided=${id}&n=${targets.length}`);
    },
  );
}
