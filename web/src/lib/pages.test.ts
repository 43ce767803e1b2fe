import { describe, expect, it } from 'vitest'
import { usePages } from './pages'

describe('keyset pages', () => {
  it('goes forward with the last cursor and back with the one before', async () => {
    const asked: (string | null)[] = []
    const pages = usePages(async (after) => {
      asked.push(after)
      const n = after === null ? 0 : Number(after)
      return { hasNextPage: n < 2, endCursor: String(n + 1) }
    })
    await pages.reset()
    await pages.go(1)
    await pages.go(1)
    expect(pages.hasNext.value).toBe(false)
    await pages.go(-1)
    expect(asked).toEqual([null, '1', '2', '1'])
    expect(pages.page.value).toBe(1)
    await pages.reset()
    expect(asked.at(-1)).toBeNull()
  })
})
