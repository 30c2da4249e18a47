// @ts-check
// Small SVG charts for the review report: a line chart (met % by month per priority), horizontal
// bars (breaches by category) and stacked columns (response-time distribution). Built with
// createElementNS and textContent only; each chart has a <title> and <desc>, each mark a <title>
// with its number, and the caller puts the same numbers in a table next to it.
// The pure parts (scales, ticks, series) are exported for node:test.

const NS = 'http://www.w3.org/2000/svg';

/**
 * An SVG element; attributes null or undefined are left out.
 * @param {string} tag
 * @param {Record<string, string | number | null | undefined>} [attrs]
 * @param {string} [text]
 */
function s(tag, attrs = {}, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) e.setAttribute(k, String(v));
  if (text != null) e.textContent = text;
  return e;
}

/**
 * `n` nice tick values from 0 to at least `max` (1, 2, 5 × 10^k steps).
 * @param {number} max
 * @returns {number[]}
 */
export function niceTicks(max, n = 5) {
  if (!(max > 0)) return [0, 1];
  const raw = max / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => st >= raw) ?? 10 * mag;
  const top = Math.ceil(max / step) * step;
  const out = [];
  for (let v = 0; v <= top + step / 2; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

/**
 * A linear scale from [d0, d1] to [r0, r1].
 * @param {number} d0
 * @param {number} d1
 * @param {number} r0
 * @param {number} r1
 */
export function scale(d0, d1, r0, r1) {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (/** @type {number} */ v) => r0 + (v - d0) * k;
}

/**
 * @param {number} width
 * @param {number} height
 * @param {string} title
 * @param {string} desc
 */
function frame(width, height, title, desc) {
  const id = `c${Math.random().toString(36).slice(2, 9)}`;
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width: '100%',
    role: 'img',
    'aria-labelledby': `${id}t ${id}d`,
    class: 'chart',
    preserveAspectRatio: 'xMidYMid meet',
  });
  svg.append(s('title', { id: `${id}t` }, title), s('desc', { id: `${id}d` }, desc));
  return svg;
}

/**
 * Line chart. `series`: [{ name, color, values: (number | null)[] }] over `labels` (x).
 * Values are percentages 0–100; null breaks the line (no ticket judged that month).
 * @param {{ title: string, desc: string, labels: string[],
 *   series: { name: string, color: string, values: (number | null)[], bold?: boolean, dash?: string }[],
 *   width?: number, height?: number, unit?: string, yMax?: number, yMin?: number }} options
 */
export function lineChart({
  title,
  desc,
  labels,
  series,
  width = 640,
  height = 280,
  unit = '%',
  yMax = 100,
  yMin = 0,
}) {
  const svg = frame(width, height, title, desc);
  const m = { l: 44, r: 12, t: 14, b: 48 };
  const x = scale(0, Math.max(1, labels.length - 1), m.l + 10, width - m.r - 10);
  const y = scale(yMin, yMax, height - m.b, m.t);
  const grid = s('g', { class: 'grid' });
  const ticks = [];
  for (let v = yMin; v <= yMax; v += (yMax - yMin) / 5) ticks.push(v);
  for (const v of ticks) {
    grid.append(s('line', { x1: m.l, x2: width - m.r, y1: y(v), y2: y(v) }));
    grid.append(s('text', { x: m.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, `${Math.round(v)}${unit}`));
  }
  labels.forEach((l, i) => {
    grid.append(s('text', { x: x(i), y: height - m.b + 18, 'text-anchor': 'middle', class: 'tick' }, l));
  });
  svg.append(grid);
  for (const se of series) {
    const g = s('g', { class: 'series', 'data-series': se.name });
    let d = '';
    se.values.forEach((v, i) => {
      if (v == null) return;
      const prev = i > 0 ? se.values[i - 1] : null;
      d += `${prev == null ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    });
    g.append(
      s('path', {
        d,
        fill: 'none',
        stroke: se.color,
        'stroke-width': se.bold ? 3 : 2,
        'stroke-dasharray': se.dash ?? null,
        'stroke-linejoin': 'round',
      }),
    );
    se.values.forEach((v, i) => {
      if (v == null) return;
      const c = s('circle', { cx: x(i), cy: y(v), r: 3.5, fill: se.color });
      c.append(s('title', {}, `${se.name}, ${labels[i]}: ${v.toFixed(1)}${unit}`));
      g.append(c);
    });
    svg.append(g);
  }
  // Legend
  const lg = s('g', { class: 'legend' });
  let lx = m.l;
  for (const se of series) {
    lg.append(s('rect', { x: lx, y: height - 16, width: 14, height: 4, fill: se.color, rx: 2 }));
    const t = s('text', { x: lx + 19, y: height - 11, class: 'legend-text' }, se.name);
    lg.append(t);
    lx += 30 + se.name.length * 7.2;
  }
  svg.append(lg);
  return svg;
}

/**
 * Horizontal stacked bars. `rows`: [{ label, parts: number[] }], `parts`: [{ name, color }].
 * @param {{ title: string, desc: string, rows: { label: string, parts: number[] }[],
 *   parts: { name: string, color: string }[], width?: number, rowHeight?: number }} options
 */
export function barChart({ title, desc, rows, parts, width = 640, rowHeight = 30 }) {
  const m = { l: 170, r: 48, t: 8, b: 34 };
  const height = m.t + m.b + rows.length * rowHeight;
  const svg = frame(width, height, title, desc);
  const max = Math.max(1, ...rows.map((r) => r.parts.reduce((a, b) => a + b, 0)));
  const ticks = niceTicks(max, 5);
  const x = scale(0, ticks[ticks.length - 1], m.l, width - m.r);
  const grid = s('g', { class: 'grid' });
  for (const v of ticks) {
    grid.append(s('line', { x1: x(v), x2: x(v), y1: m.t, y2: height - m.b }));
    grid.append(s('text', { x: x(v), y: height - m.b + 14, 'text-anchor': 'middle', class: 'tick' }, String(v)));
  }
  svg.append(grid);
  rows.forEach((r, i) => {
    const yy = m.t + i * rowHeight;
    svg.append(s('text', { x: m.l - 8, y: yy + rowHeight / 2 + 4, 'text-anchor': 'end', class: 'label' }, r.label));
    let acc = 0;
    r.parts.forEach((v, k) => {
      if (!v) return;
      const rect = s('rect', {
        x: x(acc),
        y: yy + 5,
        width: Math.max(1, x(acc + v) - x(acc)),
        height: rowHeight - 10,
        fill: parts[k].color,
        rx: 3,
      });
      rect.append(s('title', {}, `${r.label}: ${v} ${parts[k].name}`));
      svg.append(rect);
      acc += v;
    });
    svg.append(s('text', { x: x(acc) + 6, y: yy + rowHeight / 2 + 4, class: 'value' }, String(acc)));
  });
  const lg = s('g', { class: 'legend' });
  let lx = m.l;
  for (const p of parts) {
    lg.append(s('rect', { x: lx, y: height - 14, width: 10, height: 10, fill: p.color, rx: 2 }));
    lg.append(s('text', { x: lx + 15, y: height - 5, class: 'legend-text' }, p.name));
    lx += 34 + p.name.length * 7;
  }
  svg.append(lg);
  return svg;
}

/**
 * Vertical stacked columns. `labels` (x buckets), `series`: [{ name, color, values: number[] }];
 * `marker`: a labelled line at column `index`.
 * @param {{ title: string, desc: string, labels: string[], series: { name: string, color: string, values: number[] }[],
 *   width?: number, height?: number, marker?: { index: number, label: string } | null }} options
 */
export function columnChart({ title, desc, labels, series, width = 640, height = 280, marker = null }) {
  const svg = frame(width, height, title, desc);
  const m = { l: 44, r: 12, t: 14, b: 56 };
  const totals = labels.map((_, i) => series.reduce((a, se) => a + (se.values[i] ?? 0), 0));
  const ticks = niceTicks(Math.max(1, ...totals), 5);
  const y = scale(0, ticks[ticks.length - 1], height - m.b, m.t);
  const bw = (width - m.l - m.r) / labels.length;
  const grid = s('g', { class: 'grid' });
  for (const v of ticks) {
    grid.append(s('line', { x1: m.l, x2: width - m.r, y1: y(v), y2: y(v) }));
    grid.append(s('text', { x: m.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, String(v)));
  }
  labels.forEach((l, i) => {
    grid.append(
      s('text', { x: m.l + bw * (i + 0.5), y: height - m.b + 16, 'text-anchor': 'middle', class: 'tick' }, l),
    );
  });
  svg.append(grid);
  labels.forEach((l, i) => {
    let acc = 0;
    for (const se of series) {
      const v = se.values[i] ?? 0;
      if (!v) continue;
      const rect = s('rect', {
        x: m.l + bw * i + bw * 0.14,
        y: y(acc + v),
        width: bw * 0.72,
        height: Math.max(0.5, y(acc) - y(acc + v)),
        fill: se.color,
      });
      rect.append(s('title', {}, `${se.name}, ${l}: ${v}`));
      svg.append(rect);
      acc += v;
    }
    if (totals[i])
      svg.append(
        s(
          'text',
          { x: m.l + bw * (i + 0.5), y: y(totals[i]) - 4, 'text-anchor': 'middle', class: 'value' },
          String(totals[i]),
        ),
      );
  });
  if (marker != null) {
    const mx = m.l + bw * marker.index;
    svg.append(s('line', { x1: mx, x2: mx, y1: m.t, y2: height - m.b, class: 'marker' }));
    svg.append(s('text', { x: mx + 4, y: m.t + 10, class: 'marker-text' }, marker.label));
  }
  const lg = s('g', { class: 'legend' });
  let lx = m.l;
  for (const se of series) {
    lg.append(s('rect', { x: lx, y: height - 14, width: 10, height: 10, fill: se.color, rx: 2 }));
    lg.append(s('text', { x: lx + 15, y: height - 5, class: 'legend-text' }, se.name));
    lx += 34 + se.name.length * 7;
  }
  svg.append(lg);
  return svg;
}

/** Response-time buckets (business seconds), upper bounds exclusive; the last is open. */
export const TIME_BUCKETS = Object.freeze([
  { label: '< 15m', max: 900 },
  { label: '15–30m', max: 1800 },
  { label: '30m–1h', max: 3600 },
  { label: '1–2h', max: 7200 },
  { label: '2–4h', max: 14400 },
  { label: '4–8h', max: 28800 },
  { label: '8–24h', max: 86400 },
  { label: '1–2d', max: 172800 },
  { label: '≥ 2d', max: Infinity },
]);

/**
 * The bucket index of a duration in seconds.
 * @param {number} seconds
 */
export function bucketOf(seconds) {
  return TIME_BUCKETS.findIndex((b) => seconds < b.max);
}
