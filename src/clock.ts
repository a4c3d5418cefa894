/** Time is a dependency: retention, deadlines and expiry are tested with a fixed clock. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }
