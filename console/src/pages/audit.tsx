import { useState } from 'preact/hooks'
import type { Session } from '../app.tsx'
import { attempt } from '../api.ts'
import type { ApiSchema } from '../api.ts'
import { useLoad } from '../components/use-load.ts'
import { Empty, LoadStatus } from '../components/status.tsx'
import { When } from '../components/deadline.tsx'
import { count, VIEWER_ZONE } from '../format.ts'

type Entry = ApiSchema<'AuditEntry'>
type Check = ApiSchema<'AuditChainLastCheck'>['lastCheck']

const notAsked = { ok: true as const, status: 200, data: null }

/** The nightly check's verdict, from its audit entry. */
function LastCheck({ check }: { check: Check }) {
  if (check === null) return <p data-testid="last-check">Not checked yet: the service checks the whole chain every night at 03:17 UTC.</p>
  if (!check.ok)
    return (
      <p class="bad" role="alert" data-testid="last-check">
        Last check (<When at={check.at} />): broken at entry {check.brokenAt}. Entries were changed or removed behind the service's back.
      </p>
    )
  return (
    <p class="ok" data-testid="last-check">
      Last check (<When at={check.at} />): intact, {count(check.entries)} entries.
    </p>
  )
}

export function AuditTrail({ session }: { session: Session }) {
  const [lastCheck] = useLoad(() => attempt(() => session.api.GET('/v1/audit/verification')), [])
  // The whole chain is rehashed only when asked: its time grows with the trail.
  const [checkNow, setCheckNow] = useState(0)
  const [verdict] = useLoad(() => (checkNow === 0 ? Promise.resolve(notAsked) : attempt(() => session.api.GET('/v1/audit/verify'))), [checkNow])
  const [action, setAction] = useState('')
  const [filter, setFilter] = useState('')
  const [entries] = useLoad(() => attempt(() => session.api.GET('/v1/audit', { params: { query: { limit: 100, ...(filter ? { action: filter } : {}) } } })), [filter])
  const [more, setMore] = useState<{ items: Entry[]; cursor: number | null }>({ items: [], cursor: null })

  const loadMore = async (after: number) => {
    const outcome = await attempt(() => session.api.GET('/v1/audit', { params: { query: { limit: 100, after, ...(filter ? { action: filter } : {}) } } }))
    if (outcome.ok) setMore((m) => ({ items: [...m.items, ...outcome.data.items], cursor: outcome.data.nextCursor }))
  }
  const cursor = more.items.length > 0 ? more.cursor : entries.state === 'ready' ? entries.data.nextCursor : null

  return (
    <>
      <h1 tabIndex={-1}>Audit trail</h1>
      <section aria-labelledby="chain-heading">
        <h2 id="chain-heading">Hash chain</h2>
        <LoadStatus loaded={lastCheck} what="the last check" />
        {lastCheck.state === 'ready' && <LastCheck check={lastCheck.data.lastCheck} />}
        <button type="button" class="secondary" onClick={() => { setCheckNow((n) => n + 1); }}>
          Check the whole chain now
        </button>
        {checkNow > 0 && <LoadStatus loaded={verdict} what="the chain check" />}
        {verdict.state === 'ready' && verdict.data !== null &&
          (verdict.data.ok ? (
            <p class="ok" role="status" data-testid="chain-status">
              The chain is intact: {count(verdict.data.entries)} entries, each covering the one before.
            </p>
          ) : (
            <p class="bad" role="alert" data-testid="chain-status">
              The chain is broken at entry {verdict.data.brokenAt}: {verdict.data.reason}. Entries were changed or removed behind the service's back.
            </p>
          ))}
      </section>
      <section aria-labelledby="entries-heading">
        <h2 id="entries-heading">Entries, oldest first</h2>
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault()
            setMore({ items: [], cursor: null })
            setFilter(action.trim())
          }}
        >
          <label for="audit-action">Only the action</label>
          <input id="audit-action" placeholder="e.g. hold.created" value={action} onInput={(e) => { setAction(e.currentTarget.value); }} />
          <button type="submit" class="secondary">
            Filter
          </button>
        </form>
        <LoadStatus loaded={entries} what="audit entries" />
        {entries.state === 'ready' &&
          (entries.data.items.length === 0 ? (
            <Empty>No entry{filter ? ` for ${filter}` : ''}.</Empty>
          ) : (
            <div class="table-scroll">
              <table>
                <caption class="visually-hidden">Audit entries</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">When ({VIEWER_ZONE})</th>
                    <th scope="col">Who</th>
                    <th scope="col">What</th>
                    <th scope="col">On</th>
                    <th scope="col">Outcome</th>
                  </tr>
                </thead>
                <tbody>
                  {[...entries.data.items, ...more.items].map((entry) => (
                    <tr key={entry.id}>
                      <th scope="row">{entry.id}</th>
                      <td>
                        <When at={entry.at} />
                      </td>
                      <td>{entry.actor}</td>
                      <td>{entry.action}</td>
                      <td>{entry.subjectType ? `${entry.subjectType} ${entry.subjectId ?? ''}` : '—'}</td>
                      <td>{entry.outcome}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        {cursor !== null && (
          <button type="button" class="secondary" onClick={() => void loadMore(cursor)}>
            Show more
          </button>
        )}
      </section>
    </>
  )
}
