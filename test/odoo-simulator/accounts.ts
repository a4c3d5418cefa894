/**
 * Who may log in: the admin and an internal user without Sales or Inventory rights. Each has a
 * password and an API key; Odoo accepts the key wherever the password goes (and only the key as a
 * JSON-2 bearer token).
 */
export type Role = 'admin' | 'limited'

export interface Account {
  uid: number
  login: string
  password: string
  apiKey: string
  role: Role
}

export class Accounts {
  readonly #accounts: Account[]

  constructor(accounts: Account[]) {
    this.#accounts = accounts
  }

  /** common.authenticate: the uid, or False for an unknown login or a wrong secret. */
  authenticate(login: unknown, secret: unknown): number | false {
    const account = this.#accounts.find((a) => a.login === login)
    return account && (secret === account.password || secret === account.apiKey) ? account.uid : false
  }

  /** security.check of an object call: the account when uid and secret belong together. */
  check(uid: unknown, secret: unknown): Account | undefined {
    const account = this.#accounts.find((a) => a.uid === uid)
    return account && (secret === account.password || secret === account.apiKey) ? account : undefined
  }

  byApiKey(key: string): Account | undefined {
    return this.#accounts.find((a) => a.apiKey === key)
  }

  byLogin(login: string): Account | undefined {
    return this.#accounts.find((a) => a.login === login)
  }

  byUid(uid: number): Account | undefined {
    return this.#accounts.find((a) => a.uid === uid)
  }
}
