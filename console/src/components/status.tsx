import type { ComponentChildren } from 'preact'
import type { Problem } from '../api.ts'
import type { Loaded } from './use-load.ts'

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  )
}

/** What a load shows until it is ready: that it is loading, or its problem in words. */
export function LoadStatus({ loaded, what }: { loaded: Loaded<unknown> | { state: 'idle' }; what: string }) {
  if (loaded.state === 'loading') return <Loading what={what} />
  if (loaded.state === 'failed') return <ProblemNotice problem={loaded.problem} />
  return null
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>
}

/** A problem detail in words: what failed, why, which fields, and what the request allows instead. */
export function ProblemNotice({ problem }: { problem: Problem }) {
  return (
    <div class="problem" role="alert">
      <p>
        <strong>{problem.title}.</strong> {sentence(problem.detail)}
      </p>
      {problem.errors && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((error) => (
            <li key={error.path}>
              {fieldName(error.path)}: {error.message}
            </li>
          ))}
        </ul>
      )}
      {problem.allowed && <p>{problem.allowed.length > 0 ? `What the request allows now: ${problem.allowed.map((a) => a.replaceAll('_', ' ')).join(', ')}.` : 'The request allows no action now.'}</p>}
      {problem.requestId && <p class="muted">Reference for support: {problem.requestId}</p>}
    </div>
  )
}

function sentence(detail: string | undefined): string {
  if (!detail) return ''
  return /[.!?]$/.test(detail) ? detail : `${detail}.`
}

/** `body.changes.email` → "changes email". */
function fieldName(path: string): string {
  return path.replace(/^(body|querystring|params)\.?/, '').replaceAll('.', ' ') || 'the request'
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {children}
    </p>
  )
}
