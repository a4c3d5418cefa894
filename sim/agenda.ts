/** What happens at one instant, in the order the harness runs an instant (see `run.ts`). */
export type Phase = 'shop' | 'people' | 'check'

interface Entry {
  at: number
  phase: number
  seq: number
  run: () => Promise<void> | void
}

const PHASES: Record<Phase, number> = { shop: 0, people: 1, check: 2 }

/** Things to do at simulated instants: a binary heap by time, then phase, then the order they were planned in. */
export class Agenda {
  readonly #heap: Entry[] = []
  #seq = 0

  at(at: number, phase: Phase, run: Entry['run']): void {
    this.#heap.push({ at, phase: PHASES[phase], seq: this.#seq++, run })
    this.#up(this.#heap.length - 1)
  }

  get next(): number | undefined {
    return this.#heap[0]?.at
  }

  /** Everything planned for the earliest instant, in order; what the entries plan for the same instant runs too. */
  take(at: number): Entry | undefined {
    const top = this.#heap[0]
    if (!top || top.at !== at) return undefined
    const last = this.#heap.pop() as Entry
    if (this.#heap.length > 0) {
      this.#heap[0] = last
      this.#down(0)
    }
    return top
  }

  #less(a: Entry, b: Entry): boolean {
    return a.at !== b.at ? a.at < b.at : a.phase !== b.phase ? a.phase < b.phase : a.seq < b.seq
  }

  #up(i: number): void {
    const heap = this.#heap
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.#less(heap[i] as Entry, heap[parent] as Entry)) break
      ;[heap[i], heap[parent]] = [heap[parent] as Entry, heap[i] as Entry]
      i = parent
    }
  }

  #down(i: number): void {
    const heap = this.#heap
    for (;;) {
      const left = 2 * i + 1
      const right = left + 1
      let smallest = i
      if (left < heap.length && this.#less(heap[left] as Entry, heap[smallest] as Entry)) smallest = left
      if (right < heap.length && this.#less(heap[right] as Entry, heap[smallest] as Entry)) smallest = right
      if (smallest === i) return
      ;[heap[i], heap[smallest]] = [heap[smallest] as Entry, heap[i] as Entry]
      i = smallest
    }
  }
}
