import type { OrderClock } from '../retention/policy.ts'
import type { OrderRow } from './odoo-records.ts'

export interface DeliveryState {
  state: string
  dateDone: Date | null
}

/**
 * An order shipped when every outgoing delivery that was not cancelled is done: at the latest
 * `date_done`. It is complete when shipped (Odoo records no delivery to the customer).
 */
export function shippedAt(deliveries: readonly DeliveryState[]): Date | null {
  const live = deliveries.filter((delivery) => delivery.state !== 'cancel')
  if (live.length === 0 || live.some((delivery) => delivery.state !== 'done')) return null
  const done = live.map((delivery) => delivery.dateDone?.getTime()).filter((time): time is number => time !== undefined)
  return done.length === 0 ? null : new Date(Math.max(...done))
}

/**
 * The clock of an order seen for the first time. Odoo keeps no cancellation date: an order's
 * cancellation counts from when the mirror first saw it cancelled, its write_date then.
 */
export function firstSightClock(order: OrderRow, deliveries: readonly DeliveryState[]): OrderClock {
  const shipped = shippedAt(deliveries)
  return { orderDate: order.orderDate, shippedAt: shipped, completedAt: shipped, cancelledAt: order.state === 'cancel' ? order.writeDate : null }
}
