import { useEffect, useState } from 'preact/hooks'

/** Where the console is: `#/requests/RR-…?x=y` is the path ['requests', 'RR-…'] with its query. */
export interface Route {
  path: string[]
  query: URLSearchParams
}

function currentRoute(): Route {
  const [path = '', query = ''] = window.location.hash.replace(/^#\/?/, '').split('?')
  return { path: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query) }
}

/** The route, following the hash: the service serves one page, and the hash keeps each view addressable. */
export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute)
  useEffect(() => {
    const follow = () => { setRoute(currentRoute()); }
    window.addEventListener('hashchange', follow)
    return () => { window.removeEventListener('hashchange', follow); }
  }, [])
  return route
}

export function href(path: readonly string[], query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString()
  return `#/${path.map(encodeURIComponent).join('/')}${search ? `?${search}` : ''}`
}

export function navigate(path: readonly string[], query: Record<string, string> = {}): void {
  window.location.hash = href(path, query)
}
