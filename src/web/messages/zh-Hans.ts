// Simplified Chinese, written for readers in mainland China: the movement's own words (三退), plain
// words for the technical parts (公开登记册 for the log, 核对码 for the commitment).
import type { Messages } from './en.ts';

export const zhHans: Messages = {
  'site.name': '三退登记',
  'site.tagline': '退出中共、共青团、少先队的声明，一条一条公开记录，人人可以核对',
  'nav.home': '首页',
  'nav.declare': '声明三退',
  'nav.statements': '三退声明',
  'nav.stats': '统计',
  'nav.figures': '数字对照',
  'nav.about': '关于本站',
  'nav.receipt': '核对回执',
  'nav.languages': '语言',
  'nav.skip': '跳到正文',
  'org.party': '中国共产党',
  'org.league': '共青团',
  'org.pioneers': '少先队',
  'channel.web': '网上填写',
  'channel.volunteer': '义工代为登记',
  'channel.phone': '电话',
  'channel.centre': '服务中心',
  'channel.import': '历史记录（导入）',
  'region.none': '未填写',
  'home.title': '三退人数，人人可以清点',
  'home.total': (_n: number, figure: string) => `已有 ${figure} 人声明三退`,
  'home.totalNote':
    '每一位声明者都是公开登记册里的一条记录，任何人都能下载登记册，自己重新清点。但本站无法证明每条记录都是一个不同的真人：同一个人也可能声明两次。',
  'home.byOrg': '各组织的退出人数',
  'home.check': '亲自核对这个数字',
  'home.checkText':
    '下载核对程序（只有一个文件，用 Node.js 18 或更新版本运行），一条命令就能把整本登记册重新清点一遍。登记册里没有姓名：每条记录只有一个核对码，谁也无法从核对码反推出姓名。',
  'home.declare': '声明三退',
  'home.latest': '最新公开的声明',
  'home.noStatements': '还没有公开的声明。',
  'home.chart': '每月声明人数',
  'home.chartDesc': (bars: number) =>
    `自第一份声明以来的 ${bars} 个月，每月一根柱子，历史记录与本站声明分开显示。`,
  'chart.month': '月份',
  'chart.count': '人数',
  'declare.title': '声明三退',
  'declare.intro': '一份表格可以只为您自己声明，也可以为全家声明。可以用真名，也可以用化名。',
  'declare.privacy':
    '我们保存什么：公开登记册里没有姓名，没有声明内容，也没有声明的具体时刻，只有一个核对码和日期。只有您勾选下面的方框，并且通过审核，您的姓名和声明才会公开。我们不记录您的 IP 地址。回执是认出您这条记录的唯一凭据，请妥善保存。',
  'declare.person': (n: number) => `第 ${n} 人`,
  'declare.name': '姓名',
  'declare.nameKind': '这个名字是',
  'declare.real': '真名',
  'declare.alias': '化名',
  'declare.orgs': '退出的组织',
  'declare.region': '地区（选填）',
  'declare.statement': '声明内容（选填）',
  'declare.publish': '同意公开我的姓名和声明（经审核后）',
  'declare.add': '再加一位家人',
  'declare.submit': '提交声明',
  'declare.errors': '请修改下面标出的栏目。目前还没有记录任何内容。',
  'declare.busy': '登记系统正忙，请稍后再提交一次。目前还没有记录任何内容。',
  'declare.tooMany': (seconds: number) =>
    `从您的网络连接提交的声明太多了。请等 ${seconds} 秒再提交。目前还没有记录任何内容。`,
  'declare.rejected':
    '这份表格无法受理，目前还没有记录任何内容。请检查填写的内容，再按一次“提交声明”。',
  'declare.honeypot': '这一栏请留空',
  'declare.wait': (seconds: number) =>
    `请检查填写的内容，${seconds} 秒后再提交一次（这是为了挡住自动程序的大量提交）。目前还没有记录任何内容。`,
  'declare.working': '正在准备您的声明……',
  'error.required': '请填写这一栏。',
  'error.tooLong': (max: number) => `太长了，最多 ${max} 个字。`,
  'error.control': '含有无法使用的字符。',
  'error.chooseOrg': '请至少选一个组织。',
  'error.invalid': '填写的内容不符合要求。',
  'error.tooMany': (max: number) => `一次最多 ${max} 人一起声明。`,
  'receipt.title': '您的声明已记入公开登记册',
  'receipt.keep':
    '请马上保存这张回执。它能证明您的声明在公开登记册里，也只有它能认出哪条记录是您的。我们不留副本。',
  'receipt.entry': '记录编号',
  'receipt.day': '日期',
  'receipt.orgs': '组织',
  'receipt.json': '回执（请保存这段文字）',
  'receipt.download': '下载回执',
  'receipt.verifying': '正在您的浏览器里核对回执……',
  'receipt.verified': (size: number, key: string) =>
    `已在您的浏览器里核对无误：登记册有 ${size} 条记录时签发的版本收录了这条记录，签名方为 ${key}。`,
  'receipt.failed': (why: string) => `这张回执没有通过核对：${why}`,
  'receipt.noScript':
    '要在自己的电脑上核对回执（需要 Node.js 18 或更新版本），请下载核对程序，按“关于本站”页上的命令运行：',
  'receipt.checkTitle': '核对回执',
  'receipt.checkIntro': '粘贴回执，核对这条记录是否在登记册里。',
  'receipt.checkButton': '核对',
  'stats.title': '统计',
  'stats.what':
    '这里统计的是声明的份数，不是核实过身份的人数：同一个人也可能声明两次。本站建立之前的历史记录单独列出。每一个数字，任何人运行核对程序，都能从公开登记册重新算出来。',
  'stats.registered': '在本站声明',
  'stats.imported': '历史记录（导入）',
  'stats.voided': '作废的记录（及原因）',
  'stats.byOrg': '按组织',
  'stats.byChannel': '按声明途径',
  'stats.byRegion': '按地区',
  'stats.byMonth': '按月份',
  'stats.csv': '下载 CSV 表格',
  'stats.total': '全部声明',
  'stats.treeSize': (n: string) => `登记册记录总数：${n}`,
  'figures.title': '数字对照',
  'figures.intro': '其他地方公布的数字及出处，与本站人人都能核对的数字并列对照。',
  'figures.claim': '项目',
  'figures.value': '数字',
  'figures.source': '出处',
  'figures.date': '截至',
  'figures.verifiable': '本登记册收录的三退声明（人人可核对）',
  'about.title': '关于本站',
  'about.how': '如何运作',
  'about.howText':
    '每一位声明者，都是公开登记册里的一条记录。这本登记册只能添加，不能删改，以普通文件的形式公开，任何人都能复制（技术上称为只可追加的默克尔日志）。登记册的每一个版本都有签名：有人改写过去的记录，或者给不同的人看不同的版本，核对程序都会发现。',
  'about.verify': '如何核对',
  'about.verifyText':
    '下载核对程序（只有一个文件，用 Node.js 18 或更新版本运行，不用安装别的东西），然后重新清点全部记录，或者核对一张回执：',
  'about.stored': '保存什么，保存多久',
  'about.storedText':
    '永久公开：每个人的声明日期、退出的组织、声明途径、地区（如果填写了），以及一个核对码；没有回执，谁也无法从核对码反推出姓名。不公开，直到您要求删除为止：您的姓名和声明，而且只在您同意公开时才保存。从不保存：IP 地址、浏览器资料、声明的具体时刻，以及您回执的副本。',
  'about.threats': '我们防范的风险',
  'about.threatsText':
    '我们设想对手十分强大：可能查封我们的服务器，可能用假声明冲击登记系统，也可能声称这些数字是编造的。假记录可以作废，但只能另记一条公开记录，写明作废哪一条、为什么。这些数字，任何人都可以自己核对。',
  'footer.privacy': '不用 Cookie，不做追踪，不加载任何第三方资源。',
  'footer.code': '关闭 JavaScript 也能使用本站。',
  'statements.title': '三退声明',
  'statements.search': '搜索',
  'statements.org': '组织',
  'statements.any': '不限',
  'statements.year': '年份',
  'statements.filter': '筛选',
  'statements.none': '没有符合条件的声明。',
  'statements.feed': 'Atom 订阅源',
  'statements.newer': '较新的',
  'statements.older': '较早的',
  'statements.alias': '化名',
  'erase.title': '删除已公开的姓名和声明',
  'erase.intro':
    '请粘贴您的回执。回执里的秘密部分能证明这条记录是您的，我们随即永久删除您的姓名和声明。您的记录仍留在登记册里，但没有回执，谁也认不出是谁。',
  'erase.button': '删除',
  'erase.done': (n: number) =>
    n === 1 ? '您的姓名和声明已经删除。' : `已删除 ${n} 条公开的姓名和声明。`,
  'erase.none': '没有与这张回执对应的公开内容（可能已经删除了）。',
  'erase.link': '删除已公开的姓名和声明',
  'nav.newsletter': '邮件简报',
  'newsletter.title': '邮件简报',
  'newsletter.intro':
    '每年几次，用电子邮件告诉您本站的最新动态。您的地址不作别的用途，每封邮件都附有退订链接。',
  'newsletter.email': '电子邮件地址',
  'newsletter.consent': '我同意本站保存我的地址，用来寄送邮件简报，直到我退订为止（条款第 1 版）。',
  'newsletter.subscribe': '订阅',
  'newsletter.sent': '如果地址无误，确认邮件已经寄出。邮件里的链接 48 小时内有效。',
  'newsletter.confirmed': '订阅已确认。',
  'newsletter.expired': '这个链接已过期或无效，请重新订阅。',
  'newsletter.unsubscribe': '退订',
  'newsletter.unsubscribed': '已经退订，您不会再收到我们的邮件。',
  'newsletter.unavailable': '本站目前不提供邮件简报。',
  'newsletter.errorEmail': '请填写有效的电子邮件地址。',
  'newsletter.errorConsent': '请先同意条款，再订阅。',
  'mail.confirmSubject': '请确认订阅',
  'mail.confirmBody': (link: string) =>
    `请在 48 小时内打开下面的链接，确认订阅邮件简报：\n\n${link}\n\n如果您没有订阅，请忽略这封邮件。`,
  'staff.title': '工作人员',
  'staff.login': '登录',
  'staff.username': '用户名',
  'staff.password': '密码',
  'staff.loginFailed': '用户名或密码不对。',
  'staff.wait': (seconds: number) => `失败次数太多，请等 ${seconds} 秒再试。`,
  'staff.queue': '待审核',
  'staff.none': '没有待审核的内容。',
  'staff.approve': '批准',
  'staff.reject': '拒绝',
  'staff.erase': '删除',
  'staff.logout': '退出登录',
  'staff.signedIn': (name: string) => `已登录：${name}。`,
  'staff.forbidden': '只有审核员或管理员才能这样操作。',
  'staff.expired': '表格已过期，请再试一次。',
  'volunteer.title': '代他人声明',
  'volunteer.intro':
    '用于电话、服务中心或当面收到的声明。每个人都会得到一张回执：请打印出来，交给本人。',
  'volunteer.channel': '收到的途径',
  'volunteer.batch': '一次登记多人（CSV 表格）',
  'volunteer.batchHelp': '每行一人，第一行写各栏的名称。每一栏写什么，见下面的说明。',
  'volunteer.batchSubmit': '全部提交',
  'nav.staff': '工作人员',
  'staff.redact': '保存修改并批准',
  'staff.edit': '批准前修改（删去可能危及他人的内容）',
  'notFound.title': '找不到页面',
  'notFound.text': '这个地址没有内容。',
  // Staff pages: moderation queue, confirmations, audit log, voids, CSV limits (src/web/pages/staff.ts, volunteer.ts)
  'staff.nav.queue': '审核',
  'staff.nav.audit': '操作记录',
  'staff.nav.void': '作废条目',
  'staff.count': (total: string, from: string, to: string) =>
    `共 ${total} 条等待审核，最早的排在前面。本页显示第 ${from} 至 ${to} 条。`,
  'staff.newer': '较新的',
  'staff.oldest': '回到最早的',
  'staff.select': (index: string) => `选择第 ${index} 号`,
  'staff.approveSelected': '批准所选',
  'staff.done.approve': (n: number) => `已批准 ${n} 条声明。`,
  'staff.done.reject': (n: number) => `已拒绝 ${n} 条声明。`,
  'staff.done.erase': (n: number) => `已永久删除 ${n} 条声明。`,
  'staff.done.redact': (n: number) => `已批准修改后的 ${n} 条声明。`,
  'staff.done.missing': (n: number) => `其中 ${n} 条已不在等待中，可能已由其他审核员处理。`,
  'staff.confirm.reject': '确定拒绝这些声明吗？',
  'staff.confirm.rejectText': '它们不会在网站上显示。这些声明仍计入登记册的总数。',
  'staff.confirm.rejectYes': '确定拒绝',
  'staff.confirm.erase': '确定永久删除这些声明吗？',
  'staff.confirm.eraseText': '姓名和声明内容将被删除，无法恢复。这些声明仍计入登记册的总数。',
  'staff.confirm.eraseYes': '确定永久删除',
  'staff.confirm.gone': (index: string) => `第 ${index} 号已不在等待中。`,
  'staff.cancel': '取消',
  'staff.badIndex': '条目编号只能用阿拉伯数字填写，例如 73。',
  'staff.noneSelected': '请先选择至少一条声明。',
  'staff.badAction': '没有这个操作，请使用列表中的按钮。',
  'staff.adminOnly': '此页面仅限管理员使用。',
  'staff.throttled': (seconds: number) =>
    `失败的次数太多：请等待 ${seconds} 秒后再试，或者现在就连同密码一起输入身份验证器应用显示的验证码登录。`,
  'audit.title': '操作记录',
  'audit.intro':
    '工作人员的每一项操作：谁、做了什么、何时、针对哪个条目。记录中不含任何姓名或声明内容。',
  'audit.when': '时间（UTC）',
  'audit.who': '操作人',
  'audit.what': '操作',
  'audit.target': '条目',
  'audit.older': '较早的',
  'audit.newest': '回到最新的',
  'audit.none': '还没有任何记录。',
  'audit.action.login': '登录',
  'audit.action.logout': '退出登录',
  'audit.action.approve': '批准',
  'audit.action.reject': '拒绝',
  'audit.action.erase': '删除',
  'audit.action.redact': '修改后批准',
  'audit.action.declare': '代他人声明',
  'audit.action.void': '作废',
  'audit.action.create-user': '创建账号',
  'void.title': '作废条目',
  'void.intro':
    '作废会在登记册中新增一条公开条目，注明被作废的条目和原因。任何内容都不会被删除：总数立即减少，任何人重新计数时都能看到这项更正。',
  'void.indexes': '条目编号（用空格或逗号分隔）',
  'void.reason': '原因',
  'void.reason.flood': '大量虚假声明',
  'void.reason.duplicate': '重复',
  'void.reason.test': '测试条目',
  'void.reason.error': '录入错误',
  'void.reason.request': '应声明人要求',
  'void.continue': '下一步',
  'void.confirm': '确定作废这些条目吗？',
  'void.confirmText': (reason: string) =>
    `登记册将公开注明这些条目已作废（原因：${reason}）。此操作无法撤销。`,
  'void.confirmYes': '确定作废',
  'void.done': (n: number, size: string) => `已作废 ${n} 个条目。登记册现有 ${size} 个条目。`,
  'void.badIndexes': '请用阿拉伯数字填写条目编号，用空格或逗号分隔，例如：12, 40。',
  'void.tooMany': (max: number) => `一次最多作废 ${max} 个条目。`,
  'void.badReason': '请从列表中选择一个原因。',
  'void.missing': (index: string) => `登记册中没有第 ${index} 号条目，没有作废任何条目。`,
  'void.already': (index: string) => `第 ${index} 号条目已经作废，没有作废任何条目。`,
  'void.isVoid': (index: string) => `第 ${index} 号条目本身就是作废条目，没有作废任何条目。`,
  'void.notHere': '本服务器目前不负责写入登记册，因此没有作废任何条目。请稍后再试。',
  'volunteer.limits': (rows: string, kb: string) => `每次上传最多 ${rows} 人、${kb} KB。`,
  'volunteer.tooLarge': (kb: string) =>
    `这个 CSV 文件超过 ${kb} KB，因此没有记录任何内容。请分成几次上传。`,
  'volunteer.tooManyRows': (rows: string) =>
    `这个 CSV 文件超过 ${rows} 人，因此没有记录任何内容。请分成几次上传，每次最多 ${rows} 人。`,
  'volunteer.recorded': (n: string, total: string) => `本次上传的 ${total} 人中已记录 ${n} 人。`,
  'volunteer.notRecorded': (line: number) =>
    `第 ${line} 行没有记录：登记系统当时无法处理。这一行已放在下面的输入框里，请从那里重新提交。`,
  'volunteer.nothingRecorded': '没有记录任何内容。',
  // Staff declarations sent again, their receipts printed page by page, budgets and batches
  // (src/web/pages/volunteer.ts, volunteers.ts)
  'volunteer.recordedLines': (n: string, lines: string) => `本次已记录 ${n} 人（第 ${lines} 行）。`,
  'volunteer.alreadyLines': (n: string, lines: string) =>
    `已用这张表单记录过，不再重复记录：${n} 人（第 ${lines} 行）。`,
  'volunteer.formTotal': (n: string) => `这张表单共记录了 ${n} 人。`,
  'volunteer.fixBelow':
    '下面的输入框里只有没记录上的行。改好后用这张表单提交即可，已记录的人不会被重复记录。',
  'volunteer.allDone': '本次上传的人已全部记录。',
  'volunteer.sendFixed': '提交这些行',
  'volunteer.newUpload': '为其他人新建一次上传',
  'volunteer.print': '打印回执',
  'volunteer.printHelp': (_n: number, count: string, per: string) =>
    `共 ${count} 人的回执，每页 ${per} 份。24 小时内可以打印：登记册不保留任何它能读取的副本。`,
  'volunteer.printRange': (from: string, to: string) =>
    from === to ? `第 ${from} 份回执` : `第 ${from} 至 ${to} 份回执`,
  'volunteer.printing': (from: string, to: string, total: string) =>
    `这张表单记录的 ${total} 人中，第 ${from} 至 ${to} 人的回执。`,
  'volunteer.printExpired': (n: string) => `有 ${n} 份回执已无法显示：加密副本只保留 24 小时。`,
  'volunteer.previous': '上一页',
  'volunteer.next': '下一页',
  'volunteer.notYours': '这张表单属于另一个工作人员账号，没有记录任何内容。',
  'volunteer.batchVoided':
    '管理员已作废这张表单记录的条目，不能再用它记录。没有记录任何内容。如需登记，请使用这张新表单。',
  'volunteer.overBudget': (hour: string, day: string, left: string) =>
    `没有记录任何内容：这个账号每个整点小时最多登记 ${hour} 人，24 小时内最多 ${day} 人，现在还能登记 ${left} 人。如果这些声明属实，请联系管理员；这些行仍在输入框里。`,
  'volunteer.channelFixed': (channel: string) => `收到的途径：${channel}（与这张表单的其他人相同）`,
  'staff.nav.volunteers': '工作人员代登记',
  'volunteers.title': '工作人员代他人声明',
  'volunteers.intro': (hour: string, day: string) =>
    `每个账号每个整点小时最多登记 ${hour} 人，24 小时内最多 ${day} 人；达到 80% 的账号会记入服务器日志。时间只精确到小时。`,
  'volunteers.byDay': '按账号和日期（UTC）统计的登记人数（最近 14 天）',
  'volunteers.account': '账号',
  'volunteers.day': '日期',
  'volunteers.declared': '人数',
  'volunteers.batches': '批次（每张表单一批），最新的在前',
  'volunteers.batch': '批次',
  'volunteers.hour': '首次记录（UTC，精确到小时）',
  'volunteers.status': '状态',
  'volunteers.active': '计入总数',
  'volunteers.voided': (reason: string) => `已作废：${reason}`,
  'volunteers.void': (n: string) => `作废这批的 ${n} 个条目`,
  'volunteers.confirm': '我已核实：作废整批',
  'volunteers.done': (id: string, n: string) =>
    `第 ${id} 批已作废，共 ${n} 个条目，总数已相应减少。`,
  'volunteers.needConfirm': '请先勾选确认，再作废这一批。',
  'volunteers.noBatch': '没有这个批次。',
  'volunteers.already': '这一批已经作废了。',
  'volunteers.none': '工作人员还没有代他人登记。',
  'volunteers.older': '更早的批次',
  'audit.action.void-batch': '作废一批',
  // Home, statistics, figures and about pages: what the total counts, the verifier, the witnesses
  // and what a seized server holds.
  'home.approx': (short: string) => `约${short}`,
  'home.registeredNote': '本站开通以来，在网上、通过电话、义工或服务中心登记的声明',
  'home.importedNote': '本站建立之前的记录，由运营方导入',
  'home.chartYears': '每年声明人数',
  'home.chartYearsDesc': (bars: number) =>
    `自第一份声明以来的 ${bars} 年，每年一根柱子，历史记录与本站声明分开显示。`,
  'chart.table': '以表格列出数字',
  'stats.channel': '声明途径',
  'stats.region': '地区',
  'statements.byAlias': (name: string) => `${name}（化名）`,
  'list.separator': '、',
  'chart.year': '年份',
  'stats.voidReason': (reason: string) =>
    ({
      flood: '大量假声明之一',
      duplicate: '重复登记',
      test: '测试记录',
      error: '登记有误',
      request: '应声明者本人要求',
    })[reason] ?? reason,
  'about.verifier': '下载核对程序（tuidang-verify.mjs）',
  'about.verifierHash': '文件的 SHA-256 校验值：',
  'about.verifierBuild':
    '用本项目的源代码自己构建，得到的文件一字不差：在代码库里运行下面这条命令，会构建出这个文件，并显示同一个校验值：',
  'about.witnesses': '独立见证方',
  'about.witnessesText':
    '每个见证方都记着自己见过的登记册最新版本，只有新版本完整包含旧版本时才会联署。有了见证方，登记册就无法给不同的人看不同的历史。',
  'about.noWitness':
    '目前还没有独立见证方，登记册只有本站自己的签名。核对程序会记住核对过的版本，日后的版本如果改写了它，就会明确报错；请不时再核对一次。',
  'about.witnessCosigned': '已联署最新版本',
  'about.witnessMissing': '尚未联署最新版本',
  'about.seized': '如果服务器被查封',
  'about.seizedHolds': '查封服务器的人，能在服务器上找到：',
  'about.holds.log': '数据库里的公开登记册本身（和任何人都能下载的内容相同）',
  'about.holds.publications':
    '同意公开的人的姓名和声明，包括已公开的、等待审核的和没有通过审核的，直到被删除为止',
  'about.holds.staff':
    '工作人员的账号（用户名、密码的散列值、用签名密钥派生的密钥加密的两步验证密钥、备用码的散列值），以及他们的操作记录',
  'about.holds.newsletter': '邮件简报订阅者的电子邮件地址',
  'about.holds.key':
    '本站的签名密钥：拿到它的人可以冒名签发登记册的新版本，但改写核对程序或见证方见过的版本，一定会被发现',
  'about.holds.sealed':
    '通过表格（或通过接口带幂等键）提交的声明，其回执会加密保存 24 小时，好让重复提交的同一份表格得到同样的回执；加密用的是那份表格自己的密钥，服务器不保存这个密钥，没有它谁也读不出回执',
  'about.seizedNever': '服务器上从来没有：',
  'about.never.unpublished': '未同意公开者的姓名和声明',
  'about.never.receipts': '可以读取的回执，以及回执里能把记录和本人对上的秘密部分',
  'about.never.ip':
    'IP 地址、浏览器资料，以及声明的具体时刻：至多看得出它首次公开于哪一次发布，而这本来人人可见',
  'staff.signedOut': '您已退出登录。',
  // 工作人员账号的两步验证（src/web/pages/staff-two-factor.ts）
  'twoFactor.nav': '两步验证',
  'twoFactor.title': '两步验证',
  'twoFactor.code': '身份验证器应用里的验证码',
  'twoFactor.codeHint':
    '六位数字，或一个备用码。还没设置两步验证的，这里留空，输完密码后会引导您设置。',
  'twoFactor.codeTitle': '输入验证码',
  'twoFactor.codeIntro': '密码正确。请输入身份验证器应用为本站显示的六位验证码，或一个备用码。',
  'twoFactor.failed': '用户名、密码或验证码不对。',
  'twoFactor.wrongCode':
    '验证码不对，或者已经用过了。验证码每 30 秒换一次，请输入应用现在显示的那个。',
  'twoFactor.tooMany': '输错验证码的次数太多，请从头重新登录。',
  'twoFactor.expired': '这次设置已经过期。下面是新的密钥，请重新添加到应用里。',
  'twoFactor.required':
    '您的账号要先设置两步验证才能登录：在手机上装一个每 30 秒生成六位验证码的身份验证器应用（例如 Aegis、FreeOTP、2FAS 或 Google 身份验证器）。这样即使别人知道了您的密码，没有您的手机也登录不了。',
  'twoFactor.status.on': '您的账号已开启两步验证。在这里重新设置会替换原来的，旧的备用码随之作废。',
  'twoFactor.status.off': '您的账号还没有开启两步验证，可以在这里设置。',
  'twoFactor.step1': '在身份验证器应用里添加账号，扫描这个二维码。',
  'twoFactor.step2': '扫不了的话，可以手动输入这个密钥（基于时间，六位数字，每 30 秒更新）：',
  'twoFactor.step3': '然后输入应用现在显示的验证码：',
  'twoFactor.qrLabel': '身份验证器应用用的密钥二维码',
  'twoFactor.confirm': '开启两步验证',
  'twoFactor.recoveryTitle': '您的备用码',
  'twoFactor.recoveryIntro':
    '两步验证已开启。手机丢了的话，每个备用码可以代替验证码登录一次。请现在抄下来或打印出来，和手机分开放好：这些备用码不会再显示。',
  'twoFactor.continue': '继续',
  // Error pages: a page that failed, by what the visitor can do (src/web/pages/error.ts)
  'errorPage.title': '出错了',
  'errorPage.busy': '网站现在很忙，请稍后再试。这次没有记录任何内容。',
  'errorPage.ourSide': '我们这边出了问题，这次没有记录任何内容。请稍后再试。',
  'errorPage.request': '无法处理这个请求。请返回上一页再试一次。',
  // The declaration form, the receipt and its print view, checking a receipt, erasing (receipts
  // per person).
  'form.region': '地区（选填）',
  'form.publishPerson': '公开此人的姓名和声明（经审核后）。请在本人同意时才勾选。',
  'form.publishCaller': '经我询问，本人同意公开其姓名和声明（经审核后）',
  'form.remove': (n: number) => `删去第 ${n} 人`,
  'form.errorTitle': '有几处需要修改',
  'form.errorAt': (person: number, message: string) => `第 ${person} 人：${message}`,
  'form.sentTwice':
    '这份表格已经提交过，当时填写的内容已经登记；之后所做的修改没有记录。如要为其他人声明，请填写这份新表格。',
  'form.expired':
    '这份表格已超过一天。如果当时已经提交，那份声明已经登记。这次没有记录任何内容：如要声明，请填写这份新表格。',
  'error.chooseNameKind': '请选择这是真名还是化名。',
  'receipt.headOne': '您的声明已经登记',
  'receipt.headMany': (n: number) => `${n} 份声明已经登记`,
  'receipt.sentenceOne': (entry: string) => `您的声明已登记为公开登记册的第 ${entry} 条记录。`,
  'receipt.sentenceMany': (n: number, entries: string) =>
    `${n} 人的声明已登记为公开登记册的第 ${entries} 条记录。下面每人各有一张自己的回执。`,
  'receipt.keepTitle': '保存好回执',
  'receipt.keepProves':
    '回执能证明声明在公开登记册里。它是一个人和自己那条记录之间唯一的联系：我们不留副本。',
  'receipt.keepWhere':
    '请打印或下载，放在别人不会翻看的地方，不要存在与他人共用的手机或电脑上。每人保管自己的一张。',
  'receipt.keepDestroy':
    '销毁回执是安全的：声明照样计入总数。只是之后谁也无法指出是哪条记录，也无法删除已公开的姓名。',
  'receipt.print': '打印回执',
  'receipt.printNoScript': '要打印，请使用浏览器菜单里的“打印”。',
  'receipt.downloadAll': '下载全部回执（一个文件）',
  'receipt.downloadOne': '下载这张回执',
  'receipt.entryNumber': (entry: string) => `第 ${entry} 条记录`,
  'receipt.code': '回执码（必要时可以手动输入）',
  'receipt.technical': '回执全文（供核对程序使用）',
  'receipt.qr': (entry: string) => `二维码，内含第 ${entry} 条记录的完整回执`,
  'receipt.paper': (entry: string) =>
    `第 ${entry} 条记录：凭上面的回执码，可以在顶端的网址核对。请把这张纸收在别人不会翻看的地方；不要用微信、支付宝等软件扫描二维码。不再需要时，撕碎或烧掉即可。`,
  'receipt.eraseOne': '删除这份已公开的姓名和声明',
  'check.checking': '正在您的浏览器里核对……',
  'check.ok': (entry: string, size: string) =>
    `已在您的浏览器里核对无误：第 ${entry} 条记录在公开登记册里（共 ${size} 条），有登记处的签名。`,
  'check.pending': (entry: string) =>
    `已在您的浏览器里核对：第 ${entry} 条记录有登记处的签名。下一次发布时（几分钟之内）它就会出现在公开登记册里。`,
  'check.malformed': '这不是一张完整的回执：缺了一部分，或者被改动过。请重新复制回执的全部文字。',
  'check.notSigned': '这张回执没有本登记处的签名：它来自别的网站，或者被改动过。',
  'check.notIncluded': '这张回执与登记册对不上：记录、编号或证明被改动过。',
  'check.otherLog': '这张回执来自另一本登记册。',
  'check.inconsistent':
    '警告：登记册已经不再包含签发这张回执时的历史。请保存好回执，并告诉其他人：核对正是为了发现这种情况。',
  'check.unreachable': '核对时无法连上登记处。请稍后再试；回执本身不受影响。',
  'check.notYet': (entry: string) =>
    `公开登记册里还没有第 ${entry} 条记录。如果是几分钟内刚声明的，下一次发布时就会出现，请到时再核对。`,
  'check.input': '回执全文或回执码',
  'check.intro': '粘贴回执，或输入纸上的回执码，核对这条记录是否在公开登记册里。',
  'check.resultOk': (entry: string, signed: string, latest: string, origin: string) =>
    `第 ${entry} 条记录在登记册有 ${signed} 条记录时签发的版本里（${origin}），而这个签发的版本与最新版本（${latest} 条记录）前后一致。`,
  'check.resultPending': (entry: string, signed: string) =>
    `第 ${entry} 条记录在登记册有 ${signed} 条记录时签发的版本里。下一次发布时（几分钟之内）它就会出现在公开登记册里。`,
  'check.resultCode': '回执是根据回执码和登记册重新拼出来的：回执码含有记录编号和回执的秘密部分。',
  'check.independent':
    '这个结果来自登记处自己的服务器。独立核对不必信任它：打开 JavaScript，在您的浏览器里核对（计算在您自己的设备上进行），或者在自己的电脑上用独立的核对程序：',
  'erase.introPerson':
    '请粘贴要删除其公开姓名和声明的那个人的回执，或输入纸上的回执码。删除之前，您会先看到要删除的内容。',
  'erase.next': '下一步',
  'erase.confirmTitle': '删除这份姓名和声明吗？',
  'erase.confirmText': (entry: string) =>
    `这会永久删除第 ${entry} 条记录公开的内容。只删除这一个人的；与此人一起声明的人，公开的内容不受影响。这条记录仍然计入总数。`,
  'erase.confirmButton': '确定删除',
  'erase.cancel': '不删除',
  'erase.doneOne': (entry: string) => `第 ${entry} 条记录公开的姓名和声明已删除。`,
  'erase.nothing': '这张回执没有公开的内容：可能已经删除，或者这份声明没有可公开的声明内容。',
  // 防滥用与输入检查（声明表格、电子报表格）
  'error.marks': (max: number) => `同一个字上叠加的符号太多（最多 ${max} 个）。`,
  'error.noLetter': '请至少写一个字或字母。',
  'error.title': '无法读取表格',
  'error.encoding': '表格内容的编码无法识别。请在本页重新填写并提交；尚未记录任何内容。',
  'declare.again': (seconds: number) =>
    `您的网络连接在打开表格后有了变化。为防止自动程序大量提交，等待时间要重新计算。目前还没有记录任何内容。请检查填写的内容，${seconds} 秒后再按一次“提交声明”。`,
  'newsletter.errorSend': '暂时无法发送确认邮件，请稍后再试。',
  'newsletter.errorRejected': '对方的邮件服务器拒收了这封邮件，请检查邮件地址。',
  // Who runs the registry, and what anchors the trust in its key (src/web/pages/home.ts, about.ts)
  'home.intro':
    '2004 年以来，许多人声明退出中国共产党、共青团和少先队，简称“三退”。在本站声明的每一位，都是公开登记册里的一条记录：任何人都能下载登记册，自己清点总数，但从记录里看不出是谁。',
  // A name in Latin letters stands apart from the Chinese around it, as elsewhere on the site.
  'operator.runBy': (name: string) =>
    `本站由${/^[\p{Script=Han}\p{P}]/u.test(name) ? name : ` ${name}`}${/[\p{Script=Han}\p{P}]$/u.test(name) ? '' : ' '}运营。`,
  'operator.none': '本站运营方尚未公布名称。',
  'operator.contact': '联系方式：',
  'operator.noContact': '运营方尚未公布联系方式。',
  'about.operator': '谁在运营本站',
  'about.key': '登记册的公钥',
  'about.keyText':
    '登记册的每一个版本都用下面这把公钥对应的密钥签名，核对程序和本站给出的每条命令都会核对它。请把它和别处公布的公钥对照：本页列出的见证方、镜像站，或者运营方的其他渠道。这样，您就不必只凭本站服务器的一面之词。',
  'about.source': '源代码',
  'about.sourceText': '本站运行的程序的源代码：',
  'about.commit': '版本（提交）：',
  'about.noSource': '运营方尚未说明本站运行的源代码公布在哪里。',
  'footer.staff': '工作人员页面为登录使用一个 Cookie；公开页面不用 Cookie。',
  // 灌水的代价（/about），按本站的设置计算（src/web/flood-cost.ts）。
  'about.flood': '用假声明灌水，要付出什么代价',
  'about.floodWork': (fewest: number, most: number, phone: number, fast: number, slow: number) =>
    `网上提交的声明，每登记一个人都要先“做功”。开启 JavaScript 时，浏览器要解一道计算题（scrypt），每试一次都要占用 4 MiB 内存，每人平均要试 ${fewest}–${most} 次：在中档手机上约需 ${phone} 秒（我们的估算）；即便用我们所知最快、专为解题编写的程序，在我们的测试机器上每登记 1,000 人也要耗费 ${fast}–${slow} 秒处理器时间（处理器越快，耗时越少）。系统繁忙时，题目最多会难上十倍。`,
  'about.floodWait': (seconds: number) =>
    `不开启 JavaScript 时，表格打开后要等一会儿才能提交：表格上每有一人，就多等 ${seconds} 秒；同一连接的多份表格依次计时，不能同时等。`,
  'about.floodLimit': (people: number) =>
    `每个连接（一个 IPv4 地址或一个 IPv6 网段）每分钟最多登记 ${people} 人。`,
  'about.floodOff': '本站运营方已关闭提交前的“做功”要求。',
  'about.floodLimits':
    '这样，灌水就要付出电脑、网络地址和时间，但并非做不到。正因如此，每条记录都公开，作废也只能另记一条公开记录，人人都能重新清点。',
  // Who this deployment is (the about page), and the language choice of a browser that hides its own.
  'about.deployment': '本站的设置',
  'about.origin': '本站公开登记册的名称，写在每一个签发的版本和每一张回执里：',
  'about.localOrigin':
    '本站还没有自己的名称：运营方尚未设定本站的网址，所以登记册用的是每个本机安装都有的默认名称，回执上也看不出是哪个网站。需要设定的是：',
  'about.undeclaredProxy':
    '给运营方的提示：请求经过一个没有声明的反向代理到达本站，所以所有访客共用同一个每分钟声明人数的限额。需要设定的是（见运营文档）：',
  'language.title': '请选择语言',
  'language.hidden': '您的浏览器没有告诉本站您读哪种语言（Tor 浏览器为了保护您，会隐藏这一信息）。',
  // 能放心保存的回执、在浏览器里核对、立即离开
  'title.form': '填写表格',
  'title.receipt': '回执',
  'exit.label': '立即离开本页',
  'receipt.once': '回执只在这一页显示这一次，我们不留副本。离开这一页以前，请先打印或下载。',
  'receipt.printNameOne': '打印时印上姓名（不勾选就不印）',
  'receipt.printNames': '打印时在每人的回执上印上姓名（不勾选就不印）',
  'receipt.tracesTitle': '不留痕迹',
  'receipt.traceHistory':
    '浏览器的历史记录会留下本站的网址和页面标题。离开以前，请在浏览器里删除本站的历史记录；以后来本站，可以用无痕（隐私）窗口。',
  'receipt.traceDownloads':
    '下载的回执文件名是 receipt-编号.json，一般在“下载”文件夹里。请把它移到只有您会看的地方（例如 U 盘），再从“下载”里删掉。',
  'receipt.tracePhotos':
    '给回执拍照，照片会留在手机相册里，还常常自动备份到云端。最好打印出来，或者把回执码抄在纸上。',
  'receipt.traceScan':
    '不要用微信、支付宝等聊天或支付软件扫描二维码：二维码里是整张回执，这些软件会把扫到的内容发回它们的公司。要核对回执，请在本站“核对回执”页输入回执码，或者用核对程序。',
  'check.published': (entry: string, size: string) =>
    `已经公开：第 ${entry} 条记录现在在公开登记册里（共 ${size} 条），已在您的浏览器里核对。`,
  'check.fromCode': '回执是在您的浏览器里根据回执码和公开登记册拼出来的：回执码没有离开您的设备。',
  'check.byServer': '这是登记处的服务器核对的结果，因为您的浏览器关闭了 JavaScript。',
  'check.serverNote':
    '您的浏览器关闭了 JavaScript，所以输入的内容会发到登记处的服务器核对（通过表格发送，不会出现在网址里）。打开 JavaScript，核对就在您的浏览器里进行，什么也不发送。',
  'check.localNote': '核对在您的浏览器里进行：输入的内容不会发出去，只会读取公开登记册。',
  'erase.confirmTitleNone': '没有可删除的内容',
  'erase.confirmNone': (entry: string) =>
    `这张回执没有已公开或等待审核的姓名和声明，所以没有什么可删除。第 ${entry} 条记录照样计入总数。`,
  'erase.cancelNone': '返回',
  // A form whose ticket no longer counts, without JavaScript (src/server/pages/declare.ts)
  'declare.ticketRefused': (seconds: number) =>
    `这份表格已经失效（打开后一小时内有效）。为防止自动程序大量提交，等待时间要重新计算。目前还没有记录任何内容。请检查填写的内容，${seconds} 秒后再按一次“提交声明”。`,
  // 义工用自己的语言上传 CSV：说明、每个错误指出哪一行哪一栏、必须选择收到的途径、对义工说的回执页
  'csv.col.name': '姓名',
  'csv.col.nameKind': '真名/化名',
  'csv.col.orgs': '退出组织',
  'csv.col.region': '地区',
  'csv.col.statement': '声明',
  'csv.col.publish': '公开',
  'csv.help.title': '每一栏写什么（附示例）',
  'csv.help.intro':
    '第一行写各栏的名称，下面每行一人。栏名和内容用中文、英文都可以。只有“姓名”和“退出组织”两栏必须有，其他栏可以不要。',
  'csv.help.name': '必填：本人的真名或化名。',
  'csv.help.nameKind': '写“真名”或“化名”。不填就当作化名。',
  'csv.help.orgs':
    '必填：党、团、队，也可以写全称，例如“中国共产党”“共青团”“少先队”。退出几个就写几个，用顿号隔开，例如“党、团、队”。',
  'csv.help.region':
    '可以不填。写省、自治区或直辖市的名称，带不带“省”“市”“自治区”都行，例如“广东”“北京市”“内蒙古”；也可以写“香港”“澳门”“台湾”或“海外”。',
  'csv.help.statement': '可以不填。声明里有英文逗号时，整段声明要用英文双引号括起来。',
  'csv.help.publish':
    '本人同意在网站上公开姓名和声明（经审核后公开）的，写“是”；不同意的，写“否”。不填就不公开。',
  'csv.help.example': '示例（两个人）：',
  'csv.help.sample':
    '姓名,真名/化名,退出组织,地区,声明,公开\n王小明,化名,党、团,广东,,否\n李华,真名,队,北京市,我声明退出少先队。,是\n',
  'csv.line': (line: string) => `第 ${line} 行没有登记：`,
  'csv.why.noName': (c: string) => `${c} 一栏是空的，请填上本人的真名或化名。`,
  'csv.why.tooLong': (c: string, max: string) => `${c} 一栏太长，最多 ${max} 个字。`,
  'csv.why.control': (c: string) =>
    `${c} 一栏里有无法显示或使用的字符（控制字符或看不见的字符），请删掉。`,
  'csv.why.marks': (c: string, max: string) => `${c} 一栏里有一个字叠了太多符号，最多 ${max} 个。`,
  'csv.why.noLetter': (c: string) => `${c} 一栏至少要有一个字。`,
  'csv.why.invalid': (c: string) => `${c} 一栏的内容不能用。`,
  'csv.why.cells': (n: string, columns: string, quote: string) =>
    `这一行有 ${n} 栏，第一行只有 ${columns} 栏。声明里有英文逗号时，请用英文双引号 ${quote} 把整段声明括起来。`,
  'csv.why.nameKind': (c: string, v: string) =>
    `${c} 一栏写的是 ${v}，请写“真名”或“化名”（不填就当作化名）。`,
  'csv.why.noOrgs': (c: string) =>
    `${c} 一栏是空的，请写退出了哪些组织：党、团、队中的一个或几个。`,
  'csv.why.org': (c: string, v: string) =>
    `${c} 一栏里的 ${v} 不是组织的名称，请写党、团、队（或全称），用顿号隔开。`,
  'csv.why.region': (c: string, v: string) =>
    `${c} 一栏里的 ${v} 不是省级地区的名称，请写省、自治区或直辖市的名称（例如“广东”），或者不填。`,
  'csv.why.publish': (c: string, v: string) =>
    `${c} 一栏写的是 ${v}，请写“是”（同意公开）或“否”（不公开）；不填就不公开。`,
  'csv.quote': (line: string, quote: string, twice: string) =>
    `没有记录任何内容：第 ${line} 行的英文双引号没有配对。以 ${quote} 开头的一栏要以 ${quote} 结束，里面的双引号要写成两个 ${twice}。`,
  'csv.unreadable': (line: string) =>
    `没有记录任何内容：第 ${line} 行读不出来，请检查这一行是不是 CSV 格式。`,
  'csv.empty': '输入框是空的，没有记录任何内容。请粘贴 CSV 表格，第一行写各栏的名称。',
  'csv.unknownColumn': (c: string) =>
    `没有记录任何内容：第一行里的 ${c} 不是栏名。第一行要写各栏的名称，见下面“每一栏写什么”。`,
  'csv.twiceColumn': (c: string) => `没有记录任何内容：第一行里 ${c} 这一栏出现了两次。`,
  'csv.missingColumn': (c: string) => `没有记录任何内容：第一行里没有 ${c} 这一栏，这一栏必须有。`,
  'csv.noPeople': '没有记录任何内容：第一行下面没有人。',
  'volunteer.chooseChannel': '请选择',
  'volunteer.channelMissing':
    '没有记录任何内容：请先选择这些声明是怎样收到的（电话、当面或服务中心）。',
  'volunteer.via.phone': '电话',
  'volunteer.via.volunteer': '当面（由义工记下）',
  'volunteer.via.centre': '在服务中心',
  'volunteer.receiptsHead': (_n: number, count: string) => `已为 ${count} 人登记`,
  'volunteer.receiptsLead':
    '请把下面的回执打印出来，交给本人，每人一张：离开这一页以后就看不到了。',
  'audit.hourNote':
    '时间只记到小时，显示为一个时段（例如 10:00–11:00）：操作记录不保留任何操作的具体时刻。',
  'region.mainland': '中国大陆',
  'region.apart': '台湾、香港、澳门',
  'receipt.printOne': '打印回执',
  'receipt.printNoScriptOne': '要打印，请使用浏览器菜单里的“打印”。',
  'receipt.onceOne': '回执只在这一页显示这一次，我们不留副本。离开这一页以前，请先打印或下载。',
  'figures.now': '现在',
};
