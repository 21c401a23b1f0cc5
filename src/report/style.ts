/** @module The report's stylesheet: paper-like typography, booktabs-style tables, no external fonts. */

export const reportCss = `
:root { --ink: #1b1b1b; --muted: #5f6368; --rule: #222; --faint: #e6e6e6; --accent: #1f5fa8;
  --inverse: #b03a2e; --positive: #1e7b4f; --neutral: #6b6b6b; --u: #8e44ad; --warn-bg: #fff7e0; --warn: #8a6100; }
* { box-sizing: border-box; }
body { margin: 0; background: #fafafa; color: var(--ink);
  font: 15px/1.55 Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, "DejaVu Serif", serif; }
main { max-width: 980px; margin: 0 auto; padding: 40px 48px 64px; background: #fff; min-height: 100vh;
  box-shadow: 0 0 0 1px #eee; }
h1 { font-size: 28px; line-height: 1.2; margin: 0 0 6px; font-weight: 600; letter-spacing: -0.01em; }
h2 { font-size: 18px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--faint); font-weight: 600; }
h3 { font-size: 15px; margin: 20px 0 6px; font-weight: 600; }
p { margin: 8px 0; }
.meta { color: var(--muted); font-size: 13px; margin: 0; }
.meta span + span::before { content: " · "; }
code, pre, .mono { font-family: "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
pre { background: #f6f6f6; padding: 10px 12px; overflow-x: auto; white-space: pre-wrap; border-radius: 3px; }
.verdict { margin: 22px 0 8px; padding: 14px 18px; border-left: 4px solid var(--neutral); background: #f7f7f7; }
.verdict.inverse { border-color: var(--inverse); background: #fbf1f0; }
.verdict.positive { border-color: var(--positive); background: #eff7f2; }
.verdict.u-shaped, .verdict.inverted-u { border-color: var(--u); background: #f6f0fa; }
.verdict .label { font: 600 13px/1 system-ui, sans-serif; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); }
.verdict p { margin: 6px 0 0; }
.tag { display: inline-block; padding: 1px 8px; border-radius: 10px; font: 600 12px/1.6 system-ui, sans-serif; color: #fff; background: var(--neutral); white-space: nowrap; }
.tag.inverse { background: var(--inverse); } .tag.positive { background: var(--positive); }
.tag.u-shaped, .tag.inverted-u { background: var(--u); } .tag.flat { background: #8a8f98; }
.flags { list-style: none; padding: 0; margin: 10px 0 0; }
.flags li { background: var(--warn-bg); color: var(--warn); padding: 6px 10px; margin: 4px 0; font-size: 13.5px; border-radius: 3px; }
.flags li::before { content: "⚠ "; }
figure { margin: 16px 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(400px, 1fr)); gap: 8px 24px; }
table { border-collapse: collapse; width: 100%; margin: 10px 0; font-size: 13px; font-variant-numeric: tabular-nums; }
thead tr:first-child th { border-top: 2px solid var(--rule); }
thead th { border-bottom: 1px solid var(--rule); text-align: left; font-weight: 600; padding: 6px 6px; vertical-align: bottom; }
tbody td { padding: 5px 6px; border-bottom: 1px solid var(--faint); vertical-align: top; }
tbody tr:last-child td { border-bottom: 2px solid var(--rule); }
td.num, th.num { text-align: right; white-space: nowrap; }
td.failed { color: var(--inverse); }
table.models td:first-child, table.verdicts td:first-child { white-space: nowrap; }
.sub td:first-child { padding-left: 22px; }
.muted { color: var(--muted); }
dl.rubric { display: grid; grid-template-columns: 150px 1fr; gap: 6px 16px; margin: 10px 0; }
dl.rubric dt { font-weight: 600; }
dl.rubric dd { margin: 0; }
.example { border: 1px solid var(--faint); border-radius: 4px; padding: 10px 14px; margin: 10px 0; }
.example .head { display: flex; justify-content: space-between; gap: 12px; font-size: 13px; color: var(--muted); }
.example .prompt { white-space: pre-wrap; margin: 6px 0; font-size: 13.5px; max-height: 12em; overflow-y: auto; }
.classes { font-size: 13px; }
.classes .answer { font-weight: 600; }
.methods { font-size: 13.5px; color: #333; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
a { color: var(--accent); }
@media print { body { background: #fff; } main { box-shadow: none; padding: 0; } }
`;
