// Small inline-SVG plots for the auditor dashboard: no library, no network. Each plot is an <svg>
// with axes, tick labels, a legend, and a <title> on every point (the browser shows it as a tooltip);
// the caller puts the same numbers in a table beside it for those who would rather read.

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 720, HEIGHT = 260, LEFT = 64, RIGHT = 16, TOP = 12, BOTTOM = 40;
export const PALETTE = ['#1a73e8', '#d93025', '#188038', '#e37400', '#9334e6', '#007b83', '#c5221f', '#5f6368', '#b06000', '#3949ab', '#00897b', '#6d4c41'];

function el(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

// About five round steps between lo and hi (1, 2 or 5 times a power of ten).
function ticks(lo, hi, count = 5) {
  if (hi <= lo) hi = lo + 1;
  const raw = (hi - lo) / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map(m => m * power).find(s => s >= raw);
  const values = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) values.push(Number(v.toPrecision(12)));
  return values;
}

export function formatTime(seconds) {
  return new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
}

// Axis labels: the time of day within two days, month-day and time beyond (the axis says UTC).
function formatTick(seconds, span) {
  const iso = new Date(seconds * 1000).toISOString();
  return span <= 2 * 86400 ? iso.slice(11, 16) : iso.slice(5, 16).replace('T', ' ');
}

function formatNumber(value) {
  if (Math.abs(value) >= 1e6) return (value / 1e6).toPrecision(3) + 'M';
  if (Math.abs(value) >= 1e3) return (value / 1e3).toPrecision(3) + 'k';
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}

/**
 * Draws series of {x, y} points (x: Unix seconds) as lines with dots, or as bars when options.bars.
 * @param {HTMLElement} container emptied, then given the svg
 * @param {{name: string, points: {x: number, y: number, label?: string}[]}[]} series
 * @param {{title: string, yLabel: string, bars?: boolean, yFormat?: (v: number) => string}} options
 */
export function timePlot(container, series, options) {
  container.replaceChildren();
  const points = series.flatMap(s => s.points);
  if (points.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent = 'Nothing in this window.';
    container.append(empty);
    return;
  }
  const yFormat = options.yFormat ?? formatNumber;
  let xMin = Math.min(...points.map(p => p.x)), xMax = Math.max(...points.map(p => p.x));
  if (xMax === xMin) { xMin -= 1800; xMax += 1800; }
  const yMax = Math.max(...points.map(p => p.y), 0) || 1;
  const yTicks = ticks(0, yMax);
  const yTop = Math.max(yMax, yTicks[yTicks.length - 1]);
  const x = v => LEFT + (v - xMin) / (xMax - xMin) * (WIDTH - LEFT - RIGHT);
  const y = v => HEIGHT - BOTTOM - v / yTop * (HEIGHT - TOP - BOTTOM);

  const svg = el('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': options.title, class: 'plot' });
  svg.append(el('title', {}, options.title));
  for (const t of yTicks) {
    svg.append(el('line', { x1: LEFT, x2: WIDTH - RIGHT, y1: y(t), y2: y(t), class: 'grid' }));
    svg.append(el('text', { x: LEFT - 6, y: y(t) + 4, 'text-anchor': 'end', class: 'tick' }, yFormat(t)));
  }
  const xTickCount = Math.min(6, Math.max(2, Math.round((xMax - xMin) / 3600) + 1));
  for (let i = 0; i < xTickCount; i++) {
    const t = xMin + (xMax - xMin) * i / (xTickCount - 1);
    svg.append(el('line', { x1: x(t), x2: x(t), y1: HEIGHT - BOTTOM, y2: HEIGHT - BOTTOM + 4, class: 'axis' }));
    svg.append(el('text', { x: x(t), y: HEIGHT - BOTTOM + 16, 'text-anchor': 'middle', class: 'tick' }, formatTick(t, xMax - xMin)));
  }
  svg.append(el('line', { x1: LEFT, x2: WIDTH - RIGHT, y1: HEIGHT - BOTTOM, y2: HEIGHT - BOTTOM, class: 'axis' }));
  svg.append(el('line', { x1: LEFT, x2: LEFT, y1: TOP, y2: HEIGHT - BOTTOM, class: 'axis' }));
  svg.append(el('text', { x: 14, y: (TOP + HEIGHT - BOTTOM) / 2, transform: `rotate(-90 14 ${(TOP + HEIGHT - BOTTOM) / 2})`, 'text-anchor': 'middle', class: 'label' }, options.yLabel));
  svg.append(el('text', { x: (LEFT + WIDTH - RIGHT) / 2, y: HEIGHT - 4, 'text-anchor': 'middle', class: 'label' }, `time (UTC), ${formatTime(xMin).slice(0, 10)} to ${formatTime(xMax).slice(0, 10)}`));

  const barWidth = Math.max(2, Math.min(24, (WIDTH - LEFT - RIGHT) / Math.max(1, points.length) / Math.max(1, series.length) - 2));
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    if (!options.bars && sorted.length > 1) {
      svg.append(el('polyline', { points: sorted.map(p => `${x(p.x)},${y(p.y)}`).join(' '), fill: 'none', stroke: color, 'stroke-width': 2 }));
    }
    for (const p of sorted) {
      const mark = options.bars
        ? el('rect', { x: x(p.x) - barWidth * series.length / 2 + i * barWidth, y: y(p.y), width: barWidth, height: Math.max(0, y(0) - y(p.y)), fill: color })
        : el('circle', { cx: x(p.x), cy: y(p.y), r: 3.5, fill: color });
      mark.append(el('title', {}, `${s.name} · ${p.label ?? formatTime(p.x)}: ${yFormat(p.y)}`));
      svg.append(mark);
    }
  });
  container.append(svg);

  const legend = document.createElement('ul');
  legend.className = 'legend';
  series.forEach((s, i) => {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = PALETTE[i % PALETTE.length];
    item.append(swatch, document.createTextNode(s.name));
    legend.append(item);
  });
  container.append(legend);
}

/** Hours from the window's first to its last, each with the series' count or zero: lines fall to zero where nothing happened. */
export function hourly(points, from, to, bucket) {
  const counts = new Map(points.map(p => [p.start, p.count]));
  const filled = [];
  for (let h = Math.floor(from / bucket) * bucket; h <= to; h += bucket) filled.push({ x: h, y: counts.get(h) ?? 0 });
  return filled;
}
