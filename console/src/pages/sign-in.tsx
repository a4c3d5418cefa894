import { useState } from 'preact/hooks'
import { apiClient, attempt } from '../api.ts'
import type { Me, Problem } from '../api.ts'
import { ProblemNotice } from '../components/status.tsx'

export function SignIn(props: { reason?: string | undefined; problem?: Problem | undefined; onSignIn: (key: string, me: Me) => void }) {
  const [key, setKey] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>(props.problem)

  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    const trimmed = key.trim()
    const outcome = await attempt(() => apiClient(trimmed).GET('/v1/me'))
    setBusy(false)
    if (outcome.ok) props.onSignIn(trimmed, outcome.data)
    else setProblem(outcome.problem)
  }

  return (
    <main id="content" class="sign-in">
      <h1 tabIndex={-1}>Privacy desk</h1>
      <p>Rights requests, retention and holds of the Odoo privacy bridge. Sign in with your own API key: the audit trail names the key behind every read and change.</p>
      {props.reason && <p class="notice" role="status">{props.reason}</p>}
      {problem && <ProblemNotice problem={problem} />}
      <form onSubmit={(event) => { void submit(event) }}>
        <label for="api-key">API key</label>
        <input id="api-key" name="api-key" type="password" autocomplete="off" spellcheck={false} required placeholder="pbk_…" value={key} onInput={(e) => { setKey(e.currentTarget.value); }} />
        <p class="hint" id="api-key-hint">
          Kept in this browser tab only (session storage), and forgotten when the tab closes.
        </p>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}
