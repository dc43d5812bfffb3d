/**
 * smart_style_url (app-launch.html#styling): the EHR's colours and fonts applied as CSS variables, so the app looks
 * like a part of the EMR. Values are checked (no url(), no expressions), and a colour that would fall below WCAG AA
 * contrast (4.5:1) where the app uses it (text on the background; error, success and highlight colours are also
 * text colours, and the highlight carries white button text) is ignored: the app's own accessible colours win.
 */
const MAP: Record<string, string> = {
  color_background: '--bg',
  color_error: '--error',
  color_highlight: '--accent',
  color_modal_backdrop: '--backdrop',
  color_success: '--success',
  color_text: '--text',
  dim_border_radius: '--radius',
  dim_font_size: '--font-size',
  dim_spacing_size: '--space',
  font_family_body: '--font-body',
  font_family_heading: '--font-heading',
};
const SAFE = /^[#\w\s.,'"%()-]{1,120}$/;

export async function applySmartStyle(url: string, root: HTMLElement = document.documentElement): Promise<void> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) return;
  const style = (await res.json()) as Record<string, unknown>;
  const values: Record<string, string> = {};
  for (const [key, cssVar] of Object.entries(MAP)) {
    const v = style[key];
    if (typeof v === 'string' && SAFE.test(v) && !/url\s*\(|expression/i.test(v)) values[cssVar] = v;
  }
  const text = values['--text'] ?? getComputedStyle(root).getPropertyValue('--text').trim();
  const bg = values['--bg'] ?? getComputedStyle(root).getPropertyValue('--bg').trim();
  const ratio = contrast(text, bg);
  if (ratio !== undefined && ratio < 4.5) {
    delete values['--text'];
    delete values['--bg'];
  }
  const background = values['--bg'] ?? bg;
  for (const key of ['--error', '--success', '--accent']) {
    const colour = values[key];
    if (!colour) continue;
    const onBackground = contrast(colour, background);
    const onWhite = key === '--accent' ? contrast(colour, '#ffffff') : undefined;
    if ((onBackground !== undefined && onBackground < 4.5) || (onWhite !== undefined && onWhite < 4.5)) delete values[key];
  }
  for (const [k, v] of Object.entries(values)) root.style.setProperty(k, v);
  root.dataset.smartStyle = 'applied';
}

function luminance(hex: string): number | undefined {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return undefined;
  const full = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number | undefined {
  const la = luminance(a);
  const lb = luminance(b);
  if (la === undefined || lb === undefined) return undefined;
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}
