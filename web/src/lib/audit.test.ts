import { describe, expect, it } from 'vitest'
import { actionName, changes, entityLink } from './audit'

describe('audit', () => {
  it('names actions in Chinese and keeps unknown ones as stored', () => {
    expect(actionName('round.close')).toBe('结束填报')
    expect(actionName('something.new')).toBe('something.new')
  })

  it('shows what changed, field by field', () => {
    expect(changes('{"active":true,"username":"a"}', '{"active":false,"username":"a"}')).toEqual(['在用：是 → 否'])
    expect(changes(null, '{"reason":"wrong_password"}')).toEqual(['原因：密码错误'])
    expect(changes('{"status":"DRAFT"}', '{"status":"SUBMITTED"}')).toEqual(['状态：草稿/填报中 → 已提交'])
    expect(changes(null, '{"oddKey":"x"}')).toEqual(['oddKey：x'])
    expect(changes(null, 'not json')).toEqual(['not json'])
    expect(changes(null, null)).toEqual([])
  })

  it('links to the object where there is a page for it', () => {
    expect(entityLink('assignment', '7')).toBe('/fill/7')
    expect(entityLink('session', '7')).toBeNull()
    expect(entityLink('assignment', null)).toBeNull()
  })
})
