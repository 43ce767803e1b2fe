// The audit trail as people read it: actions and objects by their Chinese names, a
// link to the object, and what changed as "字段：旧 → 新" rather than raw JSON.

export const ACTIONS: Record<string, string> = {
  login: '登录',
  login_failed: '登录失败',
  logout: '退出登录',
  'org.create': '新建机构',
  'user.create': '新建用户',
  'user.change_password': '修改密码',
  'user.change_password_failed': '修改密码失败',
  'user.reset_password': '重置密码',
  'user.deactivate': '停用账号',
  'user.reactivate': '重新启用账号',
  'user.unlock': '解除登录锁定',
  'user.reset_second_factor': '重置两步验证',
  'calendar.set_year': '设置节假日安排',
  'catalogue_version.create': '导入目录版本',
  'catalogue_version.publish': '发布目录版本',
  'round.create': '新建考核轮次',
  'round.open': '开启考核轮次',
  'round.close': '结束填报',
  'round.publish': '发布考核结果',
  'assignment.save_answers': '保存填报',
  'assignment.submit': '提交填报',
  'assignment.approve': '审核通过',
  'assignment.return': '退回修改',
  'assignment.self_check': '单位自查',
  'assignment.reopen': '重新开放填报',
  'evidence.upload': '上传佐证文件',
  'rectification.fix': '提交整改',
  'rectification.verify': '整改销号',
  'rectification.reopen': '退回重新整改',
}

export const ENTITIES: Record<string, string> = {
  assignment: '填报表',
  round: '考核轮次',
  catalogue_version: '目录版本',
  org: '机构',
  user: '用户',
  session: '会话',
  rectification: '整改事项',
  evidence_file: '佐证文件',
  calendar_year: '节假日安排',
}

/** A name for an action; one the list does not know is shown as it is stored. */
export const actionName = (action: string) => ACTIONS[action] ?? action
export const entityName = (entity: string) => ENTITIES[entity] ?? entity

/** Where the object of an event can be looked at, if anywhere. */
export function entityLink(entity: string, id: string | null | undefined): string | null {
  if (!id) return null
  switch (entity) {
    case 'assignment':
      return `/fill/${id}`
    case 'round':
      return '/rounds'
    case 'catalogue_version':
      return '/catalogues'
    case 'org':
    case 'user':
      return '/orgs'
    case 'rectification':
      return '/rectifications'
    default:
      return null
  }
}

/** Stored codes as the rest of the application names them. */
const VALUES: Record<string, string> = {
  NOT_STARTED: '未开始',
  DRAFT: '草稿/填报中',
  SUBMITTED: '已提交',
  RETURNED: '已退回',
  APPROVED: '已通过',
  OPEN: '进行中/待整改',
  CLOSED: '已结束',
  PUBLISHED: '已发布',
  FIXED: '已整改',
  VERIFIED: '已销号',
  REOPENED: '重新整改',
  builtin: '内置',
  wrong_password: '密码错误',
  unknown_user: '用户名不存在',
  locked: '账号已锁定',
  locked_now: '失败过多，账号被锁定',
  wrong_second_factor: '动态口令错误',
  true: '是',
  false: '否',
}
const FIELDS: Record<string, string> = {
  status: '状态',
  fromStatus: '原状态',
  toStatus: '新状态',
  active: '在用',
  username: '用户名',
  displayName: '姓名',
  roles: '角色',
  reason: '原因',
  comment: '意见',
  note: '说明',
  version: '版本',
  expiresAt: '会话到期',
  sessionsRevoked: '结束会话数',
  revoked: '已结束',
  secondFactor: '两步验证',
  enrolledNow: '本次绑定',
  title: '名称',
  comments: '事项意见',
  rejectedNotApplicable: '不认可的"不适用"',
  snapshotId: '提交快照',
  answers: '保存事项数',
}

const show = (v: unknown): string =>
  v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : (VALUES[String(v)] ?? String(v))
const field = (key: string) => FIELDS[key] ?? key

/**
 * What an event changed, one line per field: "字段：旧 → 新" where both sides are
 * known, "字段：值" for what was only written. Text that is not a JSON object is shown
 * as it is (never dropped).
 */
export function changes(before: string | null | undefined, after: string | null | undefined): string[] {
  const parse = (text: string | null | undefined): Record<string, unknown> | null => {
    if (!text) return null
    try {
      const v = JSON.parse(text)
      return v && typeof v === 'object' && !Array.isArray(v) ? v : null
    } catch {
      return null
    }
  }
  const b = parse(before)
  const a = parse(after)
  if (!a && !b) return [after ?? before ?? ''].filter((s) => s)
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])]
  const lines: string[] = []
  for (const key of keys) {
    const was = b?.[key]
    const now = a?.[key]
    if (b && a && JSON.stringify(was) === JSON.stringify(now)) continue
    lines.push(b && a ? `${field(key)}：${show(was)} → ${show(now)}` : `${field(key)}：${show(a ? now : was)}`)
  }
  return lines
}
