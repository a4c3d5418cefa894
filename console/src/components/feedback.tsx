import type { ActionState } from './use-load.ts'
import { Notice, ProblemNotice } from './status.tsx'

/** What the last action did, or why it failed; nothing before the first. */
export function ActionFeedback({ action }: { action: ActionState }) {
  if (action.state === 'done') return <Notice>{action.message}</Notice>
  if (action.state === 'failed') return <ProblemNotice problem={action.problem} />
  return null
}
