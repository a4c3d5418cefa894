import type { Session } from '../app.tsx'
import { attempt } from '../api.ts'
import { useAction, useLoad } from '../components/use-load.ts'
import { ActionFeedback } from '../components/feedback.tsx'
import { Empty, LoadStatus } from '../components/status.tsx'
import { When } from '../components/deadline.tsx'
import { count, VIEWER_ZONE } from '../format.ts'

export function SyncRuns({ session }: { session: Session }) {
  const [runs, reload] = useLoad(() => attempt(() => session.api.GET('/v1/sync/runs', { params: { query: { limit: 20 } } })), [])
  const [action, perform] = useAction()
  const start = async () => {
    if (await perform(() => attempt(() => session.api.POST('/v1/sync')), (run, status) => (status === 202 ? `Sync queued (run ${run.id}).` : `A sync is already ${run.state} (run ${run.id}).`))) reload()
  }
  return (
    <>
      <h1 tabIndex={-1}>Sync runs</h1>
      <p>Each run reads the orders, deliveries and contacts Odoo changed since the last, and plans their retention.</p>
      <ActionFeedback action={action} />
      <p>
        {session.me.role === 'admin' && (
          <>
            <button type="button" disabled={action.state === 'busy'} onClick={() => void start()}>
              Start a sync now
            </button>{' '}
          </>
        )}
        <button type="button" class="secondary" onClick={reload}>
          Refresh
        </button>
      </p>
      <LoadStatus loaded={runs} what="sync runs" />
      {runs.state === 'ready' &&
        (runs.data.items.length === 0 ? (
          <Empty>No sync has run yet.</Empty>
        ) : (
          <div class="table-scroll">
            <table>
              <caption class="visually-hidden">Sync runs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Queued ({VIEWER_ZONE})</th>
                  <th scope="col">State</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Finished</th>
                  <th scope="col" class="num">
                    Read
                  </th>
                  <th scope="col" class="num">
                    New
                  </th>
                  <th scope="col" class="num">
                    Updated
                  </th>
                  <th scope="col" class="num">
                    Failed
                  </th>
                  <th scope="col">Errors</th>
                </tr>
              </thead>
              <tbody>
                {runs.data.items.map((run) => (
                  <tr key={run.id} data-run={run.id}>
                    <th scope="row">
                      <When at={run.queuedAt} />
                    </th>
                    <td class={run.state === 'failed' ? 'bad' : undefined}>{run.state}</td>
                    <td>
                      {run.trigger} <span class="muted">by {run.requestedBy}</span>
                    </td>
                    <td>
                      <When at={run.finishedAt} />
                    </td>
                    <td class="num">{count(run.fetched)}</td>
                    <td class="num">{count(run.inserted)}</td>
                    <td class="num">{count(run.updated)}</td>
                    <td class="num">{count(run.failed)}</td>
                    <td>{run.errors.length === 0 ? 'none' : run.errors.map((e) => JSON.stringify(e)).join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </>
  )
}
