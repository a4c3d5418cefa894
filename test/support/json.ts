/**
 * A value as it arrives after a trip through JSON, e.g. a route's response body as `inject(…).json()`
 * reads it: each `Date` of the route's type is an ISO string on the wire.
 */
export type Jsonified<T> = T extends Date ? string : T extends readonly (infer Item)[] ? Jsonified<Item>[] : T extends object ? { [K in keyof T]: Jsonified<T[K]> } : T
