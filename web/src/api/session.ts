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

/**
 * What a sign-in came to: signed in (with recovery codes to show once, when this
 * sign-in completed enrolling a second factor), or the server asks for a second
 * factor — a code from the authenticator, or first an enrolment with `secret`.
 */
export type SignIn =
  | { kind: 'signedIn'; recoveryCodes: string[] }
  | { kind: 'codeNeeded'; message: string }
  | { kind: 'enrolmentNeeded'; message: string; secret: string; otpauthUrl: string }

export async function login(username: string, password: string, code?: string): Promise<SignIn> {
  const response = await postJson('/auth/login', { username, password, code: code || null })
  const body = (await response.json().catch(() => ({}))) as {
    code?: string
    message?: string
    secret?: string
    otpauthUrl?: string
    recoveryCodes?: string[]
  }
  if (!response.ok) {
    const message = body.message ?? `登录失败（${response.status}）`
    if (body.code === 'SECOND_FACTOR_REQUIRED') return { kind: 'codeNeeded', message }
    if (body.code === 'SECOND_FACTOR_ENROLMENT' && body.secret && body.otpauthUrl)
      return { kind: 'enrolmentNeeded', message, secret: body.secret, otpauthUrl: body.otpauthUrl }
    throw new ApiError(message, body.code ?? 'INTERNAL')
  }
  session.notice = ''
  await loadViewer()
  return { kind: 'signedIn', recoveryCodes: body.recoveryCodes ?? [] }
}

export async function logout(): Promise<void> {
  await postJson('/auth/logout', {}).catch(() => {})
  session.viewer = null
}

export function hasRole(role: string): boolean {
  return session.viewer?.roles.includes(role as never) ?? false
}
