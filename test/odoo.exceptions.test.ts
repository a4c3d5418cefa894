import { inspect } from 'node:util'
import t from 'tap'
import { callSiteOf, exceptionFromTraceback, toOdooError } from '../src/odoo/odoo-exception.ts'
import { describeFailure } from '../src/log/failure-description.ts'
import { capturedLogger } from './support/logs.ts'

// Exception names and messages as the contract transcripts of Odoo 16, 18 and 19 show them.
const cases: { name: string; message: string; kind: string; transient?: boolean }[] = [
  { name: 'odoo.exceptions.AccessDenied', message: 'Access Denied', kind: 'auth' },
  { name: 'werkzeug.exceptions.Unauthorized', message: 'Invalid apikey', kind: 'auth' },
  { name: 'psycopg2.OperationalError', message: 'connection to server at "127.0.0.1", port 5434 failed: FATAL:  database "nodb" does not exist', kind: 'auth' },
  { name: 'odoo.exceptions.AccessError', message: "You are not allowed to access 'Sales Order' (sale.order) records.", kind: 'access' },
  { name: 'odoo.exceptions.MissingError', message: 'Record does not exist or has been deleted.\n(Record: res.partner(99999999,), User: 2)', kind: 'missing' },
  { name: 'odoo.exceptions.ValidationError', message: 'The operation cannot be completed: Contacts require a name', kind: 'validation' },
  { name: 'odoo.exceptions.UserError', message: 'The operation cannot be completed: Another model is using the record you are trying to delete.', kind: 'validation' },
  { name: 'odoo.exceptions.UserError', message: "Object no.such.model doesn't exist", kind: 'unknown-model' },
  { name: 'werkzeug.exceptions.NotFound', message: "the model 'no.such.model' does not exist", kind: 'unknown-model' },
  { name: 'builtins.ValueError', message: "Invalid field 'no_such_field' on model 'sale.order'", kind: 'unknown-field' },
  { name: 'builtins.ValueError', message: "Invalid field sale.order.no_such_field in condition ('no_such_field', '=', 1)", kind: 'unknown-field' },
  { name: 'builtins.KeyError', message: "'mobile'", kind: 'unknown-field' },
  { name: 'builtins.ValueError', message: "Invalid leaf ('name', 'bogus', 1)", kind: 'unexpected' },
  { name: 'werkzeug.exceptions.NotFound', message: "The method 'res.partner.no_such_method' does not exist", kind: 'unexpected' },
  { name: 'psycopg2.errors.SerializationFailure', message: 'could not serialize access due to concurrent update', kind: 'conflict', transient: true },
  { name: 'psycopg2.errors.LockNotAvailable', message: 'could not obtain lock on row in relation "res_partner"', kind: 'conflict', transient: true },
  { name: 'psycopg2.OperationalError', message: 'server closed the connection unexpectedly', kind: 'unavailable', transient: true }
]

for (const { name, message, kind, transient = false } of cases) {
  await t.test(`${name} "${message.split('\n')[0]}" maps to the ${kind} kind${transient ? ', worth retrying' : ''}`, (t) => {
    const error = toOdooError({ name, message }, { model: 'res.partner', method: 'write' })
    t.match(error, { kind, transient, exceptionName: name, model: 'res.partner', method: 'write' })
    t.end()
  })
}

await t.test('the exception of a traceback is its last unindented line, module-qualified', (t) => {
  const traceback =
    'Traceback (most recent call last):\n  File "odoo/orm/models.py", line 3851, in _determine_fields_to_fetch\n    field = self._fields[field_name]\nKeyError: \'mobile\'\n\n' +
    'The above exception was the direct cause of the following exception:\n\n' +
    'Traceback (most recent call last):\n  File "odoo/service/model.py", line 129, in dispatch\n    res = execute_cr(cr, uid, model, method_, args, kw)\n' +
    "ValueError: Invalid field 'mobile' on 'res.partner'\n"
  t.same(exceptionFromTraceback(traceback), { name: 'builtins.ValueError', message: "Invalid field 'mobile' on 'res.partner'" })
  t.end()
})

await t.test('a multi-line message after the exception name is kept whole', (t) => {
  const traceback = 'Traceback (most recent call last):\n  File "x.py", line 1, in f\n    g()\npsycopg2.errors.SerializationFailure: could not serialize access\nDETAIL: concurrent update\n'
  t.same(exceptionFromTraceback(traceback), { name: 'psycopg2.errors.SerializationFailure', message: 'could not serialize access\nDETAIL: concurrent update' })
  t.end()
})

// What Odoo says when a constraint or a record rule refuses a call: values and display names quoted.
const ECHOING = { name: 'odoo.exceptions.ValidationError', message: "The e-mail address 'jane.doe@example.com' of Jane Doe (res.partner,8) is invalid.\nField: email" }
const writeOfJane = { model: 'res.partner', method: 'write', ids: [8], params: { vals: { name: 'Jane Doe', email: 'jane.doe@example.com', phone: false } } }

await t.test("an error keeps Odoo's exception class, the code and the call's field names Odoo named, never Odoo's text", (t) => {
  const error = toOdooError(ECHOING, callSiteOf(writeOfJane, 'XML-RPC fault 2'))
  t.match(error.describe(), { kind: 'validation', exceptionName: 'odoo.exceptions.ValidationError', code: 'XML-RPC fault 2', model: 'res.partner', method: 'write', fields: ['email'] })
  t.equal(error.message, 'Odoo refused the operation: odoo.exceptions.ValidationError (XML-RPC fault 2) in res.partner.write, field email')
  t.end()
})

await t.test('no way of printing the error shows what Odoo quoted', (t) => {
  const error = toOdooError(ECHOING, callSiteOf(writeOfJane, 'JSON-RPC error 200'))
  const { log, output } = capturedLogger()
  log.warn({ err: error }, 'odoo failed')
  log.error(error)
  log.error({ err: new Error('wrapped', { cause: error }) })
  const printed = {
    json: JSON.stringify(error),
    jsonInObject: JSON.stringify({ error }),
    inspect: inspect(error, { depth: 10, showHidden: true }),
    stack: String(error.stack),
    string: String(error),
    log: output()
  }
  for (const [how, text] of Object.entries(printed)) {
    t.notOk(/jane|doe/i.test(text), `${how}: no name or address`)
    t.match(text, 'odoo.exceptions.ValidationError', `${how}: the exception class`)
  }
  t.match(printed.log, 'JSON-RPC error 200', 'the log has the code')
  t.end()
})

await t.test('an exception name that is not a Python class name is not repeated', (t) => {
  const error = toOdooError({ name: 'Jane Doe <jane.doe@example.com>', message: 'x' }, callSiteOf(writeOfJane, 'HTTP 500'))
  t.equal(error.exceptionName, 'unrecognised')
  t.notOk(/jane/i.test(error.message))
  t.end()
})

await t.test('errors that are not Odoo\'s are described by class and code: their messages may quote values', (t) => {
  const parse = (() => {
    try {
      JSON.parse('jane.doe@example.com')
    } catch (error) {
      return error
    }
  })()
  t.match(describeFailure(parse), { kind: 'internal', exceptionName: 'SyntaxError', message: /^SyntaxError/ })
  const database = Object.assign(new Error('invalid input syntax for type integer: "jane.doe@example.com"'), { code: '22P02', table: 'mirror_partners' })
  t.match(describeFailure(database), { kind: 'internal', exceptionName: 'Error', code: '22P02', message: /^Error 22P02 on mirror_partners/ })
  t.notOk(JSON.stringify([describeFailure(parse), describeFailure(database)]).includes('jane'))
  t.match(describeFailure(toOdooError(ECHOING)), { kind: 'odoo.validation', exceptionName: 'odoo.exceptions.ValidationError' })
  t.end()
})
