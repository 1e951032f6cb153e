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
