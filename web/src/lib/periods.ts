// The periods a periodic item must be published for — the same rule as the server's
// `domain::scoring::expected_periods`, so the page asks for exactly what submission
// checks: periods wholly inside the round's period that are due by today.

export type PeriodKind = 'MONTHLY' | 'QUARTERLY' | 'YEARLY'

type Ymd = [number, number, number]

const parse = (s: string): Ymd => s.split('-').map(Number) as Ymd
const iso = ([y, m, d]: Ymd) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
const key = ([y, m, d]: Ymd) => y * 10_000 + m * 100 + d
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate()
/** The first of the month `months` after (y, m). */
function addMonths(y: number, m: number, months: number): [number, number] {
  const n = y * 12 + (m - 1) + months
  return [Math.floor(n / 12), (n % 12) + 1]
}

const MONTHS: Record<PeriodKind, number> = { MONTHLY: 1, QUARTERLY: 3, YEARLY: 12 }

/** Label, first and last day of the period containing (y, m). */
function periodOf(kind: PeriodKind, y: number, m: number): { label: string; start: Ymd; end: Ymd } {
  const startMonth = kind === 'MONTHLY' ? m : kind === 'QUARTERLY' ? Math.floor((m - 1) / 3) * 3 + 1 : 1
  const label =
    kind === 'MONTHLY'
      ? `${y}-${String(m).padStart(2, '0')}`
      : kind === 'QUARTERLY'
        ? `${y}-Q${Math.floor((m - 1) / 3) + 1}`
        : `${y}`
  const [ey, em] = addMonths(y, startMonth, MONTHS[kind] - 1)
  return { label, start: [y, startMonth, 1], end: [ey, em, lastDay(ey, em)] }
}

export interface ExpectedPeriod {
  label: string
  due: string
}

export function expectedPeriods(
  kind: PeriodKind,
  dueDay: number | null,
  from: string,
  to: string,
  today: string,
): ExpectedPeriod[] {
  const out: ExpectedPeriod[] = []
  const [fy, fm] = parse(from)
  let p = periodOf(kind, fy, fm)
  while (key(p.end) <= key(parse(to))) {
    const [ny, nm] = addMonths(p.end[0], p.end[1], 1)
    const next = periodOf(kind, ny, nm)
    const due: Ymd = dueDay === null ? next.end : [ny, nm, Math.min(dueDay, lastDay(ny, nm))]
    if (key(p.start) >= key(parse(from)) && key(due) <= key(parse(today))) out.push({ label: p.label, due: iso(due) })
    p = next
  }
  return out
}
