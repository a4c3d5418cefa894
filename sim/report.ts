import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SimulationResult } from './run.ts'
import { renderChart } from './chart.ts'

/** Writes `sim-report.json` and `sim-chart.svg` into `dir`; returns their paths. */
export async function writeReport(result: SimulationResult, dir: string): Promise<{ json: string; svg: string }> {
  await mkdir(dir, { recursive: true })
  const json = join(dir, 'sim-report.json')
  const svg = join(dir, 'sim-chart.svg')
  await writeFile(json, `${JSON.stringify(result, null, 2)}\n`)
  await writeFile(svg, renderChart(result))
  return { json, svg }
}
