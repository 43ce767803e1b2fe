// ECharts options from comparison data, kept apart from the page so they can be tested.
import type { ComparisonQuery, RoundsQuery, TrendQuery } from '../generated/graphql'

type Comparison = ComparisonQuery['comparison']

/** Composite per row, in the table's order; rows without a figure are left empty. */
export function compositeBars(c: Comparison) {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 80 },
    xAxis: {
      type: 'category',
      data: c.rows.map((r) => r.org.name),
      axisLabel: { rotate: 40, interval: 0, fontSize: 11 },
    },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: [
      {
        type: 'bar',
        data: c.rows.map((r) => (r.composite === null ? null : Number(r.composite.toFixed(1)))),
        itemStyle: { color: '#3a7bd5' },
      },
    ],
  }
}

/** Category × region cells as [x, y, value]; regions down, categories across. */
export function heatCells(c: Comparison): [number, number, number | null][] {
  const cells: [number, number, number | null][] = []
  c.heatMap.rows.forEach((row, y) =>
    row.cells.forEach((v, x) => cells.push([x, y, v === null || v === undefined ? null : Number(v.toFixed(1))])),
  )
  return cells
}

export function heatMap(c: Comparison) {
  const rows = c.heatMap.rows.length
  return {
    tooltip: { position: 'top' },
    grid: { left: 120, right: 16, top: 8, bottom: 90 },
    xAxis: {
      type: 'category',
      data: c.heatMap.categories,
      axisLabel: { rotate: 40, interval: 0, fontSize: 11 },
    },
    yAxis: { type: 'category', data: c.heatMap.rows.map((r) => r.org.name), inverse: true },
    visualMap: {
      min: 0,
      max: 100,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      inRange: { color: ['#d94e4e', '#f5d76e', '#3fae6a'] },
    },
    series: [{ type: 'heatmap', data: heatCells(c), label: { show: rows <= 30, fontSize: 10 } }],
  }
}

/** The compared region's composite across rounds, oldest first, named by round title. */
export function trendLine(trend: TrendQuery['trend'], rounds: RoundsQuery['rounds']) {
  const title = (id: string) => rounds.find((r) => r.id === id)?.title ?? id
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 30 },
    xAxis: { type: 'category', data: trend.map((p) => title(p.roundId)) },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: [
      {
        type: 'line',
        data: trend.map((p) => (p.composite === null ? null : Number(p.composite.toFixed(1)))),
        connectNulls: false,
        symbolSize: 8,
      },
    ],
  }
}
