// The home page's script: the total follows the log (it polls the small checkpoint, and the totals
// only when the log grew), and so does the approximate short form beside it. Without it the
// figures are as fresh as the page.

import { TuidangError } from '../../errors/index.ts';
import { shortCount } from '../numbers.ts';

async function text(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new TuidangError('unreachable', `${url}: ${res.status}`);
  return res.text();
}

function followTotal(el: HTMLElement, approx: HTMLElement | null): void {
  let size = -1;
  const lang = document.documentElement.lang;
  const locale = lang === 'en' ? 'en' : lang === 'zh-Hant' ? 'zh-TW' : 'zh-CN';
  const format = new Intl.NumberFormat(locale);
  const short = shortCount(locale);
  setInterval(async () => {
    try {
      const note = await text('/log/checkpoint');
      const treeSize = Number(note.split('\n')[1]);
      if (treeSize === size) return;
      const first = size < 0;
      size = treeSize;
      if (first) return;
      const stats = (await (await fetch('/api/v1/stats')).json()) as {
        treeSize: number;
        total: number;
        totals: { registered: { declarants: number }; imported: { declarants: number } };
      };
      el.textContent = format.format(stats.total);
      for (const part of ['registered', 'imported'] as const) {
        const figure = document.getElementById(`total-${part}`);
        if (figure) figure.textContent = format.format(stats.totals[part].declarants);
      }
      el.dataset.total = String(stats.total);
      // The figures now name the publication they are of (docs/statistics.md, §8).
      el.dataset.treeSize = String(stats.treeSize);
      const s = short(stats.total);
      if (approx) {
        approx.hidden = s === undefined;
        approx.textContent =
          s === undefined ? '' : (approx.dataset.template ?? '').replace('{n}', s);
      }
    } catch {
      // Offline or busy: the page keeps the figure it has.
    }
  }, 10_000);
}

const total = document.getElementById('total');
if (total) followTotal(total, document.getElementById('total-approx'));
