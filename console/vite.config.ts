import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import type { Plugin } from 'vite'

/** The console's JavaScript must stay small enough for a support desk on a slow line (issue #16). */
const JS_BUDGET_BYTES = 200 * 1024

/** Prints the console's JavaScript gzipped, and fails the build above the budget. */
function javascriptBudget(): Plugin {
  return {
    name: 'privacy-desk-javascript-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).flatMap((file) => (file.type === 'chunk' ? [file] : []))
      const gzipped = chunks.reduce((sum, chunk) => sum + gzipSync(chunk.code).length, 0)
      const raw = chunks.reduce((sum, chunk) => sum + Buffer.byteLength(chunk.code), 0)
      const line = `privacy desk JavaScript: ${(gzipped / 1024).toFixed(1)} kB gzipped (${(raw / 1024).toFixed(1)} kB minified, ${chunks.length} file${chunks.length === 1 ? '' : 's'}); budget ${JS_BUDGET_BYTES / 1024} kB`
      if (gzipped > JS_BUDGET_BYTES) this.error(`${line}: over budget`)
      this.info(line)
    }
  }
}

// Built by `npm run build` into dist/console, which the service serves at /console/ (src/http/plugins/console.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  publicDir: false,
  plugins: [javascriptBudget()],
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Never inline assets as data: URLs or scripts into the page: the Content-Security-Policy allows neither for scripts.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: true
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // `npm run dev:console`: the console with live reload against a service on :8080 (`npm run dev`).
  server: { proxy: { '/v1': 'http://127.0.0.1:8080', '/health': 'http://127.0.0.1:8080' } }
})
