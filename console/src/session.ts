/**
 * The API key of this tab. sessionStorage only: it is gone when the tab closes, never shared with
 * another tab, and never written to localStorage or a cookie (a cookie would also go out with
 * every request, and the API reads keys from the Authorization header alone).
 */
const STORAGE_KEY = 'privacy-desk.api-key'

export function storedKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY)
}

export function storeKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key)
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY)
}
