import { missingOdooRights, ODOO_ACCESS_NEEDS } from './access-needs.ts'
import type { OdooAccessNeed, OdooFeature } from './access-needs.ts'
import { OdooError } from './errors.ts'
import type { AccessOperation, OdooGateway } from './gateway.ts'
import type { OdooProtocol } from './transport.ts'

export interface OdooRightCheck {
  model: string
  operation: AccessOperation
  /** The features that fail without it. */
  features: readonly OdooFeature[]
  why: string
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

/** What `privacy-bridge odoo check` reports: server, protocol, user and every right the service's features need. */
export async function checkOdooConnection(gateway: OdooGateway): Promise<OdooCheckReport> {
  const report: OdooCheckReport = { ok: false, rights: [] }
  try {
    const { serverVersion, major } = await gateway.version()
    report.server = { version: serverVersion, major, protocol: await gateway.protocol() }
    const uid = await gateway.authenticate()
    const [user] = await gateway.read('res.users', [uid], ['login', 'name'])
    report.user = { uid, login: typeof user?.login === 'string' ? user.login : '', name: typeof user?.name === 'string' ? user.name : '' }
    for (const need of ODOO_ACCESS_NEEDS) report.rights.push(await checkRight(gateway, need))
  } catch (error) {
    if (!(error instanceof OdooError)) throw error
    report.failure = { kind: error.kind, message: error.message }
  }
  report.ok = report.failure === undefined && report.rights.every((right) => right.granted)
  return report
}

async function checkRight(gateway: OdooGateway, need: OdooAccessNeed): Promise<OdooRightCheck> {
  const right = { model: need.model, operation: need.operation, features: need.features, why: need.why }
  try {
    return { ...right, granted: await gateway.hasAccess(need.model, need.operation) }
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
      const effect = right.granted ? right.features.join(', ') : `breaks ${right.features.join(', ')}: ${right.why}`
      lines.push(`  ${status} ${right.operation.padEnd(6)} ${right.model.padEnd(21)} ${effect}${right.problem ? ` (${right.problem})` : ''}`)
    }
  }
  if (report.failure) lines.push(`Failed (${report.failure.kind}): ${report.failure.message}`)
  if (report.rights.some((right) => !right.granted)) lines.push('Grant them with `privacy-bridge odoo setup` (an administrator\'s API key), or by hand (README: Connecting to a real Odoo).')
  lines.push(report.ok ? 'Odoo connection OK' : 'Odoo connection NOT OK')
  return lines.join('\n')
}

/**
 * Odoo as the readiness probe sees it: `degraded` when it answers but the service's user lacks a
 * right a feature needs (or its login is refused), so sync or redaction would fail; a rejection
 * while it does not answer. Granted rights are remembered by the gateway for a while, so a healthy
 * probe costs one version call.
 */
export async function odooReadiness(gateway: OdooGateway, signal: AbortSignal): Promise<'degraded' | undefined> {
  await gateway.ping(signal)
  try {
    return (await missingOdooRights(gateway, ODOO_ACCESS_NEEDS)).length === 0 ? undefined : 'degraded'
  } catch (error) {
    if (error instanceof OdooError && error.kind === 'auth') return 'degraded'
    throw error
  }
}
