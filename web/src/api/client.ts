// The one way the application talks to the server: GraphQL over fetch, with the
// session cookie the server set at sign-in. Errors come back as `ApiError` carrying
// the server's `extensions.code` so pages can say what went wrong in words.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { getOperationAST, print } from 'graphql'
import { type Client, createClient } from 'graphql-ws'

export interface FieldProblem {
  field: string
  message: string
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly fields: FieldProblem[] = [],
    readonly currentVersion?: number,
  ) {
    super(message)
  }
}

interface GraphqlError {
  message: string
  extensions?: { code?: string; fields?: FieldProblem[]; currentVersion?: number }
}

/**
 * Called when the server no longer knows the session (expired, revoked): the app sends
 * the user to sign in again with the server's words.
 */
let onSessionEnded: (message: string) => void = () => {}
export function whenSessionEnds(handler: (message: string) => void) {
  onSessionEnded = handler
}

/** Turns a GraphQL response's first error into an `ApiError`. */
export function toApiError(errors: GraphqlError[]): ApiError {
  const first = errors[0]
  const ext = first?.extensions ?? {}
  return new ApiError(first?.message ?? '未知错误', ext.code ?? 'INTERNAL', ext.fields ?? [], ext.currentVersion)
}

const printed = new WeakMap<object, string>()

/** POSTs JSON with the session cookie; a network failure becomes a NETWORK error. */
export async function postJson(path: string, body: unknown): Promise<Response> {
  try {
    return await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  } catch {
    throw new ApiError('无法连接服务器，请检查网络', 'NETWORK')
  }
}

export async function request<R, V extends Record<string, unknown>>(
  document: TypedDocumentNode<R, V>,
  variables?: V,
): Promise<R> {
  let query = printed.get(document)
  if (!query) {
    query = print(document)
    printed.set(document, query)
  }
  const response = await postJson('/graphql', { query, variables })
  const body = (await response.json().catch(() => ({}))) as { data?: R; errors?: GraphqlError[] }
  if (body.errors?.length) {
    const error = toApiError(body.errors)
    // `Me` is how the app asks whether anyone is signed in; its answer is not news.
    if (error.code === 'UNAUTHENTICATED' && getOperationAST(document)?.name?.value !== 'Me') onSessionEnded(error.message)
    throw error
  }
  if (!response.ok || !body.data) throw new ApiError(`服务器错误（${response.status}）`, 'INTERNAL')
  return body.data
}

let socket: Client | undefined

/**
 * Listens to a subscription over `/graphql/ws` (the session cookie goes with the
 * upgrade). Returns a function that stops listening.
 */
export function subscribe<R, V extends Record<string, unknown>>(
  document: TypedDocumentNode<R, V>,
  variables: V,
  next: (data: R) => void,
): () => void {
  socket ??= createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql/ws`,
    lazy: true,
    retryAttempts: Infinity,
  })
  return socket.subscribe<R>(
    { query: print(document), variables },
    {
      next: (value) => value.data && next(value.data),
      error: () => {},
      complete: () => {},
    },
  )
}

/**
 * A GraphQL multipart request (one file at `variables.file`), with upload progress
 * reported in [0, 1] — XMLHttpRequest, because fetch cannot report it.
 */
export function upload<R, V extends { file: unknown }>(
  document: TypedDocumentNode<R, V>,
  variables: Omit<V, 'file'>,
  file: File,
  progress: (fraction: number) => void = () => {},
): Promise<R> {
  const form = new FormData()
  form.append('operations', JSON.stringify({ query: print(document), variables: { ...variables, file: null } }))
  form.append('map', JSON.stringify({ 0: ['variables.file'] }))
  form.append('0', file)
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/graphql')
    xhr.withCredentials = true
    // A header no HTML form can send: the server refuses cookie uploads without it.
    xhr.setRequestHeader('apollo-require-preflight', 'true')
    xhr.upload.onprogress = (e) => e.lengthComputable && progress(e.loaded / e.total)
    xhr.onerror = () => reject(new ApiError('无法连接服务器，请检查网络', 'NETWORK'))
    xhr.onload = () => {
      let body: { data?: R; errors?: GraphqlError[] } = {}
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        /* not JSON: reported below */
      }
      if (body.errors?.length) reject(toApiError(body.errors))
      else if (body.data) resolve(body.data)
      else reject(new ApiError(`服务器错误（${xhr.status}）`, 'INTERNAL'))
    }
    xhr.send(form)
  })
}
