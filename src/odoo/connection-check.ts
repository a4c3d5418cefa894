import { OdooError } from './errors.ts'
import type { AccessOperation, OdooGateway } from './gateway.ts'
import type { OdooProtocol } from './transport.ts'

/** The rights the service needs: mirror orders, deliveries and contacts; redact contacts. */
export const REQUIRED_ODOO_RIGHTS: readonly { model: string; operation: AccessOperation }[] = [
  { model: 'sale.order', operation: 'read' },
  { model: 'stock.picking', operation: 'read' },
  { model: 'res.partner', operation: 'read' },
  { model: 'res.partner', operation: 'write' }
]

export interface OdooRightCheck {
  model: string
  operation: AccessOperation
  granted: boolean
  /** Why the right could not be checked (e.g. the model's app is not installed). */
  problem?: string
}

export interface OdooCheckReport {
  /** True when Odoo answered, accepted the credentials and granted every required right. */
  ok: boolean
  server?: { version: string; major: number; protocol: OdooProtocol }
  user?: { uid: number; login: string; name: string }
  rights: OdooRightCheck[]
  /** The step that stopped the check, when one did. */
  failure?: { kind: string; message: string }
}

/** What `privacy-bridge odoo check` reports: server, protocol, user and each required right. */
export async function checkOdooConnection(gateway: OdooGateway): Promise<OdooCheckReport> {
  const report: OdooCheckReport = { ok: false, rights: [] }
  try {
    const { serverVersion, major } = await gateway.version()
    report.server = { version: serverVersion, major, protocol: await gateway.protocol() }
    const uid = await gateway.authenticate()
    const [user] = await gateway.read('res.users', [uid], ['login', 'name'])
    report.user = { uid, login: String(user?.login ?? ''), name: String(user?.name ?? '') }
    for (const right of REQUIRED_ODOO_RIGHTS) report.rights.push(await checkRight(gateway, right))
  } catch (error) {
    if (!(error instanceof OdooError)) throw error
    report.failure = { kind: error.kind, message: error.message }
  }
  report.ok = report.failure === undefined && report.rights.every((right) => right.granted)
  return report
}

async function checkRight(gateway: OdooGateway, right: { model: string; operation: AccessOperation }): Promise<OdooRightCheck> {
  try {
    return { ...right, granted: await gateway.hasAccess(right.model, right.operation) }
  } catch (error) {
    if (!(error instanceof OdooError) || error.transient || error.kind === 'auth') throw error
    return { ...right, granted: false, problem: error.message }
  }
}

export function formatOdooCheckReport(report: OdooCheckReport): string {
  const lines: string[] = []
  if (report.server) {
    lines.push(`Odoo ${report.server.version} (major ${report.server.major}), protocol ${report.server.protocol}`)
  }
  if (report.user) lines.push(`User ${report.user.login} (${report.user.name}), uid ${report.user.uid}`)
  if (report.rights.length > 0) {
    lines.push('Rights:')
    for (const right of report.rights) {
      const status = right.granted ? 'ok     ' : 'MISSING'
      lines.push(`  ${status} ${right.operation.padEnd(6)} ${right.model}${right.problem ? ` (${right.problem})` : ''}`)
    }
  }
  if (report.failure) lines.push(`Failed (${report.failure.kind}): ${report.failure.message}`)
  lines.push(report.ok ? 'Odoo connection OK' : 'Odoo connection NOT OK')
  return lines.join('\n')
}
