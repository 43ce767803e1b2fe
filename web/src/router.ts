import { createRouter, createWebHistory } from 'vue-router'
import { loadViewer, session } from './api/session'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true } },
    { path: '/', name: 'home', component: () => import('./pages/HomePage.vue') },
    { path: '/fill/:id', name: 'fill', component: () => import('./pages/FillPage.vue'), props: true },
    {
      path: '/comparison/:round?/:parent?',
      name: 'comparison',
      component: () => import('./pages/ComparisonPage.vue'),
      props: true,
    },
    { path: '/rectifications', name: 'rectifications', component: () => import('./pages/RectificationPage.vue') },
    { path: '/rounds', name: 'rounds', component: () => import('./pages/RoundsPage.vue') },
    { path: '/catalogues', name: 'catalogues', component: () => import('./pages/CataloguesPage.vue') },
    { path: '/orgs', name: 'orgs', component: () => import('./pages/OrgsPage.vue') },
    { path: '/audit', name: 'audit', component: () => import('./pages/AuditPage.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
  if (!session.loaded) await loadViewer().catch(() => null)
  if (!to.meta.public && !session.viewer) return { name: 'login', query: { next: to.fullPath } }
  return true
})
