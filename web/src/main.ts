import 'element-plus/theme-chalk/base.css'
import { vLoading } from 'element-plus'
import 'element-plus/theme-chalk/el-loading.css'
import { createApp } from 'vue'
import { whenSessionEnds } from './api/client'
import { session } from './api/session'
import App from './App.vue'
import { i18n } from './i18n'
import { router } from './router'
import './style.css'

// An expired or revoked session mid-work: back to sign-in, saying why, then back here.
whenSessionEnds((message) => {
  session.viewer = null
  session.notice = message
  const here = router.currentRoute.value
  if (here.name !== 'login') void router.push({ name: 'login', query: { next: here.fullPath } })
})

createApp(App).directive('loading', vLoading).use(i18n).use(router).mount('#app')
