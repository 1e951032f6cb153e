// Volunteers declare on behalf of people who reached them by phone, in a centre or in person: the
// declaration form (several people at once), or a CSV file of them. Each declaration is audited.
import type { Receipt } from '../../registry/index.ts';
import {
  csvDeclarations,
  emptyDeclarant,
  html,
  readForm,
  receiptPage,
  VOLUNTEER_CHANNELS,
  type VolunteerChannel,
  volunteerPage,
} from '../../web/index.ts';
import type { StaffOptions } from './options.ts';
import { rendered } from './page.ts';
import type { StaffPages } from './staff-session.ts';
import { SubmissionKeys, submitForm } from './submit-form.ts';

const channelOf = (v: string | null): VolunteerChannel =>
  VOLUNTEER_CHANNELS.includes(v as VolunteerChannel) ? (v as VolunteerChannel) : 'phone';

export function volunteerRoutes(
  staff: StaffPages,
  { store, sequencer, now = Date.now, siteUrl = () => '' }: StaffOptions,
): void {
  const keys = new SubmissionKeys(store);
  const declared = async (username: string, receipts: readonly Receipt[]) =>
    store.recordAudit({
      // On the hour: the audit log says who declared which entries, but not the second they were
      // made, which the public log does not show either (docs/timing-privacy.md).
      at: Math.floor(now() / 3_600_000) * 3600,
      username,
      action: 'declare',
      target: receipts.map((r) => r.index).join(','),
    });

  staff.get('/staff/declare', ({ t, session }) =>
    volunteerPage(t, session, 'phone', [emptyDeclarant()]),
  );

  staff.post(
    '/staff/declare',
    ({ t, session, form }) =>
      volunteerPage(
        t,
        session,
        channelOf(form.get('channel')),
        readForm(form).rows,
        {},
        t.m['staff.expired'],
      ),
    async ({ t, session, form }) => {
      const channel = channelOf(form.get('channel'));
      // No anti-flood checks for signed-in volunteers; the same form sent again is answered with
      // the same receipts, as on the public form.
      const outcome = await submitForm(
        { sequencer, keys },
        t,
        readForm(form),
        channel,
        async () => undefined,
      );
      if (outcome.kind === 'receipts') {
        await declared(
          session.username,
          outcome.people.map((p) => p.receipt),
        );
        return receiptPage(t, outcome.people, siteUrl());
      }
      const page = volunteerPage(
        t,
        session,
        channel,
        outcome.rows,
        outcome.errors,
        outcome.notice,
        outcome.key,
      );
      return rendered(page, outcome.status, outcome.retryAfter);
    },
  );

  staff.post(
    '/staff/declare-csv',
    ({ t, session, form }) =>
      volunteerPage(
        t,
        session,
        channelOf(form.get('channel')),
        [emptyDeclarant()],
        {},
        t.m['staff.expired'],
      ),
    async ({ t, session, form }) => {
      const channel = channelOf(form.get('channel'));
      const csv = csvDeclarations(t, form.get('csv') ?? '', channel);
      if ('error' in csv)
        return rendered(volunteerPage(t, session, channel, [emptyDeclarant()], {}, csv.error), 400);
      // Each row is its own submission (not a family). Some may fail (the registry is busy, the
      // database unreachable): the answer then names them, and holds the receipts of the others,
      // which the audit row lists too.
      const settled = await Promise.allSettled(
        csv.rows.map((row) => sequencer.submit(row.submission)),
      );
      const people = settled.flatMap((r, i) =>
        r.status === 'fulfilled'
          ? r.value.map((receipt, k) => ({
              name: csv.rows[i]?.submission.declarants[k]?.name ?? '',
              receipt,
            }))
          : [],
      );
      const receipts = people.map((p) => p.receipt);
      const failed = csv.rows.filter((_, i) => settled[i]?.status === 'rejected');
      if (receipts.length > 0) await declared(session.username, receipts);
      const total = csv.rows.length + csv.problems.length;
      const summary = html`<ul>${[
        t.m['volunteer.recorded'](t.number(receipts.length), t.number(total)),
        ...failed.map((row) => t.m['volunteer.notRecorded'](row.line)),
        ...csv.problems,
      ].map((p) => html`<li>${p}</li>`)}</ul>`;
      if (receipts.length === 0) {
        const page = volunteerPage(t, session, channel, [emptyDeclarant()], {}, summary);
        return failed.length > 0 ? rendered(page, 503, 1) : rendered(page, 400);
      }
      const page = receiptPage(t, people, siteUrl());
      const body = html`<div class="notice" role="status">${summary}</div>${page.body}`;
      return rendered({ ...page, body }, failed.length + csv.problems.length > 0 ? 207 : 200);
    },
  );
}
