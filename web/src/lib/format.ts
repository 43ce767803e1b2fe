// Figures as the pages show them.

/** 87.456 → "87.5"; null (nothing submitted yet) → "—". */
export function score(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '—' : value.toFixed(digits)
}

/** A change in points with its sign: +2.5, −1.0, 0.0. */
export function change(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—'
  const text = Math.abs(value).toFixed(1)
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text
}

/**
 * A rate the API already gives in percent (its fields say "percent"): 33.26 → "33%".
 * Never multiplied again — that slip once showed 3326 %.
 */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${Math.round(value)}%`
}

/** Element Plus tag type per grade. */
export function gradeType(grade: string | null | undefined): 'success' | 'primary' | 'warning' | 'danger' | 'info' {
  switch (grade) {
    case '优秀':
      return 'success'
    case '良好':
      return 'primary'
    case '合格':
      return 'warning'
    case '不合格':
      return 'danger'
    default:
      return 'info'
  }
}

/** Days from today (China time is the user's time) to an ISO date; negative once past. */
export function daysUntil(isoDate: string, today: Date = new Date()): number {
  const [y, m, d] = isoDate.split('-').map(Number)
  const due = Date.UTC(y, m - 1, d)
  const now = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate())
  return Math.round((due - now) / 86_400_000)
}

/**
 * Element Plus tag type per checklist status, so that 已退回 (red) never looks like
 * 已通过 (green): returned needs the filler, submitted waits on the reviewer.
 */
export function statusType(status: string): 'success' | 'primary' | 'warning' | 'danger' | 'info' {
  switch (status) {
    case 'APPROVED':
      return 'success'
    case 'RETURNED':
      return 'danger'
    case 'SUBMITTED':
      return 'warning'
    case 'DRAFT':
      return 'primary'
    default:
      return 'info'
  }
}
