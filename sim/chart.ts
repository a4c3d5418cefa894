import type { DayFigures, SimulationResult } from './run.ts'
import { CHANNELS } from './shop-year.ts'
import type { SimChannel } from './shop-year.ts'

/**
 * The year in one SVG, written by hand (no charting dependency): contacts whose data Odoo holds,
 * per channel; contacts due and redacted per day; open requests and how close the tightest one is
 * to its legal deadline.
 */

const WIDTH = 960
const PANEL = 210
const GAP = 56
const LEFT = 64
const RIGHT = 64
const TOP = 48
const COLORS: Record<SimChannel, string> = { amazon: '#ff9900', tiktok_shop: '#111111', etsy: '#f1641e', shopify: '#5e8e3e', ebay: '#0064d2', bol: '#0000a4', other: '#888888' }

export function renderChart(result: SimulationResult): string {
  const days = result.days
  const height = TOP + 3 * PANEL + 2 * GAP + 40
  const x = (i: number) => LEFT + (days.length <= 1 ? 0 : (i / (days.length - 1)) * (WIDTH - LEFT - RIGHT))
  const parts: string[] = []
  const { figures } = result
  parts.push(text(LEFT, 22, `${days.length} simulated days: ${figures.orders.toLocaleString('en')} orders, ${figures.contacts.toLocaleString('en')} contacts, ${figures.redactions.toLocaleString('en')} redactions, ${figures.requests} requests, violations: ${figures.violations} (seed ${result.options.seed}, from ${result.options.start})`, 14, 'bold'))

  // 1. Contacts holding personal data in Odoo, per channel of their latest order.
  const top1 = TOP
  const pii = (d: DayFigures) => CHANNELS.reduce((sum, c) => sum + d.piiContacts[c], 0)
  const max1 = niceMax(Math.max(1, ...days.map(pii)))
  parts.push(panel(top1, 'Contacts whose data Odoo holds, by channel (stacked)', max1, days, x))
  let below = days.map(() => 0)
  for (const channel of CHANNELS) {
    const above = days.map((d, i) => (below[i] as number) + d.piiContacts[channel])
    parts.push(area(days.map((_, i) => x(i)), below, above, top1, max1, COLORS[channel]))
    below = above
  }
  parts.push(legend(CHANNELS.map((c) => [c, COLORS[c]]), top1))

  // 2. Contacts due (by their due date, as the oracle computes it) and redacted, per day.
  const top2 = top1 + PANEL + GAP
  const max2 = niceMax(Math.max(1, ...days.map((d) => Math.max(d.due, d.redacted))))
  parts.push(panel(top2, 'Contacts due (oracle) and redacted, per day', max2, days, x))
  const barWidth = Math.max(1, (WIDTH - LEFT - RIGHT) / Math.max(1, days.length) - 0.5)
  days.forEach((d, i) => {
    const h = (d.due / max2) * PANEL
    if (h > 0) parts.push(`<rect x="${fmt(x(i) - barWidth / 2)}" y="${fmt(top2 + PANEL - h)}" width="${fmt(barWidth)}" height="${fmt(h)}" fill="#9ecae1"/>`)
  })
  parts.push(line(days.map((d, i) => [x(i), top2 + PANEL - (d.redacted / max2) * PANEL]), '#d62728', 1.2))
  parts.push(legend([['due', '#9ecae1'], ['redacted (retention and erasure)', '#d62728']], top2))
  for (const [k, incident] of result.incidents.entries()) {
    const i = days.findIndex((d) => d.date === incident.date)
    if (i < 0) continue
    parts.push(`<line x1="${fmt(x(i))}" x2="${fmt(x(i))}" y1="${top2 + 24}" y2="${top2 + PANEL}" stroke="#756bb1" stroke-dasharray="2 2"/>`, text(x(i) + 3, top2 + 36 + (k % 3) * 12, incident.what, 9))
  }

  // 3. Open requests, and days left before the tightest legal deadline among them.
  const top3 = top2 + PANEL + GAP
  const max3 = niceMax(Math.max(1, ...days.map((d) => d.openRequests)))
  const slack = days.map((d) => d.tightestDeadlineDays)
  const maxSlack = niceMax(Math.max(31, ...slack.filter((s): s is number => s !== null)))
  parts.push(panel(top3, 'Open requests (bars) and days left before the nearest legal deadline (line; 0 = late)', max3, days, x))
  days.forEach((d, i) => {
    const h = (d.openRequests / max3) * PANEL
    if (h > 0) parts.push(`<rect x="${fmt(x(i) - barWidth / 2)}" y="${fmt(top3 + PANEL - h)}" width="${fmt(barWidth)}" height="${fmt(h)}" fill="#c7e9c0"/>`)
  })
  const slackY = (s: number) => top3 + PANEL - (Math.max(0, s) / maxSlack) * PANEL
  const segments: [number, number][][] = [[]]
  slack.forEach((s, i) => (s === null ? segments.push([]) : segments[segments.length - 1]?.push([x(i), slackY(s)])))
  for (const segment of segments) if (segment.length > 0) parts.push(line(segment, '#31a354', 1.4))
  for (let v = 0; v <= maxSlack; v += maxSlack / 4) parts.push(text(WIDTH - RIGHT + 6, slackY(v) + 4, `${Math.round(v)} d`, 10))
  parts.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${fmt(slackY(0))}" y2="${fmt(slackY(0))}" stroke="#d62728" stroke-dasharray="4 3"/>`)

  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="#ffffff"/>\n${parts.join('\n')}\n</svg>\n`
}

function panel(top: number, title: string, max: number, days: readonly DayFigures[], x: (i: number) => number): string {
  const out = [text(LEFT, top - 8, title, 12, 'bold'), `<rect x="${LEFT}" y="${top}" width="${WIDTH - LEFT - RIGHT}" height="${PANEL}" fill="none" stroke="#cccccc"/>`]
  for (let k = 0; k <= 4; k++) {
    const y = top + PANEL - (k / 4) * PANEL
    out.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${fmt(y)}" y2="${fmt(y)}" stroke="#eeeeee"/>`, text(LEFT - 6, y + 4, Math.round((k / 4) * max).toLocaleString('en'), 10, 'normal', 'end'))
  }
  days.forEach((d, i) => {
    if (d.date.endsWith('-01')) out.push(`<line x1="${fmt(x(i))}" x2="${fmt(x(i))}" y1="${top}" y2="${top + PANEL}" stroke="#dddddd"/>`, text(x(i) + 2, top + PANEL + 14, d.date.slice(0, 7), 10))
    if (d.date.endsWith('-02-29')) out.push(`<line x1="${fmt(x(i))}" x2="${fmt(x(i))}" y1="${top + PANEL}" y2="${top + PANEL + 4}" stroke="#333333"/>`, text(x(i), top + PANEL + 26, '29 Feb', 9, 'normal', 'middle'))
  })
  return out.join('\n')
}

function area(xs: number[], below: number[], above: number[], top: number, max: number, color: string): string {
  const y = (v: number) => top + PANEL - (v / max) * PANEL
  const upper = xs.map((x, i) => `${fmt(x)},${fmt(y(above[i] as number))}`)
  const lower = xs.map((x, i) => `${fmt(x)},${fmt(y(below[i] as number))}`).reverse()
  return `<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" fill-opacity="0.75" stroke="none"/>`
}

function line(points: [number, number][], color: string, width: number): string {
  return `<polyline points="${points.map(([x, y]) => `${fmt(x)},${fmt(y)}`).join(' ')}" fill="none" stroke="${color}" stroke-width="${width}"/>`
}

function legend(entries: [string, string][], top: number): string {
  let x = LEFT + 8
  return entries
    .map(([label, color]) => {
      const item = `<rect x="${fmt(x)}" y="${top + 8}" width="10" height="10" fill="${color}"/>${text(x + 14, top + 17, label, 10)}`
      x += 24 + label.length * 6
      return item
    })
    .join('')
}

function text(x: number, y: number, content: string, size: number, weight = 'normal', anchor = 'start'): string {
  return `<text x="${fmt(x)}" y="${fmt(y)}" font-size="${size}" font-weight="${weight}" text-anchor="${anchor}">${escapeXml(content)}</text>`
}

function niceMax(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value))
  return [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((m) => m >= value) ?? value
}

function fmt(n: number): string {
  return String(Math.round(n * 10) / 10)
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
