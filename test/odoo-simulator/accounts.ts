/**
 * Who may log in: the admin, and internal users (the clerk of the recorded servers, and those a
 * test adds). Each has a password and an API key; Odoo accepts the key wherever the password goes
 * (and only the key as a JSON-2 bearer token). What each may do is decided by its groups
 * (orm/access.ts); the role only says whether the web client treats it as an administrator.
 */
export type Role = 'admin' | 'user'

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
    this.#accounts = [...accounts]
  }

  add(account: Account): void {
    if (this.byLogin(account.login)) throw new Error(`a user with login ${account.login} exists already`)
    this.#accounts.push(account)
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
