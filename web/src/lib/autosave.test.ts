import { describe, expect, it } from 'vitest'
import { Autosave, type SaveState } from './autosave'

type A = { itemCode: string; note: string }

function server(startVersion: number) {
  const s = {
    version: startVersion,
    saved: [] as A[][],
    conflictOnce: false,
    async send(version: number, answers: A[]) {
      if (s.conflictOnce || version !== s.version) {
        s.conflictOnce = false
        throw Object.assign(new Error('已被他人修改'), { code: 'CONFLICT', currentVersion: s.version })
      }
      s.saved.push(answers)
      s.version += 1
      return { version: s.version }
    },
  }
  return s
}

describe('autosave', () => {
  it('sends edits together with the version the last save returned', async () => {
    const srv = server(3)
    const states: SaveState[] = []
    const a = new Autosave<A>(3, srv.send, (s) => states.push(s), 10_000)
    a.edit({ itemCode: '0101', note: 'a' })
    a.edit({ itemCode: '0102', note: 'b' })
    a.edit({ itemCode: '0101', note: 'a2' })
    await a.flush()
    expect(srv.saved).toEqual([[{ itemCode: '0101', note: 'a2' }, { itemCode: '0102', note: 'b' }]])
    expect(a.version).toBe(4)
    a.edit({ itemCode: '0103', note: 'c' })
    await a.flush()
    expect(a.version).toBe(5)
    expect(states).toEqual(['pending', 'saving', 'saved', 'pending', 'saving', 'saved'])
  })

  it('keeps every edit through a conflict and sends the chosen ones after it', async () => {
    const srv = server(7)
    const a = new Autosave<A>(7, srv.send, () => {}, 10_000)
    srv.version = 8 // someone else saved
    a.edit({ itemCode: '0101', note: 'mine' })
    await a.flush()
    expect(a.state).toBe('conflict')
    expect(a.unsaved()).toEqual([{ itemCode: '0101', note: 'mine' }])
    // Typing goes on during the conflict; nothing is sent until it is resolved.
    a.edit({ itemCode: '0102', note: 'more' })
    await a.flush()
    expect(srv.saved).toEqual([])
    expect(a.unsaved().map((x) => x.itemCode)).toEqual(['0101', '0102'])
    await a.resolve(8, a.unsaved())
    expect(a.state).toBe('saved')
    expect(srv.saved).toEqual([[{ itemCode: '0101', note: 'mine' }, { itemCode: '0102', note: 'more' }]])
    expect(a.version).toBe(9)
  })

  it('keeps the edits and says why when the network fails', async () => {
    const a = new Autosave<A>(1, async () => {
      throw new Error('无法连接服务器')
    })
    a.edit({ itemCode: '0101', note: 'x' })
    await a.flush()
    expect(a.state).toBe('error')
    expect(a.error).toBe('无法连接服务器')
    expect(a.unsaved()).toEqual([{ itemCode: '0101', note: 'x' }])
  })

  it('keeps what the server said about a refused draft until the next edit', async () => {
    const refused = Object.assign(new Error('输入有误'), { code: 'VALIDATION', fields: [{ field: 'answers[0101].publishedOn', message: '公开日期不能晚于今天' }] })
    let fail = true
    const a = new Autosave<A>(1, async () => {
      if (fail) throw refused
      return { version: 2 }
    })
    a.edit({ itemCode: '0101', note: 'x' })
    await a.flush()
    expect(a.failure).toBe(refused)
    fail = false
    a.edit({ itemCode: '0101', note: 'y' })
    expect(a.failure).toBeUndefined()
    await a.flush()
    expect(a.state).toBe('saved')
    expect(a.version).toBe(2)
  })

  it('holds back a refused item and saves the others at once', async () => {
    const saved: A[][] = []
    let version = 1
    const send = async (v: number, answers: A[]) => {
      const bad = answers.filter((a) => a.note.startsWith('ftp:'))
      if (bad.length)
        throw Object.assign(new Error('链接须以 http(s):// 开头'), { code: 'VALIDATION', items: bad.map((a) => a.itemCode) })
      expect(v).toBe(version)
      saved.push(answers)
      version += 1
      return { version }
    }
    const refusedItems = (e: unknown) => (e as { items?: string[] }).items ?? null
    const states: SaveState[] = []
    const a = new Autosave<A>(1, send, (s) => states.push(s), 10_000, refusedItems)
    a.edit({ itemCode: '0101', note: 'good' })
    a.edit({ itemCode: '0102', note: 'ftp://bad' })
    a.edit({ itemCode: '0103', note: 'also good' })
    await a.flush()
    expect(saved).toEqual([[{ itemCode: '0101', note: 'good' }, { itemCode: '0103', note: 'also good' }]])
    expect(a.state).toBe('refused')
    expect([...a.refused.keys()]).toEqual(['0102'])
    expect(a.unsaved()).toEqual([{ itemCode: '0102', note: 'ftp://bad' }])

    // Later edits elsewhere are not held up by it…
    a.edit({ itemCode: '0104', note: 'later' })
    await a.flush()
    expect(saved.at(-1)).toEqual([{ itemCode: '0104', note: 'later' }])
    expect(a.state).toBe('refused')
    // …and the fixed item goes on its own.
    a.edit({ itemCode: '0102', note: 'https://fixed' })
    await a.flush()
    expect(saved.at(-1)).toEqual([{ itemCode: '0102', note: 'https://fixed' }])
    expect(a.state).toBe('saved')
    expect(a.refused.size).toBe(0)
    expect(states).toContain('refused')
  })
})
