import { describe, expect, it } from 'vitest'
import { draftOf, problemsByItem, same, toInput } from './answers'

describe('answers', () => {
  it('sends nothing for an item not yet answered', () => {
    expect(toInput(draftOf('0101'))).toBeNull()
  })

  it('splits evidence links by line and drops a reason unless not applicable', () => {
    const d = { ...draftOf('0101'), status: 'DISCLOSED' as const, naReason: '旧理由', evidence: ' https://a.gov.cn/1 \n\nhttps://a.gov.cn/2' }
    expect(toInput(d)).toMatchObject({
      itemCode: '0101',
      naReason: null,
      evidenceUrls: ['https://a.gov.cn/1', 'https://a.gov.cn/2'],
    })
    expect(toInput({ ...d, status: 'NOT_APPLICABLE', naReason: ' 本机构无此职能 ' })?.naReason).toBe('本机构无此职能')
  })

  it('carries a policy document’s interpretation through', () => {
    const d = draftOf('0301', {
      itemCode: '0301',
      status: 'DISCLOSED',
      naReason: null,
      formedOn: '2026-03-02',
      publishedOn: '2026-03-09',
      channels: ['WEBSITE'],
      evidenceUrls: [],
      interpretationOn: '2026-03-10',
      interpretationForms: ['GRAPHIC', 'Q_AND_A'],
      note: null,
      prefilled: false,
      periods: [],
    })
    expect(toInput(d)).toMatchObject({ interpretationOn: '2026-03-10', interpretationForms: ['GRAPHIC', 'Q_AND_A'] })
  })

  it('sends only the periods with a date', () => {
    const d = { ...draftOf('0703'), status: 'DISCLOSED' as const, periods: { '2026-Q1': '2026-04-20', '2026-Q2': null } }
    expect(toInput(d)?.periods).toEqual([{ period: '2026-Q1', publishedOn: '2026-04-20' }])
  })

  it('tells drafts apart only by what would be sent', () => {
    const a = { ...draftOf('0101'), status: 'DISCLOSED' as const, note: '说明 ' }
    expect(same(a, { ...a, note: '说明' })).toBe(true)
    expect(same(a, { ...a, status: 'PARTIAL' })).toBe(false)
  })

  it('maps the server’s problems onto items', () => {
    expect(
      problemsByItem([
        { field: 'answers[0101].publishedOn', message: '公开日期不能早于形成日期' },
        { field: 'answers[0203]', message: '尚未填写' },
        { field: 'expectedVersion', message: '版本已变化' },
      ]),
    ).toEqual([
      { code: '0101', field: 'publishedOn', message: '公开日期不能早于形成日期' },
      { code: '0203', field: '', message: '尚未填写' },
      { code: null, field: 'expectedVersion', message: '版本已变化' },
    ])
  })
})
