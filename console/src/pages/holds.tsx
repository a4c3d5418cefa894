import { useState } from 'preact/hooks'
import type { Session } from '../app.tsx'
import { attempt } from '../api.ts'
import { useAction, useLoad } from '../components/use-load.ts'
import { ActionFeedback } from '../components/feedback.tsx'
import { Empty, LoadStatus } from '../components/status.tsx'
import { When } from '../components/deadline.tsx'
import { fromLocalInput, VIEWER_ZONE } from '../format.ts'

type SubjectType = 'order' | 'partner' | 'email'
const SUBJECT_NAMES: Record<SubjectType, string> = { order: 'order', partner: 'contact', email: 'e-mail' }
const SUBJECT_LABELS: Record<SubjectType, string> = { order: 'An order (Odoo id)', partner: 'A contact (Odoo id)', email: 'An e-mail address' }

export function Holds({ session }: { session: Session }) {
  const [showReleased, setShowReleased] = useState(false)
  const [holds, reload] = useLoad(() => attempt(() => session.api.GET('/v1/holds', { params: { query: { active: showReleased ? 'false' : 'true' } } })), [showReleased])
  const [action, perform] = useAction()
  const admin = session.me.role === 'admin'

  const release = async (id: string) => {
    if (await perform(() => attempt(() => session.api.DELETE('/v1/holds/{id}', { params: { path: { id } } })), () => 'Released: whatever it kept and is due is queued for redaction.')) reload()
  }

  return (
    <>
      <h1 tabIndex={-1}>Holds</h1>
      <p>A hold keeps an order's contacts, a contact or every contact with an e-mail address from redaction (a tax audit, a dispute) until it is released or ends.</p>
      <ActionFeedback action={action} />
      {admin && <PlaceHold session={session} onPlaced={reload} />}
      <h2>{showReleased ? 'All holds' : 'Active holds'}</h2>
      <label class="check">
        <input type="checkbox" checked={showReleased} onChange={(e) => { setShowReleased(e.currentTarget.checked); }} /> Show released and lapsed holds too
      </label>
      <LoadStatus loaded={holds} what="holds" />
      {holds.state === 'ready' &&
        (holds.data.items.length === 0 ? (
          <Empty>No hold is active: everything is redacted when due.</Empty>
        ) : (
          <div class="table-scroll">
            <table>
              <caption class="visually-hidden">Holds, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Holds</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Placed ({VIEWER_ZONE})</th>
                  <th scope="col">Ends</th>
                  <th scope="col">Released</th>
                  {admin && <th scope="col">Action</th>}
                </tr>
              </thead>
              <tbody>
                {holds.data.items.map((hold) => (
                  <tr key={hold.id} data-hold={hold.id}>
                    <th scope="row">
                      {SUBJECT_NAMES[hold.subjectType]} {hold.subject}
                    </th>
                    <td>{hold.reason}</td>
                    <td>
                      <When at={hold.createdAt} /> <span class="muted">by {hold.createdBy}</span>
                    </td>
                    <td>{hold.endsAt ? <When at={hold.endsAt} /> : 'until released'}</td>
                    <td>{hold.releasedAt ? <When at={hold.releasedAt} /> : '—'}</td>
                    {admin && (
                      <td>
                        {!hold.releasedAt && (
                          <button type="button" class="secondary" disabled={action.state === 'busy'} onClick={() => void release(hold.id)}>
                            Release
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </>
  )
}

function PlaceHold({ session, onPlaced }: { session: Session; onPlaced: () => void }) {
  const [subjectType, setSubjectType] = useState<SubjectType>('partner')
  const [subject, setSubject] = useState('')
  const [reason, setReason] = useState('')
  const [endsAt, setEndsAt] = useState('')
  const [action, perform] = useAction()

  const submit = async (event: Event) => {
    event.preventDefault()
    const target = subjectType === 'email' ? { subjectType, email: subject.trim() } : subjectType === 'order' ? { subjectType, orderId: Number(subject) } : { subjectType, partnerId: Number(subject) }
    const body = { ...target, reason, ...(endsAt ? { endsAt: fromLocalInput(endsAt) } : {}) }
    const ok = await perform(() => attempt(() => session.api.POST('/v1/holds', { body })), (hold) => `Hold placed on ${SUBJECT_NAMES[hold.subjectType]} ${hold.subject}.`)
    if (ok) {
      setSubject('')
      setReason('')
      setEndsAt('')
      onPlaced()
    }
  }

  return (
    <section aria-labelledby="place-hold-heading" class="action">
      <h2 id="place-hold-heading">Place a hold</h2>
      <ActionFeedback action={action} />
      <form onSubmit={(event) => { void submit(event) }}>
        <label for="hold-type">What to hold</label>
        <select id="hold-type" value={subjectType} onChange={(e) => { setSubjectType(e.currentTarget.value as SubjectType); }}>
          {(Object.keys(SUBJECT_LABELS) as SubjectType[]).map((type) => (
            <option key={type} value={type}>
              {SUBJECT_LABELS[type]}
            </option>
          ))}
        </select>
        <label for="hold-subject">{subjectType === 'email' ? 'E-mail address' : 'Odoo id'}</label>
        {subjectType === 'email' ? (
          <input id="hold-subject" type="email" required value={subject} onInput={(e) => { setSubject(e.currentTarget.value); }} />
        ) : (
          <input id="hold-subject" type="number" min={1} required value={subject} onInput={(e) => { setSubject(e.currentTarget.value); }} />
        )}
        <label for="hold-reason">Reason (e.g. "tax audit 2026")</label>
        <input id="hold-reason" required minLength={3} maxLength={500} value={reason} onInput={(e) => { setReason(e.currentTarget.value); }} />
        <label for="hold-ends">Ends (optional; your time, {VIEWER_ZONE})</label>
        <input id="hold-ends" type="datetime-local" value={endsAt} onInput={(e) => { setEndsAt(e.currentTarget.value); }} />
        <button type="submit" disabled={action.state === 'busy'}>
          Place the hold
        </button>
      </form>
    </section>
  )
}
