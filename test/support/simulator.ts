import type { Test } from 'tap'
import { startOdooSimulator } from '../odoo-simulator/index.ts'
import type { OdooSimulator, SimulatorOptions } from '../odoo-simulator/index.ts'

/** A simulator for one test, closed when the test ends. */
export async function simulator(t: Test, options: SimulatorOptions = {}): Promise<OdooSimulator> {
  const sim = await startOdooSimulator(options)
  t.teardown(() => sim.close())
  return sim
}
