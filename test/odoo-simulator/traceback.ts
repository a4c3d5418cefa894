import type { Version } from './schema.ts'

/**
 * Python tracebacks as Odoo puts them in XML-RPC faults and in the `debug` of JSON errors. Only
 * their look matters to clients (the last line names the exception), so the frames are the ones real
 * servers printed on the way to the model method, followed by the frames of the raising code.
 */
export type Frame = readonly [file: string, line: number, fn: string, code: string]

/** How the request reached the code that raised. */
export type Entry = 'xmlrpc-common' | 'xmlrpc-object' | 'jsonrpc-common' | 'jsonrpc-object' | 'web' | 'json2'

const HTTP: Record<Version, Frame[]> = {
  16: [
    ['odoo/http.py', 1632, '_serve_db', 'return service_model.retrying(self._serve_ir_http, self.env)'],
    ['odoo/service/model.py', 133, 'retrying', 'result = func()'],
    ['odoo/http.py', 1659, '_serve_ir_http', 'response = self.dispatcher.dispatch(rule.endpoint, args)'],
    ['odoo/http.py', 1863, 'dispatch', "result = self.request.registry['ir.http']._dispatch(endpoint)"],
    ['odoo/addons/base/models/ir_http.py', 154, '_dispatch', 'result = endpoint(**request.params)'],
    ['odoo/http.py', 716, 'route_wrapper', 'result = endpoint(self, *args, **params_ok)'],
  ],
  17: [
    ['odoo/http.py', 1950, '_serve_db', 'return service_model.retrying(self._serve_ir_http, self.env)'],
    ['odoo/service/model.py', 152, 'retrying', 'result = func()'],
    ['odoo/http.py', 1978, '_serve_ir_http', 'response = self.dispatcher.dispatch(rule.endpoint, args)'],
    ['odoo/http.py', 2182, 'dispatch', "result = self.request.registry['ir.http']._dispatch(endpoint)"],
    ['odoo/addons/base/models/ir_http.py', 221, '_dispatch', 'result = endpoint(**request.params)'],
    ['odoo/http.py', 786, 'route_wrapper', 'result = endpoint(self, *args, **params_ok)'],
  ],
  18: [
    ['odoo/http.py', 1954, '_transactioning', 'return service_model.retrying(func, env=self.env)'],
    ['odoo/service/model.py', 137, 'retrying', 'result = func()'],
    ['odoo/http.py', 1921, '_serve_ir_http', 'response = self.dispatcher.dispatch(rule.endpoint, args)'],
    ['odoo/http.py', 2168, 'dispatch', "result = self.request.registry['ir.http']._dispatch(endpoint)"],
    ['odoo/addons/base/models/ir_http.py', 330, '_dispatch', 'result = endpoint(**request.params)'],
    ['odoo/http.py', 728, 'route_wrapper', 'result = endpoint(self, *args, **params_ok)'],
  ],
  19: [
    ['odoo/http.py', 2273, '_serve_db', 'return service_model.retrying(serve_func, env=self.env)'],
    ['odoo/service/model.py', 184, 'retrying', 'result = func()'],
    ['odoo/http.py', 2328, '_serve_ir_http', 'response = self.dispatcher.dispatch(rule.endpoint, args)'],
    ['odoo/http.py', 2608, 'dispatch', "result = self.request.registry['ir.http']._dispatch(endpoint)"],
    ['odoo/addons/base/models/ir_http.py', 355, '_dispatch', 'result = endpoint(**request.params)'],
    ['odoo/http.py', 788, 'route_wrapper', 'result = endpoint(self, *args, **params_ok)'],
  ],
}

const XMLRPC: Record<Version, Frame[]> = {
  16: [
    ['odoo/addons/base/controllers/rpc.py', 147, 'xmlrpc_2', 'response = self._xmlrpc(service)'],
    ['odoo/addons/base/controllers/rpc.py', 127, '_xmlrpc', 'result = dispatch_rpc(service, method, params)'],
  ],
  17: [
    ['odoo/addons/base/controllers/rpc.py', 151, 'xmlrpc_2', 'response = self._xmlrpc(service)'],
    ['odoo/addons/base/controllers/rpc.py', 127, '_xmlrpc', 'result = dispatch_rpc(service, method, params)'],
  ],
  18: [
    ['odoo/addons/base/controllers/rpc.py', 161, 'xmlrpc_2', 'response = self._xmlrpc(service)'],
    ['odoo/addons/base/controllers/rpc.py', 139, '_xmlrpc', 'result = dispatch_rpc(service, method, params)'],
  ],
  19: [
    ['addons/rpc/controllers/xmlrpc.py', 162, 'xmlrpc_2', 'response = self._xmlrpc(service)'],
    ['addons/rpc/controllers/xmlrpc.py', 134, '_xmlrpc', 'result = dispatch_rpc(service, method, params)'],
  ],
}

const JSONRPC: Record<Version, Frame> = {
  16: ['odoo/addons/base/controllers/rpc.py', 155, 'jsonrpc', 'return dispatch_rpc(service, method, args)'],
  17: ['odoo/addons/base/controllers/rpc.py', 163, 'jsonrpc', 'return dispatch_rpc(service, method, args)'],
  18: ['odoo/addons/base/controllers/rpc.py', 170, 'jsonrpc', 'return dispatch_rpc(service, method, args)'],
  19: ['addons/rpc/controllers/jsonrpc.py', 16, 'jsonrpc', 'return dispatch_rpc(service, method, args)'],
}

const DISPATCH_RPC: Record<Version, Frame> = {
  16: ['odoo/http.py', 369, 'dispatch_rpc', 'return dispatch(method, params)'],
  17: ['odoo/http.py', 405, 'dispatch_rpc', 'return dispatch(method, params)'],
  18: ['odoo/http.py', 399, 'dispatch_rpc', 'return dispatch(method, params)'],
  19: ['odoo/http.py', 439, 'dispatch_rpc', 'return dispatch(method, params)'],
}

const OBJECT_SERVICE: Record<Version, Frame[]> = {
  16: [
    ['odoo/service/model.py', 37, 'dispatch', 'res = execute_kw(db, uid, *params[3:])'],
    ['odoo/service/model.py', 59, 'execute_kw', 'return execute(db, uid, obj, method, *args, **kw or {})'],
    ['odoo/service/model.py', 65, 'execute', 'res = execute_cr(cr, uid, obj, method, *args, **kw)'],
    ['odoo/service/model.py', 50, 'execute_cr', 'result = retrying(partial(odoo.api.call_kw, recs, method, args, kw), env)'],
    ['odoo/service/model.py', 133, 'retrying', 'result = func()'],
  ],
  17: [
    ['odoo/service/model.py', 56, 'dispatch', 'res = execute_kw(db, uid, *params[3:])'],
    ['odoo/service/model.py', 79, 'execute_kw', 'return execute(db, uid, obj, method, *args, **kw or {})'],
    ['odoo/service/model.py', 84, 'execute', 'res = execute_cr(cr, uid, obj, method, *args, **kw)'],
    ['odoo/service/model.py', 70, 'execute_cr', 'result = retrying(partial(odoo.api.call_kw, recs, method, args, kw), env)'],
    ['odoo/service/model.py', 152, 'retrying', 'result = func()'],
  ],
  18: [
    ['odoo/service/model.py', 39, 'dispatch', 'res = execute_kw(db, uid, *params[3:])'],
    ['odoo/service/model.py', 61, 'execute_kw', 'return execute(db, uid, obj, method, *args, **kw or {})'],
    ['odoo/service/model.py', 68, 'execute', 'res = execute_cr(cr, uid, obj, method, *args, **kw)'],
    ['odoo/service/model.py', 52, 'execute_cr', 'result = retrying(partial(odoo.api.call_kw, recs, method, args, kw), env)'],
    ['odoo/service/model.py', 137, 'retrying', 'result = func()'],
  ],
  19: [
    ['odoo/service/model.py', 129, 'dispatch', 'res = execute_cr(cr, uid, model, method_, args, kw)'],
    ['odoo/service/model.py', 146, 'execute_cr', 'result = retrying(partial(call_kw, recs, method, args, kw), env)'],
    ['odoo/service/model.py', 184, 'retrying', 'result = func()'],
  ],
}

const COMMON_SERVICE: Frame = ['odoo/service/common.py', 58, 'dispatch', 'return g[exp_method_name](*params)']

const WEB_CALL_KW: Record<Version, Frame> = {
  16: ['odoo/addons/web/controllers/dataset.py', 33, '_call_kw', 'return call_kw(request.env[model], method, args, kwargs)'],
  17: ['odoo/addons/web/controllers/dataset.py', 21, '_call_kw', 'return call_kw(Model, method, args, kwargs)'],
  18: ['odoo/addons/web/controllers/dataset.py', 35, 'call_kw', 'return call_kw(request.env[model], method, args, kwargs)'],
  19: ['addons/web/controllers/dataset.py', 40, 'call_kw', 'return call_kw(request.env[model], method, args, kwargs)'],
}

const CALL_KW: Record<Version, Frame> = {
  16: ['odoo/api.py', 464, 'call_kw', 'result = _call_kw_model(method, model, args, kwargs)'],
  17: ['odoo/api.py', 480, 'call_kw', 'result = _call_kw_model(method, model, args, kwargs)'],
  18: ['odoo/api.py', 517, 'call_kw', 'result = getattr(recs, name)(*args, **kwargs)'],
  19: ['odoo/service/model.py', 93, 'call_kw', 'result = method(recs, *args, **kwargs)'],
}

const JSON2_CALL: Frame = ['odoo/addons/rpc/controllers/json2.py', 86, 'web_json_2_rpc', 'result = func(records, **kwargs)']

/** Where in the request handling the exception was raised. */
export type Stage = 'service' | 'model'

export function renderTraceback(version: Version, entry: Entry, stage: Stage, site: readonly Frame[], lastLine: string): string {
  const frames: Frame[] = []
  if (entry.startsWith('xmlrpc')) frames.push(...XMLRPC[version], DISPATCH_RPC[version])
  if (entry.startsWith('jsonrpc')) frames.push(...HTTP[version], JSONRPC[version], DISPATCH_RPC[version])
  if (entry.endsWith('-object')) frames.push(...OBJECT_SERVICE[version])
  if (entry.endsWith('-common')) frames.push(COMMON_SERVICE)
  if (entry === 'web') frames.push(...HTTP[version], WEB_CALL_KW[version])
  if (entry === 'json2') frames.push(...HTTP[version])
  if (stage === 'model') frames.push(entry === 'json2' ? JSON2_CALL : CALL_KW[version])
  frames.push(...site)
  const body = frames.map(([file, line, fn, code]) => `  File "/usr/lib/python3/dist-packages/${file}", line ${line}, in ${fn}\n    ${code}\n`).join('')
  return `Traceback (most recent call last):\n${body}${lastLine}\n`
}
