/** A value of type T as a route sends it: fastify serialises dates to ISO strings. */
export type Json<T> = T extends Date ? string : T extends readonly (infer Item)[] ? Json<Item>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T
