import t from 'tap'
import { maskEmail, maskName, maskPhone, maskText } from '../src/mirror/masking.ts'
import { createChannelClassifier } from '../src/mirror/channels.ts'
import { channelRuleSchema } from '../src/config/channel-rules.ts'
import { odooDate, toOrderRow, toPartnerRow } from '../src/mirror/odoo-records.ts'
import { firstSightClock, shippedAt } from '../src/mirror/order-clock.ts'

await t.test('masking keeps just enough to recognise a customer', (t) => {
  t.equal(maskEmail('jane.doe@example.com'), 'j***@e***.com')
  t.equal(maskEmail('x@mail.co.uk'), 'x***@m***.uk')
  t.equal(maskPhone('+49 170 1234512'), '+49 *** *** 12')
  t.equal(maskPhone('0170 1234512'), '*** *** 12')
  t.equal(maskPhone('123'), '***')
  t.equal(maskName('Jane  Mary Doe'), 'J. M. D.')
  t.equal(maskName('Ölçer'), 'Ö.')
  t.equal(maskText('Hauptstraße 5'), '***')
  t.end()
})

const evidence = (over: Partial<Parameters<ReturnType<typeof createChannelClassifier>>[0]>) => ({ teamName: null, tagNames: [], origin: null, clientOrderRef: null, ...over })

await t.test('the default rules recognise each marketplace the way connectors mark orders', (t) => {
  const classify = createChannelClassifier()
  t.equal(classify(evidence({ teamName: 'Amazon' })), 'amazon')
  t.equal(classify(evidence({ tagNames: ['VIP', 'tiktok shop'] })), 'tiktok_shop')
  t.equal(classify(evidence({ origin: 'Etsy' })), 'etsy')
  t.equal(classify(evidence({ clientOrderRef: '#1042' })), 'shopify')
  t.equal(classify(evidence({ clientOrderRef: '12-34567-89012' })), 'ebay')
  t.equal(classify(evidence({ clientOrderRef: 'A0001F3C' })), 'bol')
  t.equal(classify(evidence({ clientOrderRef: '113-1234567-1234567' })), 'amazon')
  t.equal(classify(evidence({ clientOrderRef: '570000000000000123' })), 'tiktok_shop')
  t.equal(classify(evidence({ clientOrderRef: '3000000002' })), 'etsy')
  t.equal(classify(evidence({ origin: 'Phone order' })), 'other')
  t.end()
})

await t.test('team and tags outrank free-text fields, and configured rules outrank the defaults', (t) => {
  const classify = createChannelClassifier([{ channel: 'ebay', team: 'Marketplace EU' }])
  t.equal(classify(evidence({ teamName: 'Marketplace EU', origin: 'Amazon' })), 'ebay')
  t.equal(classify(evidence({ teamName: 'Etsy', clientOrderRef: '113-1234567-1234567' })), 'etsy')
  t.end()
})

await t.test('a channel rule needs a matcher and valid regular expressions', (t) => {
  t.notOk(channelRuleSchema.safeParse({ channel: 'amazon' }).success)
  t.notOk(channelRuleSchema.safeParse({ channel: 'amazon', origin: '(' }).success)
  t.notOk(channelRuleSchema.safeParse({ channel: 'myspace', team: 'x' }).success)
  t.ok(channelRuleSchema.safeParse({ channel: 'amazon', clientOrderRef: '^AMZ-' }).success)
  t.end()
})

await t.test("Odoo's values become typed rows: false is empty, many2one gives id and name", (t) => {
  const order = toOrderRow(
    { id: 5, name: 'S00005', state: 'sale', date_order: '2026-11-01 10:30:00', partner_id: [14, 'Rosa'], partner_invoice_id: false, partner_shipping_id: [15, 'Rosa, Rosa'], team_id: [4, 'Amazon'], tag_ids: [1], origin: false, client_order_ref: false, amount_total: 23.5, currency_id: [1, 'EUR'], write_date: '2026-11-02 00:00:01' },
    createChannelClassifier(),
    () => undefined
  )
  t.match(order, { odooId: 5, channel: 'amazon', partnerId: 14, partnerInvoiceId: null, partnerShippingId: 15, currency: 'EUR', amountTotal: 23.5 })
  t.same(order.orderDate, new Date('2026-11-01T10:30:00Z'))
  const partner = toPartnerRow({ id: 15, name: 'Rosa', type: 'delivery', parent_id: [14, 'Rosa'], street: false, email: 'r@x.nl', user_ids: [], country_id: [165, 'Netherlands'], is_company: false })
  t.same(partner.pii, { name: 'Rosa', email: 'r@x.nl' })
  t.match(partner, { parentId: 14, country: 'Netherlands', isUser: false, state: null })
  t.equal(odooDate('2026-02-30 99:00:00'), null)
  t.same(odooDate('2026-11-01'), new Date('2026-11-01T00:00:00Z'))
  t.end()
})

await t.test('an order ships when every delivery that was not cancelled is done, at the latest of them', (t) => {
  const at = (day: number) => new Date(Date.UTC(2026, 10, day))
  t.equal(shippedAt([]), null, 'no delivery: not shipped')
  t.equal(shippedAt([{ state: 'done', dateDone: at(3) }, { state: 'assigned', dateDone: null }]), null, 'one still open: not shipped')
  t.equal(shippedAt([{ state: 'cancel', dateDone: null }]), null, 'only cancelled deliveries: not shipped')
  t.same(shippedAt([{ state: 'done', dateDone: at(3) }, { state: 'done', dateDone: at(5) }, { state: 'cancel', dateDone: null }]), at(5), 'the latest done, cancelled ones ignored')
  t.end()
})

await t.test('an order seen first as cancelled counts its cancellation from its write_date', (t) => {
  const row = toOrderRow({ id: 9, name: 'S00009', state: 'cancel', date_order: '2026-10-01 08:00:00', write_date: '2026-10-04 09:30:00' }, createChannelClassifier(), () => undefined)
  t.same(firstSightClock(row, []), { orderDate: new Date('2026-10-01T08:00:00Z'), shippedAt: null, completedAt: null, cancelledAt: new Date('2026-10-04T09:30:00Z') })
  t.equal(firstSightClock({ ...row, state: 'sale' }, [{ state: 'done', dateDone: new Date('2026-10-02T00:00:00Z') }]).completedAt?.toISOString(), '2026-10-02T00:00:00.000Z', 'completed when shipped')
  t.end()
})
