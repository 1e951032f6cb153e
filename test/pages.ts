// Every public page of the site, without the language prefix: the tests that go through them all.
export const PUBLIC_PAGES = [
  '/',
  '/declare',
  '/statements',
  '/stats',
  '/figures',
  '/about',
  '/receipt',
  '/erase',
  '/newsletter',
] as const;

const ENTITIES: Record<string, string> = {
  '&#39;': "'",
  '&quot;': '"',
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
};

/** The text of a page's main part, as a person reads it: no tags, entities read, spaces collapsed. */
export function mainText(html: string): string {
  return (/<main[^>]*>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&quot;|&lt;|&gt;|&amp;/g, (e) => ENTITIES[e] ?? e)
    .replace(/\s+/g, ' ')
    .trim();
}
