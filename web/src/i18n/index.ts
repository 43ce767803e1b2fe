import { createI18n } from 'vue-i18n'
import en from './en'
import zh from './zh-CN'

export type Locale = 'zh-CN' | 'en'

const saved = (localStorage.getItem('touming.locale') as Locale | null) ?? 'zh-CN'

export const i18n = createI18n({
  legacy: false,
  locale: saved,
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zh, en },
})

export function setLocale(locale: Locale) {
  i18n.global.locale.value = locale
  localStorage.setItem('touming.locale', locale)
  document.documentElement.lang = locale
}
