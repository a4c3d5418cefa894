import { useEffect, useState } from 'preact/hooks'
import { countdown, dateTime, dateTimeUtc, VIEWER_ZONE } from '../format.ts'

/** Now, refreshed every half minute, for countdowns. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => { setNow(Date.now()); }, 30_000)
    return () => { clearInterval(timer); }
  }, [])
  return now
}

export function Countdown({ due, open }: { due: string; open: boolean }) {
  const now = useNow()
  if (!open) return <span class="muted">closed</span>
  const { text, overdue } = countdown(due, now)
  return <span class={overdue ? 'countdown overdue' : 'countdown'}>{text}</span>
}

/** A legal deadline: in the viewer's zone, and in UTC, the zone the service computes deadlines in. */
export function Deadline({ due, open }: { due: string; open: boolean }) {
  return (
    <span class="deadline">
      <time dateTime={due}>{dateTime(due)}</time> <span class="muted">({VIEWER_ZONE})</span> · <Countdown due={due} open={open} />
      <br />
      <span class="muted">Legal deadline as computed: {dateTimeUtc(due)}</span>
    </span>
  )
}

export function When({ at }: { at: string | null | undefined }) {
  if (!at) return <span class="muted">—</span>
  return <time dateTime={at}>{dateTime(at)}</time>
}
