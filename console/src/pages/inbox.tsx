import { useState } from 'preact/hooks'
import type { Session } from '../app.tsx'
import { attempt } from '../api.ts'
import type { ApiSchema } from '../api.ts'
import type { Route } from '../router.ts'
import { href } from '../router.ts'
import { useLoad } from '../components/use-load.ts'
import { Empty, LoadStatus } from '../components/status.tsx'
import { Countdown, When } from '../components/deadline.tsx'
import { dateTime, dateTimeUtc, label, STATE_LABELS, TYPE_LABELS, VIEWER_ZONE } from '../format.ts'

type Request = ApiSchema<'RightsRequest'>
type Filter = 'open' | 'due7' | 'overdue' | 'unclassified' | 'approval'

const WEEK_MS = 7 * 86_400_000
const OPEN_STATES = new Set(['received', 'awaiting_verification', 'verified', 'in_progress'])

// Every filter lists open requests, soonest deadline first (`sort=due`).
const FILTERS: Record<Filter, { label: string; empty: string; query: () => { open?: 'true'; overdue?: 'true'; type?: 'unclassified'; awaiting_approval?: 'true'; due_before?: string } }> = {
  open: { label: 'Open', empty: 'No open request.', query: () => ({ open: 'true' }) },
  due7: { label: 'Due within 7 days', empty: 'Nothing is due within 7 days.', query: () => ({ open: 'true', due_before: new Date(Date.now() + WEEK_MS).toISOString() }) },
  overdue: { label: 'Overdue', empty: 'No request is overdue.', query: () => ({ overdue: 'true' }) },
  unclassified: { label: 'Unclassified', empty: 'No e-mail waits for its type.', query: () => ({ open: 'true', type: 'unclassified' }) },
  approval: { label: 'Awaiting approval', empty: "No action waits for a second person's approval.", query: () => ({ open: 'true', awaiting_approval: 'true' }) }
}

function isFilter(value: string): value is Filter {
  return Object.hasOwn(FILTERS, value)
}

export function Inbox({ session, route }: { session: Session; route: Route }) {
  const filter = route.query.get('filter') ?? 'open'
  const chosen = isFilter(filter) ? FILTERS[filter] : FILTERS.open
  const [more, setMore] = useState<{ items: Request[]; cursor: string | null; loading: boolean }>({ items: [], cursor: null, loading: false })
  const [page] = useLoad(() => {
    setMore({ items: [], cursor: null, loading: false })
    return attempt(() => session.api.GET('/v1/requests', { params: { query: { ...chosen.query(), sort: 'due', limit: 50 } } }))
  }, [filter])

  const loadMore = async (after: string) => {
    setMore((m) => ({ ...m, loading: true }))
    const outcome = await attempt(() => session.api.GET('/v1/requests', { params: { query: { ...chosen.query(), sort: 'due', limit: 50, after } } }))
    if (outcome.ok) setMore((m) => ({ items: [...m.items, ...outcome.data.items], cursor: outcome.data.nextCursor, loading: false }))
    else setMore((m) => ({ ...m, loading: false }))
  }

  return (
    <>
      <h1 tabIndex={-1}>{session.me.role === 'auditor' ? 'Requests' : 'Inbox'}</h1>
      <nav aria-label="Filters" class="filters">
        <ul>
          {(Object.keys(FILTERS) as Filter[]).map((key) => (
            <li key={key}>
              <a href={href(['inbox'], { filter: key })} aria-current={key === filter ? 'page' : undefined}>
                {FILTERS[key].label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <LoadStatus loaded={page} what="requests" />
      {page.state === 'ready' &&
        (page.data.items.length === 0 ? (
          <Empty>{chosen.empty}</Empty>
        ) : (
          <>
            <RequestTable items={[...page.data.items, ...more.items]} caption={`${chosen.label}, soonest deadline first`} />
            {(more.items.length > 0 ? more.cursor : page.data.nextCursor) && (
              <button type="button" disabled={more.loading} onClick={() => void loadMore((more.items.length > 0 ? more.cursor : page.data.nextCursor) as string)}>
                {more.loading ? 'Loading…' : 'Show more'}
              </button>
            )}
          </>
        ))}
    </>
  )
}

function RequestTable({ items, caption }: { items: Request[]; caption: string }) {
  return (
    <div class="table-scroll">
      <table class="inbox">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Request</th>
            <th scope="col">Type</th>
            <th scope="col">State</th>
            <th scope="col">Received</th>
            <th scope="col">
              Deadline <span class="muted">({VIEWER_ZONE})</span>
            </th>
            <th scope="col">Time left</th>
            <th scope="col">Notes</th>
          </tr>
        </thead>
        <tbody>
          {items.map((request) => (
            <tr key={request.id} class={request.overdue ? 'overdue' : undefined} data-request={request.id}>
              <th scope="row">
                <a href={href(['requests', request.id])}>{request.id}</a>
              </th>
              <td>{label(TYPE_LABELS, request.type)}</td>
              <td>{label(STATE_LABELS, request.state)}</td>
              <td>
                <When at={request.receivedAt} />
              </td>
              <td>
                <time dateTime={request.dueAt} title={dateTimeUtc(request.dueAt)}>
                  {dateTime(request.dueAt)}
                </time>
                <span class="sub">{dateTimeUtc(request.dueAt)}</span>
              </td>
              <td>
                <Countdown due={request.dueAt} open={OPEN_STATES.has(request.state)} />
              </td>
              <td>{notes(request)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function notes(request: Request): string {
  const notes: string[] = []
  if (request.approval) notes.push(`${request.approval.action === 'fulfil' ? 'Fulfilment' : 'Manual verification'} awaits approval`)
  if (request.type === 'unclassified') notes.push('needs its type')
  if (request.extension) notes.push('extended')
  if (request.source === 'email') notes.push('by e-mail')
  return notes.join('; ')
}
