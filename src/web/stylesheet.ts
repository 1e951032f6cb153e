// The site's one stylesheet, served at /static/site.css (no third-party resource on any page).
import { readFileSync } from 'node:fs';

export const SITE_CSS = readFileSync(new URL('./static/site.css', import.meta.url), 'utf8');
