import type { SimulationResult } from './run.ts'

export function renderChart(result: SimulationResult): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><!-- ${result.days.length} days --></svg>\n`
}
