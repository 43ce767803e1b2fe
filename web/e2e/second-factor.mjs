// The administrator's first sign-in in a real browser, against `touming serve` with the
// production default (second factor required): the password alone brings the
// enrolment page with a QR code; a code computed from the key shown (as an
// authenticator app would) signs in and shows ten recovery codes once; the next
// sign-in asks for a code, and a recovery code gets in.
// Usage: node e2e/second-factor.mjs <base URL> <username> <password>
import { createHmac } from 'node:crypto'
import { chromium } from 'playwright-core'

const [base, username, password] = process.argv.slice(2)
const shots = new URL('../../docs/screenshots/', import.meta.url).pathname
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
})
const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
page.setDefaultTimeout(20_000)
const step = (text) => console.log(`· ${text}`)
function check(condition, message) {
  if (!condition) throw new Error(message)
}

/** RFC 6238 with the parameters authenticator apps use: SHA-1, 6 digits, 30 s. */
function totp(base32) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const c of base32.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0')
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)))
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)))
  const mac = createHmac('sha1', key).update(counter).digest()
  const offset = mac[mac.length - 1] & 0xf
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000
  return value.toString().padStart(6, '0')
}

async function passwordStep() {
  await page.goto(`${base}/login`)
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录' }).click()
}

try {
  step('the password alone brings the enrolment page with a QR code, and no session')
  await passwordStep()
  await page.getByRole('heading', { name: '启用两步验证' }).waitFor()
  const qr = page.locator('[data-test="enrol-qr"]')
  await qr.waitFor()
  const src = await qr.getAttribute('src')
  check(src?.startsWith('data:image/png;base64,'), `the QR code is drawn in the page: ${src?.slice(0, 40)}`)
  const size = await qr.evaluate((img) => img.naturalWidth)
  check(size >= 100, `the QR image is ${size} px wide`)
  const secret = (await page.locator('code.secret').textContent()).trim()
  check(/^[A-Z2-7]{32}$/.test(secret), `a base32 key is shown: ${secret}`)
  const me = await page.evaluate(async () => {
    const r = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { user { username } } }' }) })
    return r.json()
  })
  check(me.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED', `no session yet: ${JSON.stringify(me)}`)
  await page.screenshot({ path: `${shots}15-second-factor-enrol.png` })

  step('a code from the key signs in and shows ten recovery codes once')
  await page.getByLabel('动态口令').fill(totp(secret))
  await page.getByRole('button', { name: '登录' }).click()
  const codes = page.locator('[data-test="recovery-codes"] li')
  await codes.first().waitFor()
  const recovery = await codes.allTextContents()
  check(recovery.length === 10, `${recovery.length} recovery codes`)
  await page.screenshot({ path: `${shots}16-recovery-codes.png` })
  await page.getByRole('button', { name: '已保存，进入系统' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
  const signedIn = await page.evaluate(async () => {
    const r = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { user { username secondFactor } } }' }) })
    return r.json()
  })
  check(signedIn.data?.me?.user?.secondFactor === true, `signed in, enrolled: ${JSON.stringify(signedIn)}`)

  step('the next sign-in asks for a code; a recovery code gets in')
  await page.evaluate(() => fetch('/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
  await passwordStep()
  await page.getByLabel('动态口令').waitFor()
  check(!(await page.locator('[data-test="enrol-qr"]').count()), 'no enrolment the second time')
  await page.getByLabel('动态口令').fill(recovery[0].trim())
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
  console.log('second-factor story passed')
} catch (e) {
  await page.screenshot({ path: `${shots}failure-second-factor.png` }).catch(() => {})
  console.error(e)
  process.exitCode = 1
} finally {
  await browser.close()
}
