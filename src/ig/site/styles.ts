// The site's single stylesheet: system fonts, high-contrast colours (WCAG AA), visible focus, tables that scroll
// horizontally rather than break the layout at 1024 px.
export const SITE_CSS = `
:root { --ink: #1d2430; --muted: #4a5568; --accent: #0b5d7a; --accent-dark: #083f53; --line: #d5dbe3;
  --bg: #ffffff; --band: #f3f6f9; --changed: #fff6d6; --ms: #7a3e00; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink);
  background: var(--bg); line-height: 1.55; }
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 1.25rem; }
a { color: var(--accent); }
a:hover { color: var(--accent-dark); }
a:focus-visible, summary:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: 1rem; }
.site-header { background: var(--accent-dark); color: #fff; }
.header-row { display: flex; justify-content: space-between; align-items: center; gap: 1rem; padding-top: .8rem; padding-bottom: .4rem; }
.brand { color: #fff; font-weight: 700; font-size: 1.15rem; text-decoration: none; }
.brand:hover { color: #fff; text-decoration: underline; }
.lang-switch { color: #fff; border: 1px solid #fff; border-radius: 4px; padding: .15rem .7rem; text-decoration: none; font-weight: 600; }
.lang-switch:hover { background: #fff; color: var(--accent-dark); }
.site-nav { display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; padding-bottom: .7rem; }
.site-nav a { color: #e3f1f7; text-decoration: none; font-size: .95rem; }
.site-nav a:hover { color: #fff; text-decoration: underline; }
main { padding-top: 1.2rem; padding-bottom: 2.5rem; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: .6rem 0 .4rem; }
h2 { font-size: 1.35rem; margin-top: 2rem; border-bottom: 2px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.1rem; margin-top: 1.4rem; }
.lead { font-size: 1.08rem; max-width: 60rem; }
.meta { color: var(--muted); font-size: .92rem; margin: 0 0 1rem; }
.meta code { color: var(--ink); }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .88em; background: var(--band);
  padding: .05rem .25rem; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: var(--band); border: 1px solid var(--line); padding: .8rem 1rem; overflow-x: auto; font-size: .85rem; line-height: 1.45; }
pre code { background: none; padding: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 1rem; padding: 0; list-style: none; }
.cards li { border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; background: #fff; }
.cards li a { font-weight: 600; }
.cards li p { margin: .35rem 0 0; color: var(--muted); font-size: .93rem; }
.download { background: var(--band); border-left: 4px solid var(--accent); padding: .8rem 1.1rem; margin: 1.2rem 0; }
.button { display: inline-block; background: var(--accent); color: #fff; padding: .45rem 1rem; border-radius: 4px;
  text-decoration: none; font-weight: 600; }
.button:hover { background: var(--accent-dark); color: #fff; }
.table-scroll { overflow-x: auto; margin: .6rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
caption { text-align: left; color: var(--muted); padding: .3rem 0; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .35rem .55rem; vertical-align: top; text-align: left; }
th { background: var(--band); font-weight: 600; }
tr.changed td { background: var(--changed); }
td.path { white-space: nowrap; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .84rem; }
td.path .slice { color: var(--ms); font-weight: 600; }
td.card { white-space: nowrap; }
td.desc { min-width: 16rem; }
td.nowrap { white-space: nowrap; }
table.elements td:nth-child(3) { overflow-wrap: anywhere; }
.ms { display: inline-block; color: #fff; background: var(--ms); border-radius: 3px; padding: 0 .3rem; font-size: .78rem; font-weight: 700; }
.flag { display: inline-block; color: var(--muted); font-size: .78rem; border: 1px solid var(--line); border-radius: 3px; padding: 0 .25rem; margin-left: .2rem; }
.legend { font-size: .88rem; color: var(--muted); }
.legend .swatch { display: inline-block; width: 1rem; height: .9rem; background: var(--changed); border: 1px solid var(--line); vertical-align: middle; }
details { margin: 1rem 0; }
summary { cursor: pointer; font-weight: 600; }
.site-footer { border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; padding: 1rem 0 2rem; }
.landing { padding-top: 3rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
