import { describe, expect, it } from 'vitest'
import { change, daysUntil, gradeType, percent, score, statusType } from './format'

describe('format', () => {
  it('shows missing figures as a dash, not zero', () => {
    expect(score(null)).toBe('—')
    expect(score(0)).toBe('0.0')
    expect(score(87.456)).toBe('87.5')
    expect(percent(undefined)).toBe('—')
    expect(percent(75.6)).toBe('76%')
    expect(percent(93.56)).toBe('94%')
    expect(percent(100)).toBe('100%')
  })
  it('signs changes', () => {
    expect(change(2.54)).toBe('+2.5')
    expect(change(-1)).toBe('−1.0')
    expect(change(0)).toBe('0.0')
    expect(change(null)).toBe('—')
  })
  it('colours grades', () => {
    expect(gradeType('优秀')).toBe('success')
    expect(gradeType('不合格')).toBe('danger')
    expect(gradeType(null)).toBe('info')
  })
  it('counts days to a deadline', () => {
    const today = new Date(2026, 10, 22)
    expect(daysUntil('2026-11-25', today)).toBe(3)
    expect(daysUntil('2026-11-20', today)).toBe(-2)
    expect(daysUntil('2027-01-01', today)).toBe(40)
  })
  it('tells a returned checklist from an approved one', () => {
    expect(statusType('RETURNED')).toBe('danger')
    expect(statusType('APPROVED')).toBe('success')
    expect(new Set(['NOT_STARTED', 'DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED'].map(statusType)).size).toBe(5)
  })
})
