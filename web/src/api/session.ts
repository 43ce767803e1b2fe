// Who is signed in. Sign-in goes through `/auth/login`, which sets an HttpOnly cookie
// the page never sees; `me` tells the page who it is.
import { reactive } from 'vue'
import { MeDocument, type MeQuery } from '../generated/graphql'
import { ApiError, postJson, request } from './client'

export type Viewer = MeQuery['me']

export const session = reactive<{ viewer: Viewer | null; loaded: boolean; notice: string }>({
  viewer: null,
  loaded: false,
  // Why the user is back on the sign-in page (session ended, …).
  notice: '',
})

export async function loadViewer(): Promise<Viewer | null> {
  try {
    session.viewer = (await request(MeDocument)).me
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'UNAUTHENTICATED') throw e
    session.viewer = null
    if (e.message.includes('失效')) session.notice = e.message
  }
  session.loaded = true
  return session.viewer
}

export async function login(username: string, password: string): Promise<void> {
  const response = await postJson('/auth/login', { username, password })
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string }
    throw new ApiError(body.message ?? `登录失败（${response.status}）`, body.code ?? 'INTERNAL')
  }
  session.notice = ''
  await loadViewer()
}

export async function logout(): Promise<void> {
  await postJson('/auth/logout', {}).catch(() => {})
  session.viewer = null
}

export function hasRole(role: string): boolean {
  return session.viewer?.roles.includes(role as never) ?? false
}
