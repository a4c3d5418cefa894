import { useState } from 'preact/hooks'
import type { Session } from '../app.tsx'
import { attempt } from '../api.ts'
import type { ApiSchema } from '../api.ts'
import { useAction } from '../components/use-load.ts'
import { ActionFeedback } from '../components/feedback.tsx'
import { Empty, LoadStatus } from '../components/status.tsx'

type Request = ApiSchema<'RightsRequest'>
type Discovery = ApiSchema<'SubjectDiscovery'>

const FOUND_BY: Record<string, string> = { email: 'same e-mail (mirror)', phone: 'same phone (mirror)', odoo_search: 'same e-mail (live search in Odoo)' }
const AMBIGUITY: Record<string, string> = {
  too_many_contacts: 'more contacts were found than the service attaches on its own',
  shared_email_field: "a contact's e-mail field also holds other addresses, so it may be someone else's too"
}

/**
 * The contacts held for the subject, masked. Looking them up is audited and asks Odoo live, so it
 * happens when the agent asks, not on every visit of the page.
 */
export function SubjectContacts({ session, request, reload }: { session: Session; request: Request; reload: () => void }) {
  const [discovery, setDiscovery] = useState<{ state: 'idle' } | { state: 'loading' } | { state: 'ready'; data: Discovery } | { state: 'failed'; problem: ApiSchema<'Problem'> }>({ state: 'idle' })
  const [chosen, setChosen] = useState<Set<number>>(new Set())
  const [action, perform] = useAction()
  const path = { params: { path: { id: request.id } } }
  // A closed request keeps the subject it was answered for.
  const open = ['received', 'awaiting_verification', 'verified', 'in_progress'].includes(request.state)

  const lookUp = async () => {
    setDiscovery({ state: 'loading' })
    const outcome = await attempt(() => session.api.GET('/v1/requests/{id}/subject', path))
    if (!outcome.ok) { setDiscovery({ state: 'failed', problem: outcome.problem }); return; }
    setDiscovery({ state: 'ready', data: outcome.data })
    setChosen(new Set(outcome.data.subjectPartnerIds))
  }
  const confirm = async (partnerIds: number[]) => {
    const ok = await perform(() => attempt(() => session.api.PUT('/v1/requests/{id}/subject', { ...path, body: { partnerIds } })), () => (partnerIds.length === 0 ? 'Noted: none of these contacts is the subject.' : `The subject is now ${String(partnerIds.length)} contact${partnerIds.length === 1 ? '' : 's'}.`))
    if (ok) {
      reload()
      await lookUp()
    }
  }

  return (
    <section aria-labelledby="subject-heading">
      <h2 id="subject-heading">The subject's contacts</h2>
      <p>Contacts in the mirror and in Odoo holding exactly the requester's e-mail address or phone number, masked. Looking them up is recorded in the audit trail.</p>
      {discovery.state !== 'ready' && (
        <button type="button" class="secondary" disabled={discovery.state === 'loading'} onClick={() => void lookUp()}>
          Look up the subject's contacts
        </button>
      )}
      <LoadStatus loaded={discovery} what="the subject's contacts" />
      {discovery.state === 'ready' && (
        <>
          <ActionFeedback action={action} />
          {discovery.data.needsConfirmation && (
            <p class="warning" role="status">
              An agent must name the subject: {discovery.data.needsConfirmation.reasons.map((r) => AMBIGUITY[r] ?? r).join('; ')}. Verification and fulfilment wait until then.
            </p>
          )}
          {discovery.data.contacts.length === 0 ? (
            <Empty>No contact holds the requester's identifiers: a verified request is answered "we hold no data".</Empty>
          ) : (
            <form
              onSubmit={(e) => {
                e.preventDefault()
                void confirm([...chosen])
              }}
            >
              <div class="table-scroll">
                <table>
                  <caption class="visually-hidden">Contacts found for the subject</caption>
                  <thead>
                    <tr>
                      <th scope="col">Subject</th>
                      <th scope="col">Contact</th>
                      <th scope="col">Name</th>
                      <th scope="col">E-mail</th>
                      <th scope="col">Phone</th>
                      <th scope="col">Country</th>
                      <th scope="col">Orders (open)</th>
                      <th scope="col">Found by</th>
                    </tr>
                  </thead>
                  <tbody>
                    {discovery.data.contacts.map((contact) => (
                      <tr key={contact.partnerId}>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`Contact ${String(contact.partnerId)} is the subject`}
                            disabled={!open}
                            checked={chosen.has(contact.partnerId)}
                            onChange={(e) => {
                              const next = new Set(chosen)
                              if (e.currentTarget.checked) next.add(contact.partnerId)
                              else next.delete(contact.partnerId)
                              setChosen(next)
                            }}
                          />
                        </td>
                        <th scope="row">
                          {contact.partnerId}
                          {contact.type && contact.type !== 'contact' ? ` (${contact.type})` : ''}
                        </th>
                        <td>{contact.redacted ? <span class="muted">redacted</span> : (contact.name ?? '—')}</td>
                        <td>
                          {contact.email ?? '—'}
                          {contact.sharedEmailField && <span class="warning-inline"> shared field</span>}
                        </td>
                        <td>{contact.phone ?? '—'}</td>
                        <td>{contact.country ?? '—'}</td>
                        <td class="num">
                          {contact.orders} ({contact.openOrders})
                        </td>
                        <td>{contact.foundBy.map((by) => FOUND_BY[by] ?? by).join(', ')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p class="muted">The request works on {discovery.data.subjectPartnerIds.length === 0 ? 'no contact yet' : `contacts ${discovery.data.subjectPartnerIds.join(', ')}`}.</p>
              {open && (
                <button type="submit" class="secondary" disabled={action.state === 'busy'}>
                  Name the ticked contacts as the subject
                </button>
              )}
            </form>
          )}
        </>
      )}
    </section>
  )
}
