import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { count } from '../format.ts'

export interface Series {
  label: string
  values: (number | null)[]
}

const DAY_SECONDS = 86_400
// The days of the service's snapshots and weeks are UTC days.
const axisDay = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' })

// Distinguishable on white and for the common colour-vision deficiencies (Okabe–Ito).
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000']

/**
 * A line chart drawn by uPlot on a canvas, with its own legend and the same figures as a table
 * for screen readers and keyboards (the canvas is hidden from them).
 */
export function LineChart(props: { title: string; xLabels: string[]; x: number[]; series: Series[]; yLabel: string }) {
  const canvasHost = useRef<HTMLDivElement>(null)
  const { x, series, yLabel } = props
  // Drawn again only when the figures change, not on every render of the page.
  const figures = JSON.stringify([x, series, yLabel])
  useEffect(() => {
    const host = canvasHost.current
    if (!host) return
    const plot = new uPlot(
      {
        width: Math.max(320, host.clientWidth),
        height: 260,
        legend: { show: false },
        // Ticks at UTC midnights: the snapshots' days and the ISO weeks are UTC days.
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        cursor: { drag: { x: false, y: false } },
        scales: {
          // A single day still gets a readable axis: a day either side of it.
          x: { time: true, range: (_u, min, max) => (min === max ? [min - DAY_SECONDS, max + DAY_SECONDS] : [min, max]) },
          y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] }
        },
        axes: [{ values: (_u, splits) => splits.map((s) => axisDay.format(new Date(s * 1000))) }, { label: yLabel, size: 60 }],
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2, points: { show: true, size: 5 } }))]
      },
      [x, ...series.map((s) => s.values)],
      host
    )
    return () => { plot.destroy(); }
  }, [figures])

  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={canvasHost} class="chart-canvas" aria-hidden="true" />
      <ul class="legend" aria-hidden="true">
        {series.map((s, i) => (
          <li key={s.label}>
            <span class="swatch" style={{ backgroundColor: COLOURS[i % COLOURS.length] }} />
            {s.label}
          </li>
        ))}
      </ul>
      <details>
        <summary>The figures as a table</summary>
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Date</th>
                {series.map((s) => (
                  <th scope="col" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.xLabels.map((xLabel, row) => (
                <tr key={xLabel}>
                  <th scope="row">{xLabel}</th>
                  {series.map((s) => (
                    <td key={s.label} class="num">
                      {s.values[row] === null || s.values[row] === undefined ? '—' : count(s.values[row])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  )
}
