/**
 * Pathological mail against the e-mail intake. Per case: the time `classifyRequest` takes and the
 * longest event-loop delay meanwhile, then the same mail as a signed ForwardEmail webhook through
 * the whole service (POST /v1/intake/forwardemail), again with the longest event-loop delay. Last,
 * one webhook at the body limit (INTAKE_BODY_LIMIT_BYTES, attachments as integer arrays), with
 * attachments dropped and kept: time, CPU, peak RSS and heap.
 * Goal: every case under 50 ms, no event-loop delay over 100 ms.
 *   node --expose-gc bench/intake.ts [--runs 5]
 */
import { parseArgs } from 'node:util'
import { createHmac } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { loadavg } from 'node:os'
import { createLogger } from '../src/log/logger.ts'
import { createOdooGateway } from '../src/odoo/gateway.ts'
import { startService } from '../src/service.ts'
import type { Service } from '../src/service.ts'
import { classifyRequest } from '../src/intake/classify.ts'
import type { IntakeAnswer } from '../src/intake/http/forwardemail-route.ts'
import { benchConfig, describeMachine, startSimulatorProcess, withBenchDatabase } from './support.ts'
import type { SimulatorProcess } from './support.ts'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } })
const runs = Number(values.runs)
const log = createLogger({ level: 'silent' })
const WEBHOOK_KEY = 'bench-webhook-key-0123456789abcdef'
const GOAL_MS = 50
const GOAL_DELAY_MS = 100

type Payload = Record<string, unknown>
const sample = JSON.parse(readFileSync(new URL('../test/fixtures/forwardemail-webhook.json', import.meta.url), 'utf8')) as Payload

/** The sample request with other words: a new Message-ID each time, so that every delivery opens a request. */
function mail(over: Payload): () => Payload {
  let n = 0
  return () => ({ ...sample, messageId: `<bench-${Date.now()}-${n++}@bench.example>`, ...over })
}

const nestedQuotes = Array.from({ length: 1_000 }, (_, depth) => `${'>'.repeat(depth + 1)} Bitte löschen Sie meine Daten, Art. 17 DSGVO.`).join('\n')
const references = Array.from({ length: 5_000 }, (_, i) => `<thread-${i}-0123456789abcdef@mail.example.net>`)
const html = `<html><body>${'<div><p>Bitte <b>löschen</b> Sie <a href="https://example.net/?q=daten">meine</a></p></div>'.repeat(12_500)}</body></html>`

const CASES: { name: string; payload: () => Payload }[] = [
  { name: 'the sample request (2 kB)', payload: mail({}) },
  { name: '100 kB of one letter', payload: mail({ subject: 'a'.repeat(1_000), text: 'a'.repeat(100_000) }) },
  { name: '100 kB of one word, repeated', payload: mail({ subject: 'löschen '.repeat(200), text: 'löschen '.repeat(12_500) }) },
  { name: '100 kB of one word, no spaces', payload: mail({ subject: 'Datenlöschung', text: 'datenloeschung'.repeat(7_200) }) },
  { name: `quotes nested 1 to 1,000 deep (${Math.round(nestedQuotes.length / 1000)} kB)`, payload: mail({ text: `Please delete my data.\n${nestedQuotes}` }) },
  { name: `1 MB of HTML, as html and text`, payload: mail({ html, text: html, textAsHtml: html }) },
  {
    name: '5,000 References',
    payload: mail({
      subject: 'Re: Löschung',
      inReplyTo: references.at(-1),
      references,
      headerLines: [...(sample.headerLines as Payload[]), { key: 'references', line: `References: ${references.join('\r\n ')}` }]
    })
  }
]

interface Measured<T> {
  result: T
  ms: number
  cpuMs: number
  loopDelayMs: number
}

/** Wall time, CPU time and the longest event-loop delay while `work` runs. */
async function measured<T>(work: () => T | Promise<T>): Promise<Measured<T>> {
  const delay = monitorEventLoopDelay({ resolution: 1 })
  delay.enable()
  // The histogram records from its timer's second tick on: a block before it would go unseen.
  await new Promise((resolve) => setTimeout(resolve, 5))
  const cpu = process.cpuUsage()
  const started = performance.now()
  const result = await work()
  const ms = performance.now() - started
  const used = process.cpuUsage(cpu)
  // One more turn of the loop, so that the histogram records a delay that lasted until the end.
  await new Promise((resolve) => setTimeout(resolve, 5))
  delay.disable()
  return { result, ms, cpuMs: (used.user + used.system) / 1000, loopDelayMs: delay.max / 1e6 }
}

function signed(payload: Payload): { payload: Buffer; headers: Record<string, string> } {
  const body = Buffer.from(JSON.stringify(payload))
  return { payload: body, headers: { 'content-type': 'application/json', 'x-webhook-signature': createHmac('sha256', WEBHOOK_KEY).update(body).digest('hex') } }
}

async function deliver(service: Service, body: ReturnType<typeof signed>): Promise<string> {
  const res = await service.app.inject({ method: 'POST', url: '/v1/intake/forwardemail', ...body })
  if (res.statusCode !== 200) throw new Error(`the webhook answered ${res.statusCode}: ${res.body.slice(0, 300)}`)
  return res.json<IntakeAnswer>().status
}

const worst = <T>(all: Measured<T>[]) => ({
  result: all[0]?.result,
  ms: Math.max(...all.map((m) => m.ms)),
  cpuMs: Math.max(...all.map((m) => m.cpuMs)),
  loopDelayMs: Math.max(...all.map((m) => m.loopDelayMs))
})
const figures = (m: { ms: number; cpuMs: number; loopDelayMs: number }) =>
  `${m.ms.toFixed(1).padStart(7)} ms (CPU ${m.cpuMs.toFixed(1).padStart(6)} ms), loop delay ${m.loopDelayMs.toFixed(1).padStart(6)} ms${m.ms > GOAL_MS || m.loopDelayMs > GOAL_DELAY_MS ? '  OVER GOAL' : ''}`

function serviceConfig(url: string, sim: SimulatorProcess, keepAttachments: boolean) {
  return benchConfig(url, sim, { FORWARDEMAIL_WEBHOOK_KEY: WEBHOOK_KEY, INTAKE_KEEP_ATTACHMENTS: keepAttachments ? 'true' : 'false', LOG_LEVEL: 'silent' })
}

/** A message of about `bytes` of JSON: attachments of 2 MB whose contents arrive as arrays of integers. */
function payloadAtLimit(bytes: number): Buffer {
  const attachment = (n: number, size: number) => ({
    filename: `scan-${n}.pdf`,
    contentType: 'application/pdf',
    size,
    content: { type: 'Buffer', data: Array.from({ length: size }, (_, i) => (i * 131 + n) % 256) }
  })
  // About 3.6 characters of JSON per byte ("137,").
  const perAttachment = 2_000_000
  const count = Math.floor(bytes / (perAttachment * 3.6))
  const attachments = Array.from({ length: count }, (_, n) => attachment(n, perAttachment))
  const rest = bytes - JSON.stringify({ ...sample, attachments }).length - 10_000
  if (rest > 0) attachments.push(attachment(count, Math.floor(rest / 3.6)))
  const body = Buffer.from(JSON.stringify({ ...sample, messageId: `<at-limit-${Date.now()}@bench.example>`, attachments }))
  if (body.length > bytes) throw new Error(`the payload (${body.length} bytes) is over the body limit`)
  return body
}

// Peak RSS on Linux: VmHWM in /proc/self/status, reset by writing 5 to /proc/self/clear_refs.
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5')
    return true
  } catch {
    return false
  }
}
function peakRssMb(): number {
  const line = readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s*(\d+) kB$/m)
  return line ? Math.round(Number(line[1]) / 1024) : NaN
}
const mb = (bytes: number) => Math.round(bytes / 2 ** 20)

async function atBodyLimit(service: Service, bodyLimit: number, label: string): Promise<void> {
  globalThis.gc?.()
  let raw: Buffer | undefined = payloadAtLimit(bodyLimit)
  const body = { payload: raw, headers: { 'content-type': 'application/json', 'x-webhook-signature': createHmac('sha256', WEBHOOK_KEY).update(raw).digest('hex') } }
  const size = raw.length
  raw = undefined
  globalThis.gc?.()
  const before = process.memoryUsage()
  const reset = resetPeakRss()
  let peakHeap = before.heapUsed
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 5)
  const result = await measured(() => deliver(service, body))
  clearInterval(sampler)
  const peakRss = reset ? peakRssMb() : NaN
  globalThis.gc?.()
  const after = process.memoryUsage()
  console.log(
    `${label.padEnd(44)} ${(size / 2 ** 20).toFixed(1)} MB body -> ${result.result}: ${figures(result)}; ` +
      `RSS before ${mb(before.rss)} MB, peak ${reset ? `${peakRss} MB (+${peakRss - mb(before.rss)})` : 'n/a'}; ` +
      `heap peak +${mb(peakHeap - before.heapUsed)} MB (sampled), kept after GC ${mb(after.heapUsed - before.heapUsed)} MB`
  )
}

console.log(`bench/intake: worst of ${runs} runs per case, on ${describeMachine()}, load average ${loadavg()[0]?.toFixed(1)}${globalThis.gc ? '' : ' (run with --expose-gc for the heap figures)'}`)

// Direct: the classifier alone, once over every case untimed first (V8 compiles a regular
// expression to machine code on its second use), as in a service that has seen some mail.
const mails = CASES.map(({ name, payload }) => ({ name, ...(payload() as { subject?: string; text?: string }) }))
for (const { subject, text } of mails) classifyRequest({ subject: subject ?? '', text: text ?? '' })
console.log('\nclassifyRequest alone')
for (const { name, subject, text } of mails) {
  const all: Measured<ReturnType<typeof classifyRequest>>[] = []
  for (let run = 0; run < runs; run++) all.push(await measured(() => classifyRequest({ subject: subject ?? '', text: text ?? '' })))
  const result = worst(all)
  console.log(`  ${name.padEnd(42)} ${`${result.result?.type} ${result.result?.language}`.padEnd(16)} ${figures(result)}`)
}

const sim = await startSimulatorProcess({ orders: 10 })
try {
  await withBenchDatabase(log, async (url) => {
    const dropping = await startService({ config: serviceConfig(url, sim, false), log, role: 'api', connectOdoo: (c, l) => createOdooGateway(c, { log: l }) })
    const keeping = await startService({ config: serviceConfig(url, sim, true), log, role: 'api', connectOdoo: (c, l) => createOdooGateway(c, { log: l }) })
    try {
      for (const { payload } of CASES) await deliver(dropping, signed(payload()))
      console.log('\nsigned webhook through the service (POST /v1/intake/forwardemail): parse, verify, validate, store sealed, classify, open the request')
      for (const { name, payload } of CASES) {
        const bodies = Array.from({ length: runs }, () => signed(payload()))
        const all: Measured<string>[] = []
        for (const body of bodies) all.push(await measured(() => deliver(dropping, body)))
        const result = worst(all)
        console.log(`  ${name.padEnd(42)} ${String(result.result).padEnd(16)} ${figures(result)}`)
      }

      const bodyLimit = serviceConfig(url, sim, false).mail.bodyLimit
      console.log(`\none webhook at the body limit (INTAKE_BODY_LIMIT_BYTES = ${bodyLimit})`)
      await atBodyLimit(dropping, bodyLimit, '  attachments dropped (default)')
      await atBodyLimit(keeping, bodyLimit, '  attachments kept (INTAKE_KEEP_ATTACHMENTS)')
    } finally {
      await keeping.close()
      await dropping.close()
    }
  })
} finally {
  sim.stop()
}
