import t from 'tap'
import { createServer } from 'node:net'
import type { Socket } from 'node:net'
import { classifySmtpFailure, createSmtpSender, maskAddresses } from '../src/mail/smtp-sender.ts'
import { MAIL_SWEEP_QUEUE, mailSweepJob } from '../src/mail/outbox-jobs.ts'
import { capturedLogger } from './support/logs.ts'

const failure = (props: Record<string, unknown>) => Object.assign(new Error(typeof props.message === 'string' ? props.message : 'failed'), props)

await t.test('the server being unreachable or slow is transient', (t) => {
  t.equal(classifySmtpFailure(failure({ code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:25' })).transient, true)
  t.equal(classifySmtpFailure(failure({ code: 'ETIMEDOUT', message: 'Greeting never received' })).transient, true)
  t.equal(classifySmtpFailure(failure({ code: 'ECONNECTION', message: 'Connection closed unexpectedly' })).transient, true)
  t.end()
})

await t.test('a 4xx reply, or 503, is transient', (t) => {
  t.equal(classifySmtpFailure(failure({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 451, permanent: false })).transient, true)
  t.equal(classifySmtpFailure(failure({ code: 'EMESSAGE', command: 'DATA', responseCode: 421 })).transient, true)
  t.equal(classifySmtpFailure(failure({ code: 'EPROTOCOL', command: 'RCPT TO', responseCode: 503, permanent: false })).transient, true)
  t.end()
})

await t.test('a 5xx refusal of the recipient or the message is permanent', (t) => {
  t.equal(classifySmtpFailure(failure({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, permanent: true })).transient, false)
  t.equal(classifySmtpFailure(failure({ code: 'EMESSAGE', command: 'DATA', responseCode: 552 })).transient, false)
  t.equal(classifySmtpFailure(failure({ code: 'EENVELOPE', message: 'No recipients defined' })).transient, false, 'an address that cannot be put on the envelope')
  t.end()
})

await t.test('our own credentials or sender address being refused is transient, so no mail is given up for it', (t) => {
  t.equal(classifySmtpFailure(failure({ code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535, permanent: true })).transient, true)
  t.equal(classifySmtpFailure(failure({ code: 'EENVELOPE', command: 'MAIL FROM', responseCode: 550, permanent: true })).transient, true)
  t.equal(classifySmtpFailure(failure({ code: 'ECONFIG', message: 'bad url' })).transient, true)
  t.end()
})

await t.test('the recorded reason carries the code and reply with every address masked', (t) => {
  const classified = classifySmtpFailure(failure({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, response: '550 5.1.1 <jane.doe+x@example.com>: Recipient address rejected' }))
  t.equal(classified.message, 'EENVELOPE RCPT TO 550 5.1.1 <[address]>: Recipient address rejected')
  t.equal(maskAddresses('from "x" bob@shop.example, to (jane@example.co.uk)'), 'from "x" [address], to ([address])')
  t.equal(classifySmtpFailure({}).message, 'unknown SMTP failure')
  t.end()
})

await t.test('a sender address without an e-mail address is refused at start-up', (t) => {
  const { log } = capturedLogger()
  t.throws(() => createSmtpSender({ url: 'smtp://127.0.0.1:25', from: 'Privacy team', log }), /MAIL_FROM/)
  t.equal(createSmtpSender({ url: 'smtp://127.0.0.1:25', from: 'Privacy <Privacy@Shop.Example>', log }).domain, 'shop.example')
  t.end()
})

await t.test('a server that accepts the connection and never greets fails the send as transient', async (t) => {
  const sockets = new Set<Socket>()
  const silent = createServer((socket) => sockets.add(socket))
  await new Promise<void>((resolve) => {
    silent.listen(0, '127.0.0.1', () => {
      resolve()
    })
  })
  t.teardown(() => {
    for (const socket of sockets) socket.destroy()
    return new Promise<void>((resolve) => {
      silent.close(() => {
        resolve()
      })
    })
  })
  const address = silent.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const sender = createSmtpSender({ url: `smtp://127.0.0.1:${port}`, from: 'Privacy <privacy@shop.example>', log: capturedLogger().log, greetingTimeoutMs: 200 })

  await t.rejects(sender.send({ to: 'jane@example.com', subject: 'x', text: 'x', html: 'x', messageId: '<1@shop.example>' }), { name: 'SmtpSendError', transient: true, message: /ETIMEDOUT/ })
})

await t.test('the mail sweep job runs the sweeper on its schedule', async (t) => {
  const captured = capturedLogger()
  let sweeps = 0
  const job = mailSweepJob({ sweep: () => Promise.resolve(++sweeps), cron: '* * * * *', log: captured.log })
  t.equal(job.queue, MAIL_SWEEP_QUEUE)
  t.same(job.schedule, { cron: '* * * * *', data: { v: 1 } })
  await job.handle([])
  t.equal(sweeps, 1)
  t.match(captured.output(), /sweeper queued mail that had no job/)
})
