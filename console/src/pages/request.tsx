import { useState } from 'preact/hooks'
import type { ComponentChildren } from 'preact'
import type { Session } from '../app.tsx'
import { attempt } from '../api.ts'
import type { ApiSchema, Outcome } from '../api.ts'
import { href } from '../router.ts'
import { useAction, useLoad } from '../components/use-load.ts'
import type { ActionState } from '../components/use-load.ts'
import { ActionFeedback } from '../components/feedback.tsx'
import { Empty, LoadStatus } from '../components/status.tsx'
import { Deadline, When } from '../components/deadline.tsx'
import { dateTime, dateTimeUtc, fromLocalInput, label, STATE_LABELS, TYPE_LABELS, VIEWER_ZONE } from '../format.ts'
import { SubjectContacts } from './subject.tsx'

type Request = ApiSchema<'RightsRequest'>
type RequestType = Exclude<ApiSchema<'RequestType'>, 'unclassified'>
type DenialReason = ApiSchema<'DenialReason'>

const OPEN_STATES = new Set(['received', 'awaiting_verification', 'verified', 'in_progress'])
const TYPES = Object.keys(TYPE_LABELS).filter((type): type is RequestType => type !== 'unclassified')
const EXPORTING_TYPES = new Set(['access', 'portability', 'ccpa_know'])

const DENIAL_REASONS: Record<DenialReason, string> = {
  identity_not_verified: 'Identity could not be verified',
  agent_not_authorised: 'Agent showed no signed permission (CCPA)',
  manifestly_unfounded: 'Manifestly unfounded',
  excessive: 'Excessive or repetitive',
  legal_obligation_to_retain: 'The law requires the data to be kept',
  legal_claims: 'Needed for legal claims',
  rights_of_others: 'Would affect the rights of others',
  right_does_not_apply: 'The right does not apply'
}

const ACTION_LABELS: Record<string, string> = {
  created: 'Received',
  send_verification: 'Code sent',
  verify_code: 'Verified by code',
  verify_manually: 'Verified manually',
  start_fulfilment: 'Fulfilment started',
  complete: 'Completed',
  deny: 'Denied',
  withdraw: 'Withdrawn',
  extended: 'Deadline extended',
  discovered: "Subject's contacts looked up",
  reclassified: 'Type set',
  mail_received: 'Mail received',
  identifiers_purged: "Requester's identifiers destroyed",
  subject_needs_confirmation: 'Subject needs an agent',
  subject_confirmed: 'Subject named',
  approval_requested: 'Approval asked for',
  approved: 'Approved',
  approval_rejected: 'Approval rejected'
}

export function RequestPage({ session, id }: { session: Session; id: string }) {
  const [loaded, reload] = useLoad(() => attempt(() => session.api.GET('/v1/requests/{id}', { params: { path: { id } } })), [id])
  const canAct = session.me.role !== 'auditor'

  return (
    <>
      <p class="breadcrumb">
        <a href={href(['inbox'])}>← Inbox</a>
      </p>
      <h1 tabIndex={-1}>Request {id}</h1>
      <LoadStatus loaded={loaded} what="the request" />
      {loaded.state === 'ready' && (
        <>
          <Summary request={loaded.data} />
          {canAct && <Actions session={session} request={loaded.data} reload={reload} />}
          {canAct && <SubjectContacts session={session} request={loaded.data} reload={reload} />}
          <History request={loaded.data} />
        </>
      )}
    </>
  )
}

function Summary({ request }: { request: Request }) {
  const open = OPEN_STATES.has(request.state)
  return (
    <section aria-labelledby="summary-heading">
      <h2 id="summary-heading">Summary</h2>
      <dl class="facts">
        <Fact term="Type">{label(TYPE_LABELS, request.type)}</Fact>
        <Fact term="State">
          {label(STATE_LABELS, request.state)}
          {request.overdue && <strong class="bad"> — overdue</strong>}
        </Fact>
        <Fact term="Law">
          {request.jurisdiction.toUpperCase()} · {request.source === 'email' ? 'by e-mail' : 'recorded by an agent'} · language {request.language}
        </Fact>
        <Fact term="Received">
          <When at={request.receivedAt} />
        </Fact>
        <Fact term="Deadline">
          <Deadline due={request.dueAt} open={open} />
        </Fact>
        <Fact term="Our own target">
          <When at={request.targetAt} />
        </Fact>
        {request.acknowledgeBy && (
          <Fact term="Acknowledge by (CCPA)">
            <When at={request.acknowledgeBy} />
          </Fact>
        )}
        <Fact term="Requester (masked)">
          {request.requester.purgedAt ? (
            <>Identifiers destroyed on {dateTime(request.requester.purgedAt)}</>
          ) : (
            [request.requester.name, request.requester.email, request.requester.phone, request.requester.orderRefs.length > 0 ? `orders ${request.requester.orderRefs.join(', ')}` : null].filter(Boolean).join(' · ')
          )}
        </Fact>
        {request.verification && (
          <Fact term="Verified">
            {request.verification.method === 'code' ? 'by a one-time code' : 'manually, with evidence'} on {dateTime(request.verification.at)} by {request.verification.by}
            {request.verification.approvedBy ? `, approved by ${request.verification.approvedBy}` : ''}
          </Fact>
        )}
        {request.extension && (
          <Fact term="Extended">
            to {dateTimeUtc(request.extension.until)}: {request.extension.reason}
          </Fact>
        )}
        {request.denial && (
          <Fact term="Refused">
            {DENIAL_REASONS[request.denial.reason]}
            {request.denial.detail ? `: ${request.denial.detail}` : ''}
          </Fact>
        )}
        {request.outcome && <Fact term="Outcome">{describeOutcome(request.outcome)}</Fact>}
        {request.completedAt && (
          <Fact term="Closed">
            <When at={request.completedAt} />
          </Fact>
        )}
      </dl>
    </section>
  )
}

function Fact({ term, children }: { term: string; children: ComponentChildren }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  )
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

/** An outcome's or an event's details in words: `exportExpiresAt: "2026-…"` → "export expires at: 26 Nov 2026, 11:00". */
function describeOutcome(outcome: Record<string, unknown>): string {
  const value = (v: unknown): string => (typeof v === 'string' && INSTANT.test(v) ? dateTime(v) : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))
  return Object.entries(outcome)
    .map(([key, v]) => `${key.replace(/([A-Z])/g, ' $1').toLowerCase()}: ${Array.isArray(v) ? (v.length === 0 ? 'none' : v.map(value).join(', ')) : value(v)}`)
    .join('; ')
}

function History({ request }: { request: Request }) {
  const history = request.history ?? []
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {history.length === 0 ? (
        <Empty>No event yet.</Empty>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">What happened to the request, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">When ({VIEWER_ZONE})</th>
                <th scope="col">What</th>
                <th scope="col">State</th>
                <th scope="col">Who</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {history.map((event, i) => (
                <tr key={i}>
                  <td>
                    <When at={event.at} />
                  </td>
                  <th scope="row">{label(ACTION_LABELS, event.action)}</th>
                  <td>{event.fromState && event.fromState !== event.toState ? `${label(STATE_LABELS, event.fromState)} → ${label(STATE_LABELS, event.toState)}` : label(STATE_LABELS, event.toState)}</td>
                  <td>{event.actor}</td>
                  <td class="details">{describeOutcome(event.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

/** Every action the API offers on a request, as far as its state allows it. */
function Actions({ session, request, reload }: { session: Session; request: Request; reload: () => void }) {
  const [action, perform] = useAction()
  const path = { params: { path: { id: request.id } } }
  const allowed = new Set(request.allowedActions)
  const open = OPEN_STATES.has(request.state)
  const act = async <T,>(run: () => Promise<Outcome<T>>, done: (data: T, status: number) => string) => {
    const ok = await perform(run, done)
    if (ok) reload()
    return ok
  }
  const heldBack = (status: number, what: string) => (status === 202 ? `${what} waits for a second person's approval: another agent or admin must approve it. Nothing took effect yet.` : `${what}: done.`)

  return (
    <section aria-labelledby="actions-heading" class="actions">
      <h2 id="actions-heading">Actions</h2>
      <ActionFeedback action={action} />
      {request.approval && <Approval session={session} request={request} act={act} />}
      {!open && !(request.state === 'completed' && request.outcome && typeof request.outcome.exportId === 'string') && <p>The request is closed: no action is left.</p>}
      {open && !request.approval && request.state !== 'in_progress' && (
        <SetType request={request} busy={action} onSubmit={(type, reverify) => act(() => attempt(() => session.api.PATCH('/v1/requests/{id}', { ...path, body: { type, ...(reverify ? { reverify } : {}) } })), () => `The type is now ${label(TYPE_LABELS, type)}.`)} />
      )}
      {request.type !== 'unclassified' && allowed.has('send_verification') && (
        <ActionBox title="Verify by code">
          <p>E-mails a 6-digit code to an address Odoo holds for the subject.</p>
          <button type="button" disabled={action.state === 'busy'} onClick={() => void act(() => attempt(() => session.api.POST('/v1/requests/{id}/verification', path)), () => 'A code was sent to the requester.')}>
            {request.state === 'awaiting_verification' ? 'Send a new code' : 'Send a code'}
          </button>
        </ActionBox>
      )}
      {allowed.has('verify_code') && <ConfirmCode busy={action} onSubmit={(code) => act(() => attempt(() => session.api.POST('/v1/requests/{id}/verification/confirm', { ...path, body: { code } })), () => 'The code matches: the requester is verified.')} />}
      {request.type !== 'unclassified' && allowed.has('verify_manually') && (
        <VerifyManually busy={action} onSubmit={(evidence) => act(() => attempt(() => session.api.POST('/v1/requests/{id}/verification/manual', { ...path, body: { evidence } })), (_d, status) => heldBack(status, 'The manual verification'))} />
      )}
      {request.type !== 'unclassified' && (allowed.has('start_fulfilment') || allowed.has('complete')) && (
        <Fulfil request={request} busy={action} onSubmit={(body) => act(() => attempt(() => session.api.POST('/v1/requests/{id}/fulfilment', { ...path, body })), (_d, status) => heldBack(status, 'The fulfilment'))} />
      )}
      {request.state === 'completed' && request.outcome && typeof request.outcome.exportId === 'string' && EXPORTING_TYPES.has(request.type) && <ExportDownload session={session} request={request} />}
      {allowed.has('deny') && (
        <Deny busy={action} onSubmit={(reason, detail) => act(() => attempt(() => session.api.POST('/v1/requests/{id}/deny', { ...path, body: { reason, ...(detail ? { detail } : {}) } })), () => 'The request is refused; the requester was told why.')} />
      )}
      {open && <Extend busy={action} onSubmit={(until, reason) => act(() => attempt(() => session.api.POST('/v1/requests/{id}/extension', { ...path, body: { until, reason } })), (data) => `The deadline is now ${dateTimeUtc(data.dueAt)}; the requester was told.`)} />}
      {allowed.has('withdraw') && (
        <ActionBox title="Withdrawn by the requester">
          <button type="button" class="secondary" disabled={action.state === 'busy'} onClick={() => void act(() => attempt(() => session.api.POST('/v1/requests/{id}/withdraw', path)), () => 'The request is closed as withdrawn.')}>
            Close as withdrawn
          </button>
        </ActionBox>
      )}
    </section>
  )
}

function ActionBox({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <div class="action">
      <h3>{title}</h3>
      {children}
    </div>
  )
}

function Approval({ session, request, act }: { session: Session; request: Request; act: <T>(run: () => Promise<Outcome<T>>, done: (data: T, status: number) => string) => Promise<boolean> }) {
  const approval = request.approval as NonNullable<Request['approval']>
  const mine = approval.requestedBy === `key:${session.me.id}`
  const what = approval.action === 'fulfil' ? `the fulfilment (${label(TYPE_LABELS, request.type)})` : 'the manual verification'
  const decide = (decision: 'approve' | 'reject') =>
    act(() => attempt(() => session.api.POST('/v1/requests/{id}/approval', { params: { path: { id: request.id } }, body: { decision } })), () => (decision === 'approve' ? `Approved: ${what} took effect.` : `Rejected: ${what} was dropped.`))
  return (
    <div class="action approval" role="region" aria-label="Awaiting approval">
      <h3>Awaiting approval</h3>
      <p>
        {approval.requestedBy} asked for {what} on {dateTime(approval.requestedAt)}. {mine ? 'You asked for it: another agent or admin must approve it; you may take it back.' : `It waits for ${approval.awaiting}.`}
      </p>
      {!mine && (
        <button type="button" onClick={() => void decide('approve')}>
          Approve {what}
        </button>
      )}{' '}
      <button type="button" class="secondary" onClick={() => void decide('reject')}>
        {mine ? 'Take it back' : 'Reject'}
      </button>
    </div>
  )
}

function SetType({ request, busy, onSubmit }: { request: Request; busy: ActionState; onSubmit: (type: RequestType, reverify: boolean) => Promise<boolean> }) {
  const [type, setType] = useState<RequestType>(request.type === 'unclassified' ? 'access' : request.type)
  const [reverify, setReverify] = useState(false)
  return (
    <ActionBox title={request.type === 'unclassified' ? 'Triage: set the type' : 'Change the type'}>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void onSubmit(type, reverify)
        }}
      >
        <label for="request-type">Type</label>
        <select id="request-type" value={type} onChange={(e) => { setType(e.currentTarget.value as RequestType); }}>
          {TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
        {request.state === 'verified' && (
          <label class="check">
            <input type="checkbox" checked={reverify} onChange={(e) => { setReverify(e.currentTarget.checked); }} /> Drop the verification: the requester is verified again for the new type
          </label>
        )}
        <button type="submit" disabled={busy.state === 'busy'}>
          Set type
        </button>
      </form>
    </ActionBox>
  )
}

function ConfirmCode({ busy, onSubmit }: { busy: ActionState; onSubmit: (code: string) => Promise<boolean> }) {
  const [code, setCode] = useState('')
  return (
    <ActionBox title="Check the code the requester received">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void onSubmit(code.trim()).then((ok) => {
            if (ok) setCode('')
          })
        }}
      >
        <label for="code">6-digit code</label>
        <input id="code" inputMode="numeric" autocomplete="one-time-code" pattern="\d{6}" maxLength={6} required value={code} onInput={(e) => { setCode(e.currentTarget.value); }} />
        <button type="submit" disabled={busy.state === 'busy'}>
          Check the code
        </button>
      </form>
    </ActionBox>
  )
}

function VerifyManually({ busy, onSubmit }: { busy: ActionState; onSubmit: (evidence: string) => Promise<boolean> }) {
  const [evidence, setEvidence] = useState('')
  return (
    <ActionBox title="Verify by other means">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void onSubmit(evidence)
        }}
      >
        <label for="evidence">How the identity was established (kept sealed, at least 10 characters)</label>
        <textarea id="evidence" rows={3} minLength={10} maxLength={2000} required value={evidence} onInput={(e) => { setEvidence(e.currentTarget.value); }} />
        <button type="submit" disabled={busy.state === 'busy'}>
          Verify manually
        </button>
      </form>
    </ActionBox>
  )
}

const RECTIFIABLE = ['name', 'street', 'street2', 'zip', 'city', 'email', 'phone', 'mobile'] as const
type Rectifiable = (typeof RECTIFIABLE)[number]
const FIELD_LABELS: Record<Rectifiable, string> = { name: 'Name', street: 'Street', street2: 'Street, second line', zip: 'Postcode', city: 'City', email: 'E-mail', phone: 'Phone', mobile: 'Mobile' }

const FULFIL_LABELS: Record<string, string> = {
  access: 'Prepare the export',
  portability: 'Prepare the export',
  ccpa_know: 'Prepare the export',
  erasure: "Erase the subject's data",
  ccpa_delete: "Erase the subject's data",
  rectification: 'Write the corrections to Odoo',
  restriction: 'Record the restriction',
  objection: 'Record the objection',
  ccpa_opt_out: 'Record the opt-out'
}

function Fulfil({ request, busy, onSubmit }: { request: Request; busy: ActionState; onSubmit: (body: { changes?: Partial<Record<Rectifiable, string>> }) => Promise<boolean> }) {
  const [changes, setChanges] = useState<Partial<Record<Rectifiable, string>>>({})
  const rectification = request.type === 'rectification'
  return (
    <ActionBox title="Fulfil the request">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          const given = Object.fromEntries(Object.entries(changes).filter(([, value]) => value && value.trim() !== ''))
          void onSubmit(rectification ? { changes: given } : {})
        }}
      >
        {rectification && (
          <fieldset>
            <legend>Corrected values (leave empty what stays)</legend>
            {RECTIFIABLE.map((field) => (
              <div class="field" key={field}>
                <label for={`fix-${field}`}>{FIELD_LABELS[field]}</label>
                <input id={`fix-${field}`} type="text" inputMode={field === 'email' ? 'email' : undefined} maxLength={200} value={changes[field] ?? ''} onInput={(e) => { setChanges({ ...changes, [field]: e.currentTarget.value }); }} />
              </div>
            ))}
          </fieldset>
        )}
        <button type="submit" disabled={busy.state === 'busy'}>
          {FULFIL_LABELS[request.type] ?? 'Fulfil'}
        </button>
      </form>
    </ActionBox>
  )
}

function Deny({ busy, onSubmit }: { busy: ActionState; onSubmit: (reason: DenialReason, detail: string) => Promise<boolean> }) {
  const [reason, setReason] = useState<DenialReason>('identity_not_verified')
  const [detail, setDetail] = useState('')
  return (
    <ActionBox title="Refuse">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void onSubmit(reason, detail.trim())
        }}
      >
        <label for="deny-reason">Reason (sent to the requester, with their right to complain)</label>
        <select id="deny-reason" value={reason} onChange={(e) => { setReason(e.currentTarget.value as DenialReason); }}>
          {(Object.keys(DENIAL_REASONS) as DenialReason[]).map((r) => (
            <option key={r} value={r}>
              {DENIAL_REASONS[r]}
            </option>
          ))}
        </select>
        <label for="deny-detail">Details (optional)</label>
        <textarea id="deny-detail" rows={2} maxLength={2000} value={detail} onInput={(e) => { setDetail(e.currentTarget.value); }} />
        <button type="submit" class="secondary" disabled={busy.state === 'busy'}>
          Refuse the request
        </button>
      </form>
    </ActionBox>
  )
}

function Extend({ busy, onSubmit }: { busy: ActionState; onSubmit: (until: string, reason: string) => Promise<boolean> }) {
  const [until, setUntil] = useState('')
  const [reason, setReason] = useState('')
  return (
    <ActionBox title="Extend the deadline">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void onSubmit(fromLocalInput(until), reason)
        }}
      >
        <label for="extend-until">New deadline (your time, {VIEWER_ZONE})</label>
        <input id="extend-until" type="datetime-local" required value={until} onInput={(e) => { setUntil(e.currentTarget.value); }} />
        <label for="extend-reason">Reason (sent to the requester)</label>
        <textarea id="extend-reason" rows={2} minLength={10} maxLength={2000} required value={reason} onInput={(e) => { setReason(e.currentTarget.value); }} />
        <button type="submit" class="secondary" disabled={busy.state === 'busy'}>
          Extend
        </button>
      </form>
    </ActionBox>
  )
}

type ExportBundle = ApiSchema<'ExportBundle'>

/** The export can be downloaded once: the service destroys its copy as it answers, so the console keeps it until the page is left. */
function ExportDownload({ session, request }: { session: Session; request: Request }) {
  const [bundle, setBundle] = useState<ExportBundle | null>(null)
  const [action, perform] = useAction()
  const download = () =>
    perform(
      () => attempt(() => session.api.GET('/v1/requests/{id}/export', { params: { path: { id: request.id } } })),
      (data) => {
        setBundle(data)
        save(`${request.id}-export.json`, JSON.stringify(data, null, 2), 'application/json')
        return 'Downloaded. The service destroyed its copy: this page keeps it until you leave it.'
      }
    )
  return (
    <ActionBox title="Export for the requester">
      <ActionFeedback action={action} />
      {bundle ? (
        <p>
          <button type="button" class="secondary" onClick={() => { save(`${request.id}-export.json`, JSON.stringify(bundle, null, 2), 'application/json'); }}>
            Save the export again (JSON)
          </button>{' '}
          <button type="button" class="secondary" onClick={() => { save(`${request.id}-orders.csv`, bundle.ordersCsv, 'text/csv'); }}>
            Save the orders as CSV
          </button>
        </p>
      ) : (
        <>
          <p>The export can be downloaded once, then the service destroys it.</p>
          <button type="button" disabled={action.state === 'busy'} onClick={() => void download()}>
            Download the export (once)
          </button>
        </>
      )}
    </ActionBox>
  )
}

function save(name: string, content: string, type: string) {
  const url = URL.createObjectURL(new Blob([content], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = name
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => { URL.revokeObjectURL(url); }, 10_000)
}
