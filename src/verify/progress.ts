// A progress line on a terminal: done/total, rate and time left, redrawn at most ten times a second.
export function progressBar(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): { update(done: number, total: number): void; end(): void } {
  if (!stream.isTTY) return { update() {}, end() {} };
  const start = Date.now();
  let last = 0;
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  const draw = (done: number, total: number) => {
    const seconds = (Date.now() - start) / 1000;
    const rate = done / Math.max(seconds, 0.001);
    const fraction = total === 0 ? 1 : done / total;
    const width = 24;
    const bar = '#'.repeat(Math.round(fraction * width)).padEnd(width, ' ');
    const eta = rate > 0 ? Math.ceil((total - done) / rate) : 0;
    stream.write(
      `\r${label} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${fmt(done)}/${fmt(total)}  ${fmt(rate)}/s  ETA ${eta}s   `,
    );
  };
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done, total);
    },
    end() {
      stream.write('\n');
    },
  };
}
