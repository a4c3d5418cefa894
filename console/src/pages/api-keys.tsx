import { useState } from 'preact/hooks'
import type { Session } from '../app.tsx'
import { attempt } from '../api.ts'
import type { Role } from '../api.ts'
import { useAction, useLoad } from '../components/use-load.ts'
import { ActionFeedback } from '../components/feedback.tsx'
import { LoadStatus } from '../components/status.tsx'
import { When } from '../components/deadline.tsx'
import { VIEWER_ZONE } from '../format.ts'

const ROLES: Record<Role, string> = { agent: 'Agent: rights requests', admin: 'Admin: configuration, keys, holds, policies', auditor: 'Auditor: reads the audit trail and reports' }

export function ApiKeys({ session }: { session: Session }) {
  const [keys, reload] = useLoad(() => attempt(() => session.api.GET('/v1/keys')), [])
  const [name, setName] = useState('')
  const [role, setRole] = useState<Role>('agent')
  const [created, setCreated] = useState<string | null>(null)
  const [action, perform] = useAction()

  const create = async (event: Event) => {
    event.preventDefault()
    setCreated(null)
    const ok = await perform(
      () => attempt(() => session.api.POST('/v1/keys', { body: { name, role } })),
      (key) => {
        setCreated(key.key)
        return `Key ${key.id} created for ${key.name}.`
      }
    )
    if (ok) {
      setName('')
      reload()
    }
  }
  const revoke = async (id: string) => {
    if (await perform(() => attempt(() => session.api.DELETE('/v1/keys/{id}', { params: { path: { id } } })), (key) => `Key ${key.id} (${key.name}) is revoked: it stops working at once.`)) reload()
  }

  return (
    <>
      <h1 tabIndex={-1}>API keys</h1>
      <p>One key per person: the audit trail names the key behind every read and change, and an erasure needs a second person's key.</p>
      <ActionFeedback action={action} />
      {created && (
        <div class="created-key" role="status">
          <p>Copy the key now: only its hash is stored, and it is not shown again.</p>
          <output aria-label="The new key">{created}</output>
        </div>
      )}
      <section aria-labelledby="new-key-heading" class="action">
        <h2 id="new-key-heading">New key</h2>
        <form onSubmit={(event) => { void create(event) }}>
          <label for="key-name">Whose key (a name)</label>
          <input id="key-name" required maxLength={100} value={name} onInput={(e) => { setName(e.currentTarget.value); }} />
          <label for="key-role">Role</label>
          <select id="key-role" value={role} onChange={(e) => { setRole(e.currentTarget.value as Role); }}>
            {(Object.keys(ROLES) as Role[]).map((r) => (
              <option key={r} value={r}>
                {ROLES[r]}
              </option>
            ))}
          </select>
          <button type="submit" disabled={action.state === 'busy'}>
            Create the key
          </button>
        </form>
      </section>
      <h2>Keys</h2>
      <LoadStatus loaded={keys} what="keys" />
      {keys.state === 'ready' && (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">API keys, oldest first, never their secrets</caption>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Created ({VIEWER_ZONE})</th>
                <th scope="col">Revoked</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((key) => (
                <tr key={key.id}>
                  <th scope="row">{key.id}</th>
                  <td>
                    {key.name}
                    {key.id === session.me.id ? ' (this key)' : ''}
                  </td>
                  <td>{key.role}</td>
                  <td>
                    <When at={key.createdAt} />
                  </td>
                  <td>
                    <When at={key.revokedAt} />
                  </td>
                  <td>
                    {!key.revokedAt && key.id !== session.me.id && (
                      <button type="button" class="secondary" disabled={action.state === 'busy'} onClick={() => void revoke(key.id)}>
                        Revoke <span class="visually-hidden">{key.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
