import { useEffect, useRef, useState } from 'preact/hooks'
import type { Session } from '../app.tsx'
import { attempt } from '../api.ts'
import type { ApiSchema } from '../api.ts'
import { useAction, useLoad } from '../components/use-load.ts'
import { ActionFeedback } from '../components/feedback.tsx'
import { LoadStatus } from '../components/status.tsx'
import { CHANNEL_LABELS, count, label } from '../format.ts'

type Policy = ApiSchema<'RetentionPolicy'>
type Rule = ApiSchema<'RetentionRule'>
type Preview = ApiSchema<'PolicyPreview'>
type Field = Rule['fields'][number]

const FIELDS: Field[] = ['name', 'street', 'street2', 'zip', 'city', 'email', 'phone', 'mobile']
const CLOCK_LABELS: Record<Rule['clockEvent'], string> = { order_date: 'the order date', shipped: 'the shipment', completed: 'completion' }

export function Policies({ session }: { session: Session }) {
  const [policies, reload] = useLoad(() => attempt(() => session.api.GET('/v1/retention/policies')), [])
  const [editing, setEditing] = useState<Policy['channel'] | null>(null)
  return (
    <>
      <h1 tabIndex={-1}>Retention policies</h1>
      <p>Per channel: the event that starts the clock, how many days the data is kept after it, and which contact fields are redacted. Saving a change recomputes every due date of the channel, earlier or later: preview it first.</p>
      <LoadStatus loaded={policies} what="policies" />
      {policies.state === 'ready' && (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">Retention policy per channel</caption>
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Redacted</th>
                <th scope="col">Fields</th>
                <th scope="col">Version</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {policies.data.items.map((policy) => (
                <tr key={policy.channel} data-policy={policy.channel}>
                  <th scope="row">{label(CHANNEL_LABELS, policy.channel)}</th>
                  <td>
                    {policy.periodDays === 0 ? 'at' : `${String(policy.periodDays)} days after`} {CLOCK_LABELS[policy.clockEvent]}
                  </td>
                  <td>{policy.fields.join(', ')}</td>
                  <td>{policy.version === 0 ? 'built-in default' : policy.version}</td>
                  <td>
                    <button type="button" class="secondary" aria-expanded={editing === policy.channel} onClick={() => { setEditing(editing === policy.channel ? null : policy.channel); }}>
                      {session.me.role === 'admin' ? 'Edit' : 'Try a change'} <span class="visually-hidden">{label(CHANNEL_LABELS, policy.channel)}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {policies.state === 'ready' && editing && (
        <PolicyEditor
          key={editing}
          session={session}
          policy={policies.data.items.find((p) => p.channel === editing) as Policy}
          onSaved={() => {
            reload()
          }}
        />
      )}
    </>
  )
}

function PolicyEditor({ session, policy, onSaved }: { session: Session; policy: Policy; onSaved: () => void }) {
  const [rule, setRule] = useState<Rule>({ clockEvent: policy.clockEvent, periodDays: policy.periodDays, fields: policy.fields })
  const [preview, setPreview] = useState<{ rule: string; data: Preview } | null>(null)
  const [action, perform] = useAction()
  const path = { params: { path: { channel: policy.channel } } }
  const previewed = preview !== null && preview.rule === JSON.stringify(rule)
  const admin = session.me.role === 'admin'
  // Opened from the table: the keyboard goes on in the editor.
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])

  const runPreview = () =>
    perform(
      () => attempt(() => session.api.POST('/v1/retention/policies/{channel}/preview', { ...path, body: rule })),
      (data) => {
        setPreview({ rule: JSON.stringify(rule), data })
        return 'Preview ready: nothing was changed.'
      }
    )
  const save = async () => {
    if (await perform(() => attempt(() => session.api.PUT('/v1/retention/policies/{channel}', { ...path, body: rule })), (saved) => `Saved as version ${String(saved.version)}: ${count(saved.recomputedOrders)} orders recomputed.`)) onSaved()
  }

  return (
    <section aria-labelledby="editor-heading" class="action">
      <h2 id="editor-heading" ref={heading} tabIndex={-1}>
        {label(CHANNEL_LABELS, policy.channel)}: a new policy
      </h2>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void runPreview()
        }}
      >
        <label for="clock-event">The clock starts at</label>
        <select id="clock-event" value={rule.clockEvent} onChange={(e) => { setRule({ ...rule, clockEvent: e.currentTarget.value as Rule['clockEvent'] }); }}>
          {(Object.keys(CLOCK_LABELS) as Rule['clockEvent'][]).map((event) => (
            <option key={event} value={event}>
              {CLOCK_LABELS[event]}
            </option>
          ))}
        </select>
        <label for="period-days">Days kept after it (0: at the event)</label>
        <input id="period-days" type="number" min={0} max={3650} required value={rule.periodDays} onInput={(e) => { setRule({ ...rule, periodDays: Number(e.currentTarget.value) }); }} />
        <fieldset>
          <legend>Fields redacted</legend>
          {FIELDS.map((field) => (
            <label class="check" key={field}>
              <input
                type="checkbox"
                checked={rule.fields.includes(field)}
                onChange={(e) => { setRule({ ...rule, fields: e.currentTarget.checked ? FIELDS.filter((f) => f === field || rule.fields.includes(f)) : rule.fields.filter((f) => f !== field) }); }}
              />{' '}
              {field}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={action.state === 'busy'}>
          Preview the change
        </button>{' '}
        {admin && (
          <button type="button" disabled={!previewed || action.state === 'busy'} onClick={() => void save()}>
            Save the policy
          </button>
        )}
        {admin && !previewed && <span class="muted"> Preview this rule before saving it.</span>}
      </form>
      <ActionFeedback action={action} />
      {preview && <PreviewTable preview={preview.data} stale={!previewed} />}
    </section>
  )
}

function PreviewTable({ preview, stale }: { preview: Preview; stale: boolean }) {
  const rows: [string, { current: number; proposed: number }][] = [
    ['Past due (redacted at once, or waiting in the backlog)', preview.dueNow],
    ['Due within 7 days', preview.dueNext7Days],
    ['Due within 30 days', preview.dueNext30Days]
  ]
  return (
    <div class={stale ? 'preview stale' : 'preview'} data-testid="policy-preview">
      {stale && <p class="warning">The rule changed since this preview: preview it again.</p>}
      <table>
        <caption>What the change would make due ({count(preview.contacts.total)} contacts holding PII on the channel)</caption>
        <thead>
          <tr>
            <th scope="col">Contacts</th>
            <th scope="col" class="num">
              Now
            </th>
            <th scope="col" class="num">
              With the change
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([what, figures]) => (
            <tr key={what}>
              <th scope="row">{what}</th>
              <td class="num">{count(figures.current)}</td>
              <td class="num">{count(figures.proposed)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {count(preview.orders.moved)} of {count(preview.orders.total)} orders would change their due date; {count(preview.contacts.earlier)} contacts would be due sooner, {count(preview.contacts.later)} later.
        {preview.newlyDue > 0 && <strong> {count(preview.newlyDue)} contacts would be past due at once.</strong>}
      </p>
    </div>
  )
}
