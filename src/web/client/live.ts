// The home page's script: the total follows the log (it polls the small checkpoint, and the totals
// only when the log grew). Without it the figure is as fresh as the page.
async function text(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.text();
}

function followTotal(el: HTMLElement): void {
  let size = -1;
  const format = new Intl.NumberFormat(
    document.documentElement.lang === 'en'
      ? 'en'
      : document.documentElement.lang === 'zh-Hant'
        ? 'zh-TW'
        : 'zh-CN',
  );
  setInterval(async () => {
    try {
      const note = await text('/log/checkpoint');
      const treeSize = Number(note.split('\n')[1]);
      if (treeSize === size) return;
      const first = size < 0;
      size = treeSize;
      if (first) return;
      const stats = (await (await fetch('/api/v1/stats')).json()) as { total: number };
      el.textContent = format.format(stats.total);
    } catch {
      // Offline or busy: the page keeps the figure it has.
    }
  }, 10_000);
}

const total = document.getElementById('total');
if (total) followTotal(total);
