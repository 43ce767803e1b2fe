// Autosave for one checklist. Edits are collected per item and sent together a moment
// after the filler stops typing, with the version the last save returned. A stale
// version (someone else saved in between) is a conflict: nothing of ours was written,
// our edits are kept, and the page shows both sides so neither text is lost.
//
// The server takes a batch whole or not at all. When it refuses a batch because of
// some items (a link without http(s), a date in the future), those items are held
// back with the refusal and the rest are sent again at once: one bad field never
// stops the others from being saved. A held-back item goes again once it is edited.

export type SaveState = 'saved' | 'pending' | 'saving' | 'conflict' | 'refused' | 'error'

export interface SaveResult {
  version: number
}

export interface Conflict {
  currentVersion: number
}

export type Sender<A> = (version: number, answers: A[]) => Promise<SaveResult>

export function isConflict(e: unknown): e is { code: 'CONFLICT'; currentVersion?: number } {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === 'CONFLICT'
}

/** The item codes a refusal names, or null when it is not about particular items. */
export type RefusedItems = (e: unknown) => string[] | null

export class Autosave<A extends { itemCode: string }> {
  state: SaveState = 'saved'
  error = ''
  /** What the last failed save threw (a refused draft carries its field list). */
  failure: unknown = undefined
  /** Items the server refused, with the refusal, until they are edited again. */
  readonly refused = new Map<string, { answer: A; failure: unknown }>()
  private pending = new Map<string, A>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private running: Promise<void> | undefined

  constructor(
    public version: number,
    private send: Sender<A>,
    private onChange: (state: SaveState) => void = () => {},
    private delayMs = 800,
    private refusedItems: RefusedItems = () => null,
  ) {}

  /** The edits not yet on the server, by item code (held-back ones included). */
  unsaved(): A[] {
    const held = [...this.refused.values()].map((r) => r.answer).filter((a) => !this.pending.has(a.itemCode))
    return [...this.pending.values(), ...held]
  }

  edit(answer: A): void {
    this.refused.delete(answer.itemCode)
    this.pending.set(answer.itemCode, answer)
    this.failure = undefined
    if (this.state === 'conflict') return // held until the filler resolves it
    this.set('pending')
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.flush(), this.delayMs)
  }

  /** Sends what is pending now (also used before submitting). */
  async flush(): Promise<void> {
    clearTimeout(this.timer)
    if (this.running) await this.running
    if (this.pending.size === 0 || this.state === 'conflict') return
    const batch = new Map(this.pending)
    this.pending.clear()
    this.set('saving')
    this.running = this.send(this.version, [...batch.values()])
      .then((r) => {
        this.version = r.version
        this.set(this.settled())
        if (this.pending.size) this.timer = setTimeout(() => void this.flush(), this.delayMs)
      })
      .catch((e: unknown) => {
        const named = isConflict(e) ? null : this.refusedItems(e)
        const blamed = named?.filter((code) => batch.has(code)) ?? []
        if (blamed.length) {
          for (const code of blamed) {
            if (!this.pending.has(code)) this.refused.set(code, { answer: batch.get(code)!, failure: e })
            batch.delete(code)
          }
        }
        // Put the batch back under anything edited since, so nothing typed is lost.
        for (const [code, a] of batch) if (!this.pending.has(code)) this.pending.set(code, a)
        if (blamed.length) {
          this.failure = e
          this.set(this.settled())
          // The others go again straight away, without the refused items.
          if (this.pending.size) this.retry = true
        } else if (isConflict(e)) {
          this.set('conflict')
        } else {
          this.error = e instanceof Error ? e.message : String(e)
          this.failure = e
          this.set('error')
        }
      })
      .finally(() => {
        this.running = undefined
      })
    await this.running
    if (this.retry) {
      this.retry = false
      await this.flush()
    }
  }

  private retry = false

  /** What to show once nothing is in flight. */
  private settled(): SaveState {
    if (this.pending.size) return 'pending'
    return this.refused.size ? 'refused' : 'saved'
  }

  /**
   * After a conflict: the filler has seen the server's answers (at `version`) and
   * chosen, item by item, what to keep; `keep` is what to send on top of them.
   */
  async resolve(version: number, keep: A[]): Promise<void> {
    this.version = version
    this.pending = new Map(keep.map((a) => [a.itemCode, a]))
    this.refused.clear()
    this.set(this.pending.size ? 'pending' : 'saved')
    await this.flush()
  }

  private set(state: SaveState) {
    if (state === this.state) return
    this.state = state
    this.onChange(state)
  }
}
