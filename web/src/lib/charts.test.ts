import { describe, expect, it } from 'vitest'
import type { ComparisonQuery } from '../generated/graphql'
import { compositeBars, heatCells, trendLine } from './charts'

const comparison = {
  parent: { id: '1', name: '沈阳市', kind: 'CITY' },
  summary: { composite: 80, grade: '良好', coverage: { expected: 2, submitted: 2 } },
  rows: [
    { org: { id: '2', code: '210102', name: '和平区', kind: 'COUNTY' }, composite: 91.26, rank: 1 },
    { org: { id: '3', code: '210103', name: '沈河区', kind: 'COUNTY' }, composite: null, rank: 2 },
  ],
  heatMap: {
    categories: ['概况信息', '公共卫生'],
    rows: [
      { org: { id: '2', name: '和平区' }, cells: [100, 82.46] },
      { org: { id: '3', name: '沈河区' }, cells: [null, 50] },
    ],
  },
  failedItems: [],
} as unknown as ComparisonQuery['comparison']

describe('comparison charts', () => {
  it('puts each row in the table order and leaves a region without a figure empty', () => {
    const bars = compositeBars(comparison)
    expect(bars.xAxis.data).toEqual(['和平区', '沈河区'])
    expect(bars.series[0].data).toEqual([91.3, null])
  })
  it('lays the heat map out as category across, region down', () => {
    expect(heatCells(comparison)).toEqual([
      [0, 0, 100],
      [1, 0, 82.5],
      [0, 1, null],
      [1, 1, 50],
    ])
  })
  it('draws the trend by round title, a round without a figure as a gap', () => {
    const line = trendLine(
      [
        { roundId: '1', composite: 71.04 },
        { roundId: '2', composite: null },
      ] as never,
      [
        { id: '1', title: '2025 年度' },
        { id: '2', title: '2026 年度' },
      ] as never,
    )
    expect(line.xAxis.data).toEqual(['2025 年度', '2026 年度'])
    expect(line.series[0].data).toEqual([71, null])
  })
})
