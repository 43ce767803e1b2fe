// A checklist's answers as the fill page edits them, and the server's problem list
// mapped back onto items.
import type { AnswerFieldsFragment, AnswerInput, AnswerStatus, Channel, InterpretationForm } from '../generated/graphql'

export interface Draft {
  itemCode: string
  status: AnswerStatus | null
  naReason: string
  formedOn: string | null
  publishedOn: string | null
  channels: Channel[]
  evidence: string
  /** Policy documents: when and how the interpretation (政策解读) was published. */
  interpretationOn: string | null
  interpretationForms: InterpretationForm[]
  note: string
  /** Periodic items: publication date per period label. */
  periods: Record<string, string | null>
}

export function draftOf(code: string, a?: AnswerFieldsFragment): Draft {
  return {
    itemCode: code,
    status: a?.status ?? null,
    naReason: a?.naReason ?? '',
    formedOn: a?.formedOn ?? null,
    publishedOn: a?.publishedOn ?? null,
    channels: [...(a?.channels ?? [])],
    evidence: (a?.evidenceUrls ?? []).join('\n'),
    interpretationOn: a?.interpretationOn ?? null,
    interpretationForms: [...(a?.interpretationForms ?? [])],
    note: a?.note ?? '',
    periods: Object.fromEntries((a?.periods ?? []).map((p) => [p.period, p.publishedOn ?? null])),
  }
}

/** What `saveAnswers` takes; an item without a status yet is not sent. */
export function toInput(d: Draft): AnswerInput | null {
  if (!d.status) return null
  return {
    itemCode: d.itemCode,
    status: d.status,
    naReason: d.status === 'NOT_APPLICABLE' ? d.naReason.trim() || null : null,
    formedOn: d.formedOn,
    publishedOn: d.publishedOn,
    channels: d.channels,
    evidenceUrls: d.evidence
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean),
    interpretationOn: d.interpretationOn,
    interpretationForms: d.interpretationForms,
    note: d.note.trim() || null,
    periods: Object.entries(d.periods)
      .filter(([, on]) => on)
      .map(([period, publishedOn]) => ({ period, publishedOn })),
  }
}

/** Two drafts say the same thing. */
export function same(a: Draft, b: Draft): boolean {
  return JSON.stringify(toInput(a)) === JSON.stringify(toInput(b))
}

export interface ItemProblem {
  code: string | null
  field: string
  message: string
}

/** `answers[0101].publishedOn` → item 0101, field publishedOn; anything else stays whole. */
export function problemsByItem(fields: { field: string; message: string }[]): ItemProblem[] {
  return fields.map(({ field, message }) => {
    const m = /^answers\[([^\]]+)\](?:\.(.+))?$/.exec(field)
    return m ? { code: m[1], field: m[2] ?? '', message } : { code: null, field, message }
  })
}
