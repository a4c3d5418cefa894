import { TestClock } from 'pg-boss'
import type { Clock } from '../src/clock.ts'

/**
 * The one time of the simulation. The service, the Odoo simulator and pg-boss all read it: pg-boss
 * through its TestClock, which also makes PostgreSQL's `job_now()` answer the simulated time, so
 * job start times, retries and heartbeats are compared with simulated time, not the wall clock.
 */
export class SimClock implements Clock {
  readonly boss: TestClock
  #now: number

  constructor(start: Date) {
    this.#now = start.getTime()
    this.boss = new TestClock(start)
  }

  now(): Date {
    return new Date(this.#now)
  }

  get ms(): number {
    return this.#now
  }

  /** Moves time forward (never back) for everyone, PostgreSQL's job clock included. */
  async advanceTo(at: number): Promise<void> {
    if (at <= this.#now) return
    this.#now = at
    await this.boss.setTime(at)
  }
}
