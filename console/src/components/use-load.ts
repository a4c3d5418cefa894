import { useCallback, useEffect, useState } from 'preact/hooks'
import type { Outcome, Problem } from '../api.ts'

export type Loaded<T> = { state: 'loading' } | { state: 'failed'; problem: Problem } | { state: 'ready'; data: T }

/** Loads on mount and whenever `deps` change; `reload` loads again (after an action). */
export function useLoad<T>(load: () => Promise<Outcome<T>>, deps: readonly unknown[]): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' })
  const [generation, setGeneration] = useState(0)
  useEffect(() => {
    let current = true
    void load().then((outcome) => {
      if (current) setLoaded(outcome.ok ? { state: 'ready', data: outcome.data } : { state: 'failed', problem: outcome.problem })
    })
    return () => {
      current = false
    }
  }, [...deps, generation])
  const reload = useCallback(() => { setGeneration((n) => n + 1); }, [])
  return [loaded, reload]
}

export type ActionState = { state: 'idle' } | { state: 'busy' } | { state: 'done'; message: string } | { state: 'failed'; problem: Problem }

/** One action of a page: busy while it runs, then what it did in words, or the problem. */
export function useAction(): [ActionState, <T>(run: () => Promise<Outcome<T>>, done: (data: T, status: number) => string) => Promise<boolean>] {
  const [action, setAction] = useState<ActionState>({ state: 'idle' })
  const perform = useCallback(async <T,>(run: () => Promise<Outcome<T>>, done: (data: T, status: number) => string) => {
    setAction({ state: 'busy' })
    const outcome = await run()
    setAction(outcome.ok ? { state: 'done', message: done(outcome.data, outcome.status) } : { state: 'failed', problem: outcome.problem })
    return outcome.ok
  }, [])
  return [action, perform]
}
