import type { Clock } from '../../src/clock.ts'

export interface ControlledClock extends Clock {
  set(at: string | Date): void
  advance(ms: number): void
}

/** A clock that moves only when the test moves it. */
export function fixedClock(start: string | Date): ControlledClock {
  let current = new Date(start)
  return {
    now: () => new Date(current),
    set: (at) => void (current = new Date(at)),
    advance: (ms) => void (current = new Date(current.getTime() + ms))
  }
}
