// Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it), never a downloaded browser.
export const CHROMIUM = '/usr/bin/chromium'
/** Flags that work on these machines (../shared/docs/STACK.md); without the networking ones it keeps dialling out. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
export const CHROMIUM_MISSING = `Chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does when it is missing)`

/** Runs in a page before its own scripts (a string: the tests' TypeScript has no DOM types); the page's `window.cspViolations` lists what the policy blocked. */
export const RECORD_CSP_VIOLATIONS = `
  window.cspViolations = []
  document.addEventListener('securitypolicyviolation', (event) =>
    window.cspViolations.push(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline') + ' (' + event.sourceFile + ':' + event.lineNumber + ')'))
`
