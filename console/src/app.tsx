import { useEffect, useRef, useState } from 'preact/hooks'
import type { JSX } from 'preact'
import { apiClient, attempt, whenUnauthorized } from './api.ts'
import type { Me, Problem, Role } from './api.ts'
import type { PrivacyBridgeClient } from '../../src/client/index.ts'
import { forgetKey, storedKey, storeKey } from './session.ts'
import { href, navigate, useRoute } from './router.ts'
import type { Route } from './router.ts'
import { VIEWER_ZONE } from './format.ts'
import { Loading } from './components/status.tsx'
import { SignIn } from './pages/sign-in.tsx'
import { Inbox } from './pages/inbox.tsx'
import { RequestPage } from './pages/request.tsx'
import { Dashboard } from './pages/dashboard.tsx'
import { Holds } from './pages/holds.tsx'
import { Policies } from './pages/policies.tsx'
import { SyncRuns } from './pages/sync-runs.tsx'
import { AuditTrail } from './pages/audit.tsx'
import { ApiKeys } from './pages/api-keys.tsx'

/** What a signed-in page gets: the typed client with the tab's key, and who holds the key. */
export interface Session {
  api: PrivacyBridgeClient
  me: Me
}

interface Page {
  path: string
  label: string
  roles: readonly Role[]
  render: (session: Session, route: Route) => JSX.Element
}

// The menus follow the key's role, as the API's roles do (README, "Who can call what").
const PAGES: readonly Page[] = [
  { path: 'inbox', label: 'Inbox', roles: ['agent', 'admin', 'auditor'], render: (session, route) => <Inbox session={session} route={route} /> },
  { path: 'dashboard', label: 'Compliance', roles: ['admin', 'auditor'], render: (session) => <Dashboard session={session} /> },
  { path: 'holds', label: 'Holds', roles: ['admin', 'auditor'], render: (session) => <Holds session={session} /> },
  { path: 'policies', label: 'Policies', roles: ['admin', 'auditor'], render: (session) => <Policies session={session} /> },
  { path: 'sync', label: 'Sync runs', roles: ['admin', 'auditor'], render: (session) => <SyncRuns session={session} /> },
  { path: 'audit', label: 'Audit trail', roles: ['admin', 'auditor'], render: (session) => <AuditTrail session={session} /> },
  { path: 'keys', label: 'API keys', roles: ['admin'], render: (session) => <ApiKeys session={session} /> }
]

const HOME: Record<Role, string> = { agent: 'inbox', admin: 'dashboard', auditor: 'dashboard' }

type SignedIn = { state: 'signed-out'; reason?: string } | { state: 'checking' } | { state: 'signed-in'; session: Session } | { state: 'failed'; session: null; problem: Problem }

export function App() {
  const [signedIn, setSignedIn] = useState<SignedIn>(() => (storedKey() ? { state: 'checking' } : { state: 'signed-out' }))
  const route = useRoute()

  const signOut = (reason?: string) => {
    forgetKey()
    setSignedIn({ state: 'signed-out', reason })
  }
  // A key refused while signed in (revoked meanwhile) leads back to the sign-in; on the sign-in page itself the problem says it.
  const isSignedIn = useRef(false)
  isSignedIn.current = signedIn.state === 'signed-in'
  useEffect(() => {
    whenUnauthorized(() => {
      if (isSignedIn.current) signOut('The key was refused (revoked or unknown): sign in again.')
    })
  }, [])

  // After a reload the key is still in this tab: ask again whose it is.
  useEffect(() => {
    const key = storedKey()
    if (signedIn.state !== 'checking' || !key) return
    const api = apiClient(key)
    void attempt(() => api.GET('/v1/me')).then((outcome) => { setSignedIn(outcome.ok ? { state: 'signed-in', session: { api, me: outcome.data } } : { state: 'failed', session: null, problem: outcome.problem }); })
  }, [signedIn.state])

  // Each new page moves the focus to its heading, so keyboard and screen-reader users start there.
  const page = route.path[0] ?? ''
  useEffect(() => {
    document.querySelector<HTMLElement>('main h1')?.focus()
  }, [page, route.path[1], signedIn.state])

  if (signedIn.state === 'checking') return <main id="content"><Loading what="your key" /></main>
  if (signedIn.state !== 'signed-in') {
    return (
      <SignIn
        reason={signedIn.state === 'signed-out' ? signedIn.reason : undefined}
        problem={signedIn.state === 'failed' ? signedIn.problem : undefined}
        onSignIn={(key, me) => {
          storeKey(key)
          setSignedIn({ state: 'signed-in', session: { api: apiClient(key), me } })
          navigate([HOME[me.role]])
        }}
      />
    )
  }

  const { session } = signedIn
  const menu = PAGES.filter((p) => p.roles.includes(session.me.role))
  const current = page === 'requests' ? PAGES[0] : PAGES.find((p) => p.path === page)
  let content: JSX.Element
  if (page === '') content = <Redirect to={HOME[session.me.role]} />
  else if (page === 'requests' && route.path[1]) content = <RequestPage session={session} id={route.path[1]} />
  else if (current && current.roles.includes(session.me.role)) content = current.render(session, route)
  else if (current) content = <Refused what={current.label} role={session.me.role} />
  else content = <NotFound />

  return (
    <>
      <a class="skip-link" href="#content" onClick={skipToContent}>
        Skip to content
      </a>
      <header class="top">
        <p class="brand">Privacy desk</p>
        <nav aria-label="Main">
          <ul>
            {menu.map((p) => (
              <li key={p.path}>
                <a href={href([p.path])} aria-current={current === p ? 'page' : undefined}>
                  {session.me.role === 'auditor' && p.path === 'inbox' ? 'Requests' : p.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p class="who">
          {session.me.name} <span class="role">{session.me.role}</span>{' '}
          <button type="button" class="link" onClick={() => { signOut(); }}>
            Sign out
          </button>
        </p>
      </header>
      <main id="content" tabIndex={-1}>
        {content}
      </main>
      <footer>
        Times are in your time zone, {VIEWER_ZONE}. Legal deadlines are computed in UTC and shown in UTC as well.
      </footer>
    </>
  )
}

function skipToContent(event: Event) {
  event.preventDefault()
  document.getElementById('content')?.focus()
}

function Redirect({ to }: { to: string }) {
  useEffect(() => { navigate([to]); }, [to])
  return <Loading what="the page" />
}

function Refused({ what, role }: { what: string; role: string }) {
  return (
    <>
      <h1 tabIndex={-1}>{what}</h1>
      <p>This page is not for the {role} role: the key may not read it.</p>
    </>
  )
}

function NotFound() {
  return (
    <>
      <h1 tabIndex={-1}>No such page</h1>
      <p>
        <a href="#/">Back to the start</a>
      </p>
    </>
  )
}
