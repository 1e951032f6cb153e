// QR codes for printed receipts, drawn on the server as SVG so that they print without JavaScript
// and load nothing from anywhere. The `qr` library encodes (ISO/IEC 18004); this file only draws
// its modules, a horizontal run of dark modules as one rectangle (a third of the library's own
// SVG, which draws every module apart).
import encodeQR from 'qr';
import { type Html, html } from './html.ts';

const QUIET_ZONE = 4; // modules of white around the code, as the standard asks

/**
 * An SVG QR code of `text`, named `label` for screen readers. Medium error correction survives a
 * crease or a stain on paper; a text too long for it falls back to low.
 */
export function qrSvg(text: string, label: string): Html {
  let modules: boolean[][];
  try {
    modules = encodeQR(text, 'raw', { ecc: 'medium', border: QUIET_ZONE });
  } catch {
    modules = encodeQR(text, 'raw', { ecc: 'low', border: QUIET_ZONE });
  }
  const size = modules.length;
  let d = '';
  modules.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) {
      if (!row[x]) continue;
      const start = x;
      while (row[x + 1]) x++;
      d += `M${start} ${y}h${x - start + 1}v1H${start}z`;
    }
  });
  return html`<svg class="qr" role="img" aria-label="${label}" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg"><rect width="${size}" height="${size}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`;
}
