/** The Odoo capability's public surface: the gateway, its errors, its cursor and the connection check. */
export { createOdooGateway } from './gateway.ts'
export type { AccessOperation, CallOptions, OdooGateway, OdooGatewayDeps, SearchReadOptions } from './gateway.ts'
export type { OdooContext, OdooDomain, OdooFieldInfo, OdooRecord, OdooValues } from './odoo-types.ts'
export type { OdooProtocol, OdooServerVersion } from './transport.ts'
export type { OdooCursor, WalkOptions, WalkPage } from './write-date-walk.ts'
export { checkOdooConnection, formatOdooCheckReport, REQUIRED_ODOO_RIGHTS } from './connection-check.ts'
export type { OdooCheckReport, OdooRightCheck } from './connection-check.ts'
export * from './errors.ts'
