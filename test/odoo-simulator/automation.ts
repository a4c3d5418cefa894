import type { Version } from './schema.ts'
import type { Tables } from './tables.ts'

/** What Odoo's "Send Webhook Notification" POSTed, and how the receiver answered (0: no answer in time). */
export interface WebhookDelivery {
  url: string
  body: { _action: string; _id: number; _model: string }
  status: number
}

/** Odoo waits this long for the receiver, then gives up: no retry (contract file 900). */
const WEBHOOK_TIMEOUT_MS = 1_000

const FIRES_ON: Record<'create' | 'write', readonly string[]> = {
  create: ['on_create', 'on_create_or_write'],
  write: ['on_write', 'on_create_or_write'],
}

/**
 * base_automation on 17+: after a record of a model is created or written, each active rule on
 * that model whose trigger matches runs its "Send Webhook Notification" actions, which POST
 * `{_action, _id, _model}` (no fields chosen) without authentication, one second at most, never
 * again. Other kinds of server actions are not simulated.
 */
export class AutomationRules {
  readonly #tables: Tables
  readonly #enabled: boolean
  readonly #deliveries: Promise<WebhookDelivery>[] = []

  constructor(tables: Tables, version: Version) {
    this.#tables = tables
    this.#enabled = version >= 17 && tables.has('base.automation')
  }

  afterChange(model: string, ids: readonly number[], event: 'create' | 'write'): void {
    if (!this.#enabled) return
    const modelIds = new Set([...this.#tables.rows('ir.model')].filter((row) => row.model === model).map((row) => row.id))
    for (const rule of this.#tables.rows('base.automation')) {
      if (rule.active === false || !modelIds.has(rule.model_id as number) || !FIRES_ON[event].includes(String(rule.trigger))) continue
      for (const action of this.#tables.rows('ir.actions.server')) {
        if (action.base_automation_id !== rule.id || action.state !== 'webhook' || typeof action.webhook_url !== 'string') continue
        for (const id of ids) this.#deliveries.push(post(action.webhook_url, { _action: `${String(action.name)}(#${action.id})`, _id: id, _model: model }))
      }
    }
  }

  /** Every delivery so far, once each has been answered or has timed out. */
  deliveries(): Promise<WebhookDelivery[]> {
    return Promise.all(this.#deliveries)
  }
}

async function post(url: string, body: WebhookDelivery['body']): Promise<WebhookDelivery> {
  try {
    // json.dumps(vals, sort_keys=True): the keys in this order.
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) })
    await response.arrayBuffer()
    return { url, body, status: response.status }
  } catch {
    return { url, body, status: 0 }
  }
}
