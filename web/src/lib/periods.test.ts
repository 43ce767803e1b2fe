import { describe, expect, it } from 'vitest'
import { expectedPeriods } from './periods'

describe('expected periods', () => {
  it('asks for the quarters of the year that are already due', () => {
    expect(expectedPeriods('QUARTERLY', null, '2026-01-01', '2026-12-31', '2026-11-22')).toEqual([
      { label: '2026-Q1', due: '2026-06-30' },
      { label: '2026-Q2', due: '2026-09-30' },
    ])
  })
  it('uses the due day of the following month when the catalogue gives one', () => {
    const months = expectedPeriods('MONTHLY', 10, '2026-01-01', '2026-12-31', '2026-04-10')
    expect(months.map((m) => m.label)).toEqual(['2026-01', '2026-02', '2026-03'])
    expect(months[2].due).toBe('2026-04-10')
  })
  it('skips a period that starts before the round', () => {
    expect(expectedPeriods('QUARTERLY', null, '2026-02-01', '2026-12-31', '2026-12-31').map((p) => p.label)).toEqual([
      '2026-Q2',
      '2026-Q3',
    ])
  })
  it('needs the whole year for a yearly item', () => {
    expect(expectedPeriods('YEARLY', null, '2026-01-01', '2026-12-31', '2026-11-22')).toEqual([])
    expect(expectedPeriods('YEARLY', null, '2025-01-01', '2025-12-31', '2026-12-31')).toEqual([{ label: '2025', due: '2026-12-31' }])
  })
})
