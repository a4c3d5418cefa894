import type { Session } from '../app.tsx'
import { attempt } from '../api.ts'
import type { ApiSchema } from '../api.ts'
import { useAction, useLoad } from '../components/use-load.ts'
import type { Loaded } from '../components/use-load.ts'
import { ActionFeedback } from '../components/feedback.tsx'
import { Empty, LoadStatus, Loading, ProblemNotice } from '../components/status.tsx'
import { LineChart } from '../components/chart.tsx'
import { When } from '../components/deadline.tsx'
import { CHANNEL_LABELS, count, dateTime, dayUtc, label } from '../format.ts'

type Report = ApiSchema<'RetentionReport'>
type Figures = Report['channels'][number]
type Backlog = ApiSchema<'RedactionBacklog'>
type Channel = Figures['channel']

const COLUMNS: { key: keyof Omit<Figures, 'channel'>; label: string }[] = [
  { key: 'contactsWithPii', label: 'Contacts holding PII' },
  { key: 'ordersWithPii', label: 'Orders holding PII' },
  { key: 'dueNext7Days', label: 'Due in 7 days' },
  { key: 'overdue', label: 'Overdue (must be 0)' },
  { key: 'redacted', label: 'Redacted' },
  { key: 'onHold', label: 'On hold' },
  { key: 'failed', label: 'Failed' },
  { key: 'awaitingApproval', label: 'Backlog awaiting approval' }
]

export function Dashboard({ session }: { session: Session }) {
  const [report, reloadReport] = useLoad(() => attempt(() => session.api.GET('/v1/retention/report')), [])
  const [backlog, reloadBacklog] = useLoad(() => attempt(() => session.api.GET('/v1/retention/backlog')), [])
  const [history] = useLoad(() => attempt(() => session.api.GET('/v1/retention/history', { params: { query: {} } })), [])
  const [stats] = useLoad(() => attempt(() => session.api.GET('/v1/requests/stats', { params: { query: { weeks: 12 } } })), [])
  const reload = () => {
    reloadReport()
    reloadBacklog()
  }

  return (
    <>
      <h1 tabIndex={-1}>Compliance</h1>
      <section aria-labelledby="report-heading">
        <h2 id="report-heading">Personal data per channel</h2>
        <LoadStatus loaded={report} what="the retention report" />
        {report.state === 'ready' && <ReportTable report={report.data} />}
      </section>
      <section aria-labelledby="backlog-heading">
        <h2 id="backlog-heading">Backlog awaiting approval</h2>
        <BacklogPanel session={session} backlog={backlog} onApproved={reload} />
      </section>
      <section aria-labelledby="charts-heading">
        <h2 id="charts-heading">Over time</h2>
        <div class="charts">
          <PiiChart history={history} />
          <RequestsChart stats={stats} />
        </div>
      </section>
    </>
  )
}

function ReportTable({ report }: { report: Report }) {
  const totals = Object.fromEntries(COLUMNS.map(({ key }) => [key, report.channels.reduce((sum, c) => sum + c[key], 0)])) as Record<keyof Omit<Figures, 'channel'>, number>
  return (
    <>
      <p class={totals.overdue === 0 ? 'ok' : 'bad'} role="status" data-testid="overdue-status">
        {totals.overdue === 0 ? 'Overdue: 0. Every contact due is redacted, on hold or not due yet.' : `Overdue: ${count(totals.overdue)} contacts past their due date and not redacted. This must be 0${totals.awaitingApproval > 0 ? `; ${count(totals.awaitingApproval)} of them wait for an admin to approve the backlog` : ''}.`}
      </p>
      {report.blockedBy && (
        <p class="problem" role="alert">
          Redaction is blocked: the Odoo user lacks rights it needs ({JSON.stringify(report.blockedBy)}). Due contacts stay due until they are granted (`privacy-bridge odoo setup`).
        </p>
      )}
      {report.deadLettered > 0 && <p class="warning">{count(report.deadLettered)} redaction jobs exhausted their retries (dead-lettered).</p>}
      <div class="table-scroll">
        <table class="figures" data-testid="report">
          <caption>
            As of <When at={report.asOf} />
          </caption>
          <thead>
            <tr>
              <th scope="col">Channel</th>
              {COLUMNS.map((column) => (
                <th scope="col" key={column.key} class="num">
                  {column.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.channels.map((figures) => (
              <tr key={figures.channel} data-channel={figures.channel}>
                <th scope="row">{label(CHANNEL_LABELS, figures.channel)}</th>
                {COLUMNS.map(({ key }) => (
                  <td key={key} class={key === 'overdue' && figures.overdue > 0 ? 'num bad' : 'num'} data-figure={key}>
                    {count(figures[key])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-channel="total">
              <th scope="row">All channels</th>
              {COLUMNS.map(({ key }) => (
                <td key={key} class="num" data-figure={key}>
                  {count(totals[key])}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      <p class="muted">A contact on orders of several channels counts in each of them, and in the total once per channel.</p>
    </>
  )
}

function BacklogPanel({ session, backlog, onApproved }: { session: Session; backlog: Loaded<Backlog>; onApproved: () => void }) {
  const [action, perform] = useAction()
  if (backlog.state === 'loading') return <Loading what="the backlog" />
  if (backlog.state === 'failed') return <ProblemNotice problem={backlog.problem} />
  const { channels, approval } = backlog.data
  const waiting = channels.reduce((sum, c) => sum + c.contacts, 0)
  const approve = async (only?: Channel) => {
    const ok = await perform(
      () => attempt(() => session.api.POST('/v1/retention/backlog/approve', { body: only ? { channels: [only] } : {} })),
      (data) => `Approved: ${Object.entries(data.approved).map(([channel, n]) => `${count(n)} on ${label(CHANNEL_LABELS, channel)}`).join(', ') || 'nothing'}; ${count(data.queued)} redactions queued.`
    )
    if (ok) onApproved()
  }
  const admin = session.me.role === 'admin'
  return (
    <>
      <ActionFeedback action={action} />
      <p class="muted">
        Contacts already past due when they were planned wait here before anything is redacted (RETENTION_BACKLOG_APPROVAL: {String(approval)}). Redaction in Odoo cannot be undone.
      </p>
      {channels.length === 0 ? (
        <Empty>Nothing waits for approval.</Empty>
      ) : (
        <>
          <ul class="cards">
            {channels.map((c) => (
              <li key={c.channel} class="card" data-backlog={c.channel}>
                <h3>{label(CHANNEL_LABELS, c.channel)}</h3>
                <p>
                  <strong>{count(c.contacts)}</strong> contacts waiting since {dateTime(c.since)}; the oldest was due on {dateTime(c.oldestDueAt)}.
                </p>
                <p class="muted">Made due by {c.rules.map((r) => `policy version ${String(r.policyVersion)}, clock ${r.startedBy.replaceAll('_', ' ')} (${count(r.contacts)})`).join('; ')}.</p>
                <p class="muted">For example: {c.sample.map((s) => `${s.name ?? `contact ${String(s.partnerId)}`}, due ${dayUtc(s.dueAt)}`).join('; ')}.</p>
                {admin && (
                  <button type="button" class="secondary" disabled={action.state === 'busy'} onClick={() => void approve(c.channel)}>
                    Approve redaction of {count(c.contacts)} contacts on {label(CHANNEL_LABELS, c.channel)}
                  </button>
                )}
              </li>
            ))}
          </ul>
          {admin && channels.length > 1 && (
            <button type="button" disabled={action.state === 'busy'} onClick={() => void approve()}>
              Approve redaction of all {count(waiting)} contacts
            </button>
          )}
        </>
      )}
    </>
  )
}

function PiiChart({ history }: { history: Loaded<ApiSchema<'RetentionHistory'>> }) {
  if (history.state === 'loading') return <Loading what="the daily history" />
  if (history.state === 'failed') return <ProblemNotice problem={history.problem} />
  const { days } = history.data
  if (days.length === 0) return <Empty>No daily snapshot yet: the service keeps one a day (RETENTION_SNAPSHOT_CRON), and the chart starts with the first.</Empty>
  const channels = [...new Set(days.flatMap((d) => d.channels.filter((c) => c.contactsWithPii > 0).map((c) => c.channel)))]
  return (
    <LineChart
      title={`Contacts holding PII per channel, ${dayUtc(history.data.from)} to ${dayUtc(history.data.to)} (UTC days)`}
      yLabel="contacts"
      x={days.map((d) => Date.parse(d.day) / 1000)}
      xLabels={days.map((d) => dayUtc(d.day))}
      series={channels.map((channel) => ({ label: label(CHANNEL_LABELS, channel), values: days.map((d) => d.channels.find((c) => c.channel === channel)?.contactsWithPii ?? null) }))}
    />
  )
}

function RequestsChart({ stats }: { stats: Loaded<ApiSchema<'RequestStats'>> }) {
  if (stats.state === 'loading') return <Loading what="the weekly figures" />
  if (stats.state === 'failed') return <ProblemNotice problem={stats.problem} />
  const { weeks } = stats.data
  return (
    <LineChart
      title="Rights requests per week (ISO weeks, UTC)"
      yLabel="requests"
      x={weeks.map((w) => Date.parse(w.startsAt) / 1000)}
      xLabels={weeks.map((w) => `${w.week} (from ${dayUtc(w.startsAt)})`)}
      series={[
        { label: 'Opened', values: weeks.map((w) => w.opened) },
        { label: 'Closed', values: weeks.map((w) => w.closed) },
        { label: 'Gone overdue', values: weeks.map((w) => w.overdue) }
      ]}
    />
  )
}
