// Languages of the site: chosen by the URL (/en/, /zh-hans/, /zh-hant/); Accept-Language only
// picks where / sends a first-time visitor. Numbers go through Intl: the exact figure, and from
// 10,000 up the natural short form beside it (约3.98亿), see numbers.ts.
import { en, type Messages } from './messages/en.ts';
import { zhHans } from './messages/zh-Hans.ts';
import { zhHant } from './messages/zh-Hant.ts';
import { shortCount } from './numbers.ts';

export const LOCALES = ['zh-Hans', 'zh-Hant', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const catalogs: Record<Locale, Messages> = { en, 'zh-Hans': zhHans, 'zh-Hant': zhHant };

/** URL path segment of each locale. */
export const PREFIX: Record<Locale, string> = {
  'zh-Hans': 'zh-hans',
  'zh-Hant': 'zh-hant',
  en: 'en',
};
export const INTL: Record<Locale, string> = { 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW', en: 'en' };
/** Each language's name in itself, for the switcher. */
export const NATIVE_NAME: Record<Locale, string> = {
  'zh-Hans': '简体中文',
  'zh-Hant': '繁體中文',
  en: 'English',
};

export function localeFromPrefix(prefix: string): Locale | undefined {
  return LOCALES.find((l) => PREFIX[l] === prefix);
}

/** The best locale for an Accept-Language header (q-values honoured), Simplified Chinese by default. */
export function negotiate(header: string | undefined): Locale {
  const ranges = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((r) => r.tag !== '' && r.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranges) {
    if (tag.startsWith('en')) return 'en';
    if (/^zh-(hant|tw|hk|mo)/.test(tag)) return 'zh-Hant';
    if (tag.startsWith('zh')) return 'zh-Hans';
  }
  return 'zh-Hans';
}

export interface I18n {
  readonly locale: Locale;
  readonly m: Messages;
  /** The exact number, grouped for the locale. */
  number(n: number): string;
  /** The short form marked as approximate (约3.98亿, about 398M), only from 10,000 up. */
  approx(n: number): string | undefined;
  /** `/en/path` for this locale. */
  path(p: string): string;
}

export function i18n(locale: Locale): I18n {
  const exact = new Intl.NumberFormat(INTL[locale]);
  const short = shortCount(INTL[locale]);
  const m = catalogs[locale];
  return {
    locale,
    m,
    number: (n) => exact.format(n),
    approx: (n) => {
      const s = short(n);
      return s === undefined ? undefined : m['home.approx'](s);
    },
    path: (p) => `/${PREFIX[locale]}${p}`,
  };
}
