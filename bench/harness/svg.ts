/**
 * A suite's results as a horizontal bar chart in plain SVG (no chart library: those want a DOM).
 * One section per group, one bar per measured case, its length the case's median time: linear
 * when the group's times are within 20× of each other, log scale (said in the heading) when not.
 * This package's cases are blue, peers and baselines orange; a skipped case is a grey line of text.
 */
import { formatMachine, formatRatio, formatSeconds } from './format.js';
import type { CaseResult, SuiteResult } from './types.js';

/** Width of one character of 12px text, roughly, to size the picture to its longest value label. */
const CHAR_PX = 6.8;
/** Longest case name shown whole; longer ones are cut with an ellipsis. */
const LABEL_CHARS = 64;
const BAR_WIDTH = 360;
const ROW = 22;
const COLOURS = { ours: '#2f6db5', peer: '#e0873a' };

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Bar lengths in pixels for the medians of one group, and whether the scale is logarithmic. */
export function barLengths(medians: readonly number[]): { lengths: number[]; log: boolean } {
  if (medians.length === 0) return { lengths: [], log: false };
  const max = Math.max(...medians);
  const min = Math.min(...medians);
  const log = min > 0 && max / min > 20;
  const lengths = medians.map((m) => {
    if (!(max > 0)) return 2;
    const fraction = log
      ? (Math.log10(m) - Math.log10(min / 4)) / (Math.log10(max) - Math.log10(min / 4))
      : m / max;
    return Math.max(2, Math.round(fraction * BAR_WIDTH));
  });
  return { lengths, log };
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x}" y="${y}"${attrs ? ` ${attrs}` : ''}>${escapeXml(content)}</text>`;
}

function valueLabel(c: CaseResult): string {
  const time = formatSeconds(c.median!);
  return c.ratio === null || c.peer === null ? time : `${time}  (${formatRatio(c.ratio)} ${clip(c.peer, 34)})`;
}

export function renderSvg(result: SuiteResult): string {
  const longestName = Math.max(0, ...result.cases.map((c) => Math.min(LABEL_CHARS, c.name.length)));
  const labelRight = Math.max(200, Math.ceil(16 + longestName * CHAR_PX));
  const barLeft = labelRight + 10;
  const body: string[] = [];
  let y = 28;
  body.push(text(16, y, `shared-ndarray bench: ${result.suite}: ${result.title}${result.quick ? ' (--quick)' : ''}`, 'class="title"'));
  y += 18;
  body.push(text(16, y, formatMachine(result.machine), 'class="small"'));
  y += 20;
  body.push(`<rect x="16" y="${y - 10}" width="12" height="12" fill="${COLOURS.ours}"/>`, text(34, y, 'shared-ndarray', 'class="small"'));
  body.push(`<rect x="140" y="${y - 10}" width="12" height="12" fill="${COLOURS.peer}"/>`, text(158, y, 'peer / baseline', 'class="small"'));
  body.push(text(290, y, 'bar length: median time per operation (shorter is faster)', 'class="small"'));
  y += 14;

  for (const group of result.groups) {
    const cases = result.cases.filter((c) => c.group === group.title);
    const measured = cases.filter((c) => c.median !== null);
    const { lengths, log } = barLengths(measured.map((c) => c.median!));
    y += 26;
    body.push(text(16, y, clip(`${group.title}${log ? '  (log scale)' : ''}`, 130), 'class="group"'));
    y += 8;
    for (const c of cases) {
      y += ROW;
      body.push(text(labelRight, y, clip(c.name, LABEL_CHARS), 'class="label" text-anchor="end"'));
      if (c.median === null) {
        body.push(text(barLeft, y, clip(`skipped: ${c.skipped ?? ''}`, 90), 'class="skipped"'));
        continue;
      }
      const barWidth = lengths[measured.indexOf(c)]!;
      body.push(`<rect class="bar" x="${barLeft}" y="${y - 12}" width="${barWidth}" height="15" fill="${c.ours ? COLOURS.ours : COLOURS.peer}"><title>${escapeXml(`${c.name}: ${valueLabel(c)}`)}</title></rect>`);
      body.push(text(barLeft + barWidth + 6, y, valueLabel(c), 'class="value"'));
    }
  }
  const height = y + 24;
  const longest = Math.max(0, ...result.cases.filter((c) => c.median !== null).map((c) => valueLabel(c).length));
  const width = Math.max(900, Math.ceil(barLeft + BAR_WIDTH + 12 + longest * CHAR_PX));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    '<style>.title{font-size:16px;font-weight:bold}.group{font-size:13px;font-weight:bold}.label,.value{font-size:12px}.small{font-size:11px;fill:#555}.skipped{font-size:12px;fill:#888;font-style:italic}</style>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
