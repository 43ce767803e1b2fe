// Phones (a 390 px wide screen): lists become cards, so nothing needs sideways
// scrolling and every action stays within reach.
import { onBeforeUnmount, ref } from 'vue'

export const NARROW_QUERY = '(max-width: 640px)'

/** True while the viewport is phone-sized; follows rotation and resizing. */
export function useNarrow() {
  const query = window.matchMedia(NARROW_QUERY)
  const narrow = ref(query.matches)
  const update = (e: MediaQueryListEvent) => (narrow.value = e.matches)
  query.addEventListener('change', update)
  onBeforeUnmount(() => query.removeEventListener('change', update))
  return narrow
}
