import { afterEach, describe, expect, it, vi } from 'vitest'
import { MeDocument, MyAssignmentsDocument } from '../generated/graphql'
import { ApiError, request, whenSessionEnds } from './client'

// The server's answer for a session that ended, as the API sends it.
const ended = {
  data: null,
  errors: [{ message: '会话已失效，请重新登录', extensions: { code: 'UNAUTHENTICATED' } }],
}

describe('the client', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('says why and sends the user to sign in when a session ends mid-work', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify(ended), { status: 200 }))
    const told: string[] = []
    whenSessionEnds((m) => told.push(m))
    await expect(request(MyAssignmentsDocument)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    expect(told).toEqual(['会话已失效，请重新登录'])
    // Asking who is signed in is how the app starts; that is not a session ending.
    await expect(request(MeDocument)).rejects.toBeInstanceOf(ApiError)
    expect(told).toHaveLength(1)
  })

  it('keeps the field list and the current version of a refused change', async () => {
    const conflict = { errors: [{ message: '已被他人修改', extensions: { code: 'CONFLICT', currentVersion: 9, fields: [] } }] }
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify(conflict)))
    await expect(request(MyAssignmentsDocument)).rejects.toMatchObject({ code: 'CONFLICT', currentVersion: 9 })
  })

  it('says the server cannot be reached rather than failing obscurely', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('fetch failed')
    })
    await expect(request(MyAssignmentsDocument)).rejects.toMatchObject({ code: 'NETWORK' })
  })
})
