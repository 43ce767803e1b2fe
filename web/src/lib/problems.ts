import { ApiError, type FieldProblem } from '../api/client'

/** What a refused form shows: the server's field list, or its one message. */
export function problemsOf(e: unknown): FieldProblem[] {
  if (e instanceof ApiError) return e.fields.length ? e.fields : [{ field: e.code, message: e.message }]
  return [{ field: 'INTERNAL', message: String(e) }]
}
