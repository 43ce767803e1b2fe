// Keyset pagination state shared by the list pages.
import { ref } from 'vue'

export interface PageInfo {
  hasNextPage: boolean
  endCursor?: string | null
}

export function usePages(load: (after: string | null) => Promise<PageInfo>) {
  const cursors: (string | null)[] = [null]
  const page = ref(0)
  const hasNext = ref(false)
  async function run() {
    const info = await load(cursors[page.value] ?? null)
    hasNext.value = info.hasNextPage
    cursors[page.value + 1] = info.endCursor ?? null
  }
  return {
    page,
    hasNext,
    /** From the first page again (filters changed). */
    reset: () => {
      page.value = 0
      cursors.length = 1
      return run()
    },
    /** The same page again (after a change to one of its rows). */
    reload: run,
    go: (delta: number) => {
      page.value = Math.max(0, page.value + delta)
      return run()
    },
  }
}
