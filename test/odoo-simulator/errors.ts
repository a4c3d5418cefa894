import { pyRepr } from './python.ts'
import type { Json } from './python.ts'
import type { Version } from './schema.ts'
import { renderTraceback } from './traceback.ts'
import type { Entry, Frame, Stage } from './traceback.ts'

/**
 * A Python exception as Odoo raises it. The protocols turn it into their own envelope (XML-RPC fault
 * code, JSON-RPC error name, JSON-2 status), so it keeps the qualified exception name, the message
 * and args Odoo serializes, and where it was raised (for the traceback).
 */
export class OdooError extends Error {
  /** qualified class name: 'odoo.exceptions.ValidationError', 'builtins.ValueError'... */
  readonly exception: string
  readonly pyArgs: Json[]
  readonly stage: Stage
  readonly site: readonly Frame[]

  constructor(init: { exception: string; message: string; pyArgs?: Json[]; stage?: Stage; site?: readonly Frame[] }) {
    super(init.message)
    this.exception = init.exception
    this.pyArgs = init.pyArgs ?? [init.message]
    this.stage = init.stage ?? 'model'
    this.site = init.site ?? []
  }

  /** The traceback's last line: how Python prints the exception. */
  get lastLine(): string {
    const shortName = this.exception.replace(/^builtins\./, '')
    const status = HTTP_STATUS[this.exception]
    if (status) return `${shortName}: ${status.code} ${status.reason}: ${this.message}`
    if (this.exception === 'builtins.KeyError') return `${shortName}: ${pyRepr(this.pyArgs[0])}`
    return `${shortName}: ${this.message}`
  }

  traceback(version: Version, entry: Entry): string {
    return renderTraceback(version, entry, this.stage, this.site, this.lastLine)
  }

  /** The int faultCode of /xmlrpc/2 (odoo/addons/base/controllers/rpc.py). */
  get faultCode(): 1 | 2 | 3 | 4 {
    if (this.exception === 'odoo.exceptions.AccessError') return 4
    if (this.exception === 'odoo.exceptions.AccessDenied') return 3
    if (USER_ERRORS.has(this.exception)) return 2
    return 1
  }

  /** The HTTP status JSON-2 answers with. */
  get httpStatus(): number {
    const status = HTTP_STATUS[this.exception]
    if (status) return status.code
    if (this.exception === 'odoo.exceptions.AccessError') return 403
    if (this.exception === 'odoo.exceptions.MissingError') return 404
    if (USER_ERRORS.has(this.exception)) return 422
    return 500
  }
}

const USER_ERRORS = new Set(['odoo.exceptions.UserError', 'odoo.exceptions.ValidationError', 'odoo.exceptions.MissingError', 'odoo.exceptions.RedirectWarning'])

const HTTP_STATUS: Record<string, { code: number; reason: string }> = {
  'werkzeug.exceptions.BadRequest': { code: 400, reason: 'Bad Request' },
  'werkzeug.exceptions.Unauthorized': { code: 401, reason: 'Unauthorized' },
  'werkzeug.exceptions.NotFound': { code: 404, reason: 'Not Found' },
  'werkzeug.exceptions.UnprocessableEntity': { code: 422, reason: 'Unprocessable Entity' },
}

export function httpError(kind: 'BadRequest' | 'Unauthorized' | 'NotFound' | 'UnprocessableEntity', message: string): OdooError {
  const exception = `werkzeug.exceptions.${kind}`
  return new OdooError({ exception, message, pyArgs: [message, HTTP_STATUS[exception]?.code ?? 500], stage: 'service' })
}

const ORM = (version: Version): string => (version === 19 ? 'odoo/orm/models.py' : 'odoo/models.py')

export const accessDenied = (): OdooError =>
  new OdooError({
    exception: 'odoo.exceptions.AccessDenied',
    message: 'Access Denied',
    stage: 'service',
    site: [['odoo/addons/base/models/res_users.py', 983, 'check', "self._check_credentials(credential, {'interactive': False})"]],
  })

const OPERATION_VERBS: Record<string, string> = { read: 'access', write: 'modify', create: 'create', unlink: 'delete' }

export function accessError(modelDescription: string, model: string, operation: string, groups: readonly string[]): OdooError {
  const allowed = groups.length ? `This operation is allowed for the following groups:\n${groups.map((g) => `\t- ${g}`).join('\n')}` : 'No group currently allows this operation.'
  const message = `You are not allowed to ${OPERATION_VERBS[operation] ?? operation} '${modelDescription}' (${model}) records.\n\n${allowed}\n\nContact your administrator to request access if necessary.`
  return new OdooError({
    exception: 'odoo.exceptions.AccessError',
    message,
    site: [['odoo/addons/base/models/ir_model.py', 2233, 'check', 'raise AccessError(msg)']],
  })
}

export function privateMethod(version: Version, model: string, method: string): OdooError {
  const name = version === 17 || version === 19 ? `'${model}.${method}'` : method
  return new OdooError({
    exception: 'odoo.exceptions.AccessError',
    message: `Private methods (such as ${name}) cannot be called remotely.`,
    stage: 'service',
    site: [['odoo/service/model.py', 54, 'get_public_method', 'raise AccessError(e)']],
  })
}

export const unknownModel = (model: string): OdooError =>
  new OdooError({
    exception: 'odoo.exceptions.UserError',
    message: `Object ${model} doesn't exist`,
    stage: 'service',
    site: [['odoo/service/model.py', 51, 'execute_cr', 'raise UserError(env._("Object %s doesn\'t exist", obj))']],
  })

export function unknownMethod(version: Version, model: string, method: string): OdooError {
  const message = version === 16 ? `type object '${model}' has no attribute '${method}'` : `The method '${model}.${method}' does not exist`
  return new OdooError({
    exception: 'builtins.AttributeError',
    message,
    stage: 'service',
    site: [['odoo/service/model.py', 59, 'get_public_method', 'raise AttributeError(f"The method \'{model._name}.{name}\' does not exist")']],
  })
}

/** A field named in `fields` (read, search_read) that the model does not have. */
export function invalidField(version: Version, model: string, field: string): OdooError {
  const message = version === 19 ? `Invalid field '${field}' on '${model}'` : `Invalid field '${field}' on model '${model}'`
  return new OdooError({
    exception: 'builtins.ValueError',
    message,
    site: [version === 19
      ? [ORM(version), 3853, '_determine_fields_to_fetch', 'raise ValueError(f"Invalid field {field_name!r} on {self._name!r}") from e']
      : [ORM(version), 4135, '_determine_fields_to_fetch', 'raise ValueError(f"Invalid field {field_name!r} on model {self._name!r}")']],
  })
}

/** A field in write/create values the model does not have; Odoo 19's res.partner.write trips over it first. */
export function invalidValueField(version: Version, model: string, field: string, operation: 'write' | 'create'): OdooError {
  if (version === 19 && model === 'res.partner' && operation === 'write') {
    return new OdooError({
      exception: 'builtins.KeyError',
      message: `'${field}'`,
      pyArgs: [field],
      site: [['odoo/addons/base/models/res_partner.py', 880, '<dictcomp>', 'pre_values_list = [{fname: partner[fname] for fname in vals} for partner in self]']],
    })
  }
  return new OdooError({
    exception: 'builtins.ValueError',
    message: `Invalid field '${field}' on model '${model}'`,
    site: [[ORM(version), 4726, 'write', 'raise ValueError("Invalid field %r on model %r" % (fname, self._name))']],
  })
}

export function invalidDomainField(version: Version, model: string, field: string, leaf: unknown): OdooError {
  const condition = version === 19 ? 'condition' : 'leaf'
  return new OdooError({
    exception: 'builtins.ValueError',
    message: `Invalid field ${model}.${field} in ${condition} ${pyRepr(leaf, true)}`,
    site: [version === 19
      ? ['odoo/orm/domains.py', 901, '_raise', 'raise error(message % (*args, self.field_expr, self.operator, self.value))']
      : ['odoo/osv/expression.py', 374, '_anyfy_leaves', 'raise ValueError(f"Invalid field {model._name}.{path[0]} in leaf {item}")']],
  })
}

export function invalidLeaf(version: Version, leaf: unknown): OdooError {
  const message = version === 19 ? `Invalid operator in condition ${pyRepr(leaf, true)}` : `Invalid leaf ${pyRepr(leaf, true)}`
  return new OdooError({
    exception: 'builtins.ValueError',
    message,
    site: [version === 19
      ? ['odoo/orm/domains.py', 901, '_raise', 'raise error(message % (*args, self.field_expr, self.operator, self.value))']
      : ['odoo/osv/expression.py', 739, 'check_leaf', 'raise ValueError("Invalid leaf %s" % str(element))']],
  })
}

export const invalidDomain = (domain: unknown): OdooError =>
  new OdooError({
    exception: 'builtins.ValueError',
    message: `Invalid domain: ${pyRepr(domain)}`,
    site: [['odoo/osv/expression.py', 174, 'normalize_domain', 'raise ValueError("Invalid domain: %s" % domain)']],
  })

export function invalidOrder(version: Version, order: string): OdooError {
  return new OdooError({
    exception: 'builtins.ValueError',
    message: `Invalid "order" specified (${order}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`,
    site: [[ORM(version), 5171, '_order_to_sql', 'raise ValueError(_(\'Invalid "order" specified (%s).\', order_spec))']],
  })
}

export function missingRecord(model: string, ids: readonly number[], uid: number): OdooError {
  return new OdooError({
    exception: 'odoo.exceptions.MissingError',
    message: `Record does not exist or has been deleted.\n(Record: ${model}${pyRepr(ids, true)}, User: ${uid})`,
    site: [['odoo/fields.py', 1268, '__get__', 'raise MissingError("\\n".join([']],
  })
}

const CANNOT_COMPLETE = 'The operation cannot be completed:'

export const contactsRequireName = (): OdooError => validationError(`${CANNOT_COMPLETE} Contacts require a name`)

export function requiredValueMissing(version: Version, modelDescription: string, model: string, fieldString: string, field: string): OdooError {
  return validationError(version === 19
    ? `${CANNOT_COMPLETE} Missing required value for the field '${fieldString}' (${field}).\nModel: '${modelDescription}' (${model})\n- create/update: a mandatory field is not set\n- delete: another model requires the record being deleted, you can archive it instead\n`
    : `${CANNOT_COMPLETE}\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${modelDescription} (${model})\nField: ${fieldString} (${field})\n`)
}

/** Deleting a record another one still refers to through a restricting foreign key. */
export function stillReferenced(version: Version, referencingDescription: string, referencingModel: string, fieldString: string, field: string): OdooError {
  return validationError(version === 19
    ? `${CANNOT_COMPLETE} Another model is using the record you are trying to delete.\n\nThe troublemaker is: '${referencingDescription}' (${referencingModel})\nThanks to the following constraint: '${fieldString}' (${field})\nHow about archiving the record instead?`
    : `${CANNOT_COMPLETE} another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${referencingDescription} (${referencingModel})\nConstraint: ${referencingModel.replace(/\./g, '_')}_${field}_fkey\n`)
}

/** Odoo turns database integrity errors into ValidationError in its retrying() wrapper. */
function validationError(message: string): OdooError {
  return new OdooError({
    exception: 'odoo.exceptions.ValidationError',
    message,
    site: [['odoo/service/model.py', 156, 'retrying', 'raise _as_validation_error(env, exc) from exc']],
  })
}

export function userError(message: string): OdooError {
  return new OdooError({ exception: 'odoo.exceptions.UserError', message })
}

export function wrongValue(model: string, field: string, value: unknown): OdooError {
  return new OdooError({
    exception: 'builtins.ValueError',
    message: `Wrong value for ${model}.${field}: ${pyRepr(value)}`,
    site: [['odoo/fields.py', 2640, 'convert_to_cache', 'raise ValueError("Wrong value for %s: %r" % (self, value))']],
  })
}

/** A method called with arguments its Python signature does not accept. */
export function typeError(message: string): OdooError {
  return new OdooError({ exception: 'builtins.TypeError', message })
}

export function unknownDatabase(db: string, entry: 'common' | 'object'): OdooError {
  return new OdooError({
    exception: 'psycopg2.OperationalError',
    message: `connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "${db}" does not exist\n`,
    stage: 'service',
    site: [
      [entry === 'common' ? 'odoo/service/common.py' : 'odoo/service/security.py', 26, entry === 'common' ? 'exp_authenticate' : 'check', 'res_users = Registry(db)[\'res.users\']'],
      ['odoo/sql_db.py', 712, 'borrow', 'result = psycopg2.connect('],
    ],
  })
}

export function serializationFailure(message = 'could not serialize access due to concurrent update\n'): OdooError {
  return new OdooError({
    exception: 'psycopg2.errors.SerializationFailure',
    message,
    site: [['odoo/sql_db.py', 354, 'execute', 'res = self._obj.execute(query, params)']],
  })
}

/** A LIKE pattern ending in PostgreSQL's escape character `\` (SQLSTATE 22025), raised while matching a row. */
export function invalidEscapeSequence(): OdooError {
  return new OdooError({
    exception: 'psycopg2.errors.InvalidEscapeSequence',
    message: 'LIKE pattern must not end with escape character\n',
    site: [['odoo/sql_db.py', 354, 'execute', 'res = self._obj.execute(query, params)']],
  })
}
