// Irreversible actions ask first, saying what will happen, and say afterwards what
// did. Element Plus' message box and message, with their styles (the component
// resolver only styles what templates use).
import { ElMessage, ElMessageBox } from 'element-plus'
import 'element-plus/es/components/message-box/style/css'
import 'element-plus/es/components/message/style/css'

/** True when the user confirmed `message`; false when they cancelled or closed it. */
export async function confirmed(title: string, message: string, confirmText: string): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, title, {
      confirmButtonText: confirmText,
      cancelButtonText: '取消',
      type: 'warning',
      autofocus: false,
    })
    return true
  } catch {
    return false
  }
}

/** A message that an action went through. */
export function done(message: string): void {
  ElMessage({ message, type: 'success', showClose: true, duration: 4000 })
}
