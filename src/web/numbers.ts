// How the site writes a count: always the exact figure; beside it, from 10,000 up, a short form
// marked as approximate (约1.23万, about 12.3K). The short form is cut, never rounded up, so that it
// never claims more than was counted. Shared by the pages and the home page's live total.

/** Below this, the exact figure alone is short enough, and a rounded one would only mislead. */
export const APPROX_FROM = 10_000;

/** The short form of a count for an Intl locale (zh-CN, zh-TW, en), or undefined below 10,000. */
export function shortCount(intlLocale: string): (n: number) => string | undefined {
  const short = new Intl.NumberFormat(intlLocale, {
    notation: 'compact',
    maximumSignificantDigits: 3,
    roundingMode: 'trunc',
  });
  return (n) => (n >= APPROX_FROM ? short.format(n) : undefined);
}
