import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url))

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `privacy-bridge …` as a user would, with exactly the environment given (plus PATH). */
export function runCli(args: string[], env: Record<string, string>, cwd?: string): Promise<CliResult> {
  const child = startCli(args, env, cwd)
  return finished(child)
}

export function startCli(args: string[], env: Record<string, string>, cwd?: string): ChildProcess & { output: { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  const output = { stdout: '', stderr: '' }
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()))
  return Object.assign(child, { output })
}

export function finished(child: ReturnType<typeof startCli>): Promise<CliResult> {
  return new Promise((resolve) => {
    child.once('close', (code) => {
      resolve({ code, ...child.output })
    })
  })
}
