// Traditional Chinese as readers in Taiwan and Hong Kong write it (伺服器, 程式, 資訊, 檔案, 網路),
// not a character-by-character conversion of the Simplified catalog. messages.test.ts runs every
// string through OpenCC's Simplified→Traditional (Taiwan phrases) conversion.
import type { Messages } from './en.ts';

export const zhHant: Messages = {
  'site.name': '三退登記',
  'site.tagline': '退出中共、共青團、少先隊的聲明，一筆一筆公開記錄，人人可以核對',
  'nav.home': '首頁',
  'nav.declare': '聲明三退',
  'nav.statements': '三退聲明',
  'nav.stats': '統計',
  'nav.figures': '數字對照',
  'nav.about': '關於本站',
  'nav.receipt': '核對回執',
  'nav.languages': '語言',
  'nav.skip': '跳到正文',
  'org.party': '中國共產黨',
  'org.league': '共青團',
  'org.pioneers': '少先隊',
  'channel.web': '網路表單',
  'channel.volunteer': '義工代為登記',
  'channel.phone': '電話',
  'channel.centre': '服務中心',
  'channel.import': '歷史紀錄（匯入）',
  'region.none': '未填寫',
  'home.title': '三退人數，人人可以清點',
  'home.total': (_n: number, figure: string) => `已有 ${figure} 人聲明三退`,
  'home.totalNote':
    '每一位聲明者都是公開登記冊裡的一筆紀錄，任何人都能下載登記冊，自行重新清點。但本站無法證明每筆紀錄都是一個不同的真人：同一個人也可能聲明兩次。',
  'home.byOrg': '各組織的退出人數',
  'home.check': '親自核對這個數字',
  'home.checkText':
    '下載核對程式（只有一個檔案，用 Node.js 18 或更新版本執行），一行指令就能把整本登記冊重新清點一遍。登記冊裡沒有姓名：每筆紀錄只有一個核對碼，誰也無法從核對碼反推出姓名。',
  'home.declare': '聲明三退',
  'home.latest': '最新公開的聲明',
  'home.noStatements': '還沒有公開的聲明。',
  'home.chart': '每月聲明人數',
  'home.chartDesc': (bars: number) =>
    `自第一份聲明以來的 ${bars} 個月，每月一根長條，歷史紀錄與本站聲明分開顯示。`,
  'chart.month': '月份',
  'chart.count': '人數',
  'declare.title': '聲明三退',
  'declare.intro': '一份表單可以只為您自己聲明，也可以為全家聲明。可以用真名，也可以用化名。',
  'declare.privacy':
    '我們存放什麼：公開登記冊裡沒有姓名，沒有聲明內容，也沒有聲明的確切時刻，只有一個核對碼和日期。只有您勾選下面的方框，並且通過審核，您的姓名和聲明才會公開。我們不記錄您的 IP 位址。回執是認出您這筆紀錄的唯一憑據，請妥善保管。',
  'declare.person': (n: number) => `第 ${n} 人`,
  'declare.name': '姓名',
  'declare.nameKind': '這個名字是',
  'declare.real': '真名',
  'declare.alias': '化名',
  'declare.orgs': '退出的組織',
  'declare.region': '地區（選填）',
  'declare.statement': '聲明內容（選填）',
  'declare.publish': '同意公開我的姓名和聲明（經審核後）',
  'declare.add': '再加一位家人',
  'declare.submit': '送出聲明',
  'declare.errors': '請修改下面標出的欄位。目前還沒有記錄任何內容。',
  'declare.busy': '登記系統正忙，請稍後再送出一次。目前還沒有記錄任何內容。',
  'declare.tooMany': (seconds: number) =>
    `從您的網路連線送出的聲明太多了。請等 ${seconds} 秒再送出。目前還沒有記錄任何內容。`,
  'declare.rejected':
    '這份表單無法受理，目前還沒有記錄任何內容。請檢查填寫的內容，再按一次「送出聲明」。',
  'declare.honeypot': '這一欄請留空',
  'declare.wait': (seconds: number) =>
    `請檢查填寫的內容，${seconds} 秒後再送出一次（這是為了擋住自動程式大量送出）。目前還沒有記錄任何內容。`,
  'declare.working': '正在準備您的聲明……',
  'error.required': '請填寫這一欄。',
  'error.tooLong': (max: number) => `太長了，最多 ${max} 個字。`,
  'error.control': '含有無法使用的字元。',
  'error.chooseOrg': '請至少選一個組織。',
  'error.invalid': '填寫的內容不符合要求。',
  'error.tooMany': (max: number) => `一次最多 ${max} 人一起聲明。`,
  'receipt.title': '您的聲明已記入公開登記冊',
  'receipt.keep':
    '請馬上保管好這張回執。它能證明您的聲明在公開登記冊裡，也只有它能認出哪筆紀錄是您的。我們不留副本。',
  'receipt.entry': '紀錄編號',
  'receipt.day': '日期',
  'receipt.orgs': '組織',
  'receipt.json': '回執（請留下這段文字）',
  'receipt.download': '下載回執',
  'receipt.verifying': '正在您的瀏覽器裡核對回執……',
  'receipt.verified': (size: number, key: string) =>
    `已在您的瀏覽器裡核對無誤：登記冊有 ${size} 筆紀錄時簽發的版本收錄了這筆紀錄，簽署者為 ${key}。`,
  'receipt.failed': (why: string) => `這張回執沒有通過核對：${why}`,
  'receipt.noScript':
    '要在自己的電腦上核對回執（需要 Node.js 18 或更新版本），請下載核對程式，按「關於本站」頁上的指令執行：',
  'receipt.checkTitle': '核對回執',
  'receipt.checkIntro': '貼上回執，核對這筆紀錄是否在登記冊裡。',
  'receipt.checkButton': '核對',
  'stats.title': '統計',
  'stats.what':
    '這裡統計的是聲明的份數，不是核實過身分的人數：同一個人也可能聲明兩次。本站建立之前的歷史紀錄另外列出。每一個數字，任何人執行核對程式，都能從公開登記冊重新算出來。',
  'stats.registered': '在本站聲明',
  'stats.imported': '歷史紀錄（匯入）',
  'stats.voided': '作廢的紀錄（及原因）',
  'stats.byOrg': '按組織',
  'stats.byChannel': '按聲明途徑',
  'stats.byRegion': '按地區',
  'stats.byMonth': '按月份',
  'stats.csv': '下載 CSV 表格',
  'stats.total': '全部聲明',
  'stats.treeSize': (n: string) => `登記冊紀錄總數：${n}`,
  'figures.title': '數字對照',
  'figures.intro': '其他地方公佈的數字及出處，與本站人人都能核對的數字並列對照。',
  'figures.claim': '項目',
  'figures.value': '數字',
  'figures.source': '出處',
  'figures.date': '截至',
  'figures.verifiable': '本登記冊收錄的三退聲明（人人可核對）',
  'about.title': '關於本站',
  'about.how': '如何運作',
  'about.howText':
    '每一位聲明者，都是公開登記冊裡的一筆紀錄。這本登記冊只能新增，不能刪改，以一般檔案的形式公開，任何人都能複製（技術上稱為只可附加的默克爾日誌）。登記冊的每一個版本都有簽章：有人改寫過去的紀錄，或者給不同的人看不同的版本，核對程式都會發現。',
  'about.verify': '如何核對',
  'about.verifyText':
    '下載核對程式（只有一個檔案，用 Node.js 18 或更新版本執行，不必安裝別的軟體），然後重新清點全部紀錄，或者核對一張回執：',
  'about.stored': '存放什麼，存放多久',
  'about.storedText':
    '永久公開：每個人的聲明日期、退出的組織、聲明途徑、地區（如果有填），以及一個核對碼；沒有回執，誰也無法從核對碼反推出姓名。不公開，直到您要求刪除為止：您的姓名和聲明，而且只在您同意公開時才存放。從不存放：IP 位址、瀏覽器資料、聲明的確切時刻，以及您回執的副本。',
  'about.threats': '我們防範的風險',
  'about.threatsText':
    '我們設想對手十分強大：可能查封我們的伺服器，可能用假聲明灌爆登記系統，也可能聲稱這些數字是捏造的。假紀錄可以作廢，但只能另記一筆公開紀錄，寫明作廢哪一筆、為什麼。這些數字，任何人都可以自己核對。',
  'footer.privacy': '不用 Cookie，不做追蹤，不載入任何第三方資源。',
  'footer.code': '關閉 JavaScript 也能使用本站。',
  'statements.title': '三退聲明',
  'statements.search': '搜尋',
  'statements.org': '組織',
  'statements.any': '不限',
  'statements.year': '年份',
  'statements.filter': '篩選',
  'statements.none': '沒有符合條件的聲明。',
  'statements.feed': 'Atom 訂閱',
  'statements.newer': '較新的',
  'statements.older': '較早的',
  'statements.alias': '化名',
  'erase.title': '刪除已公開的姓名和聲明',
  'erase.intro':
    '請貼上您的回執。回執裡的秘密部分能證明這筆紀錄是您的，我們隨即永久刪除您的姓名和聲明。您的紀錄仍留在登記冊裡，但沒有回執，誰也認不出是誰。',
  'erase.button': '刪除',
  'erase.done': (n: number) =>
    n === 1 ? '您的姓名和聲明已經刪除。' : `已刪除 ${n} 筆公開的姓名和聲明。`,
  'erase.none': '沒有與這張回執對應的公開內容（可能已經刪除了）。',
  'erase.link': '刪除已公開的姓名和聲明',
  'nav.newsletter': '電子報',
  'newsletter.title': '電子報',
  'newsletter.intro':
    '每年幾次，用電子郵件告訴您本站的最新動態。您的地址不作別的用途，每封郵件都附有取消訂閱的連結。',
  'newsletter.email': '電子郵件地址',
  'newsletter.consent':
    '我同意本站留存我的地址，用來寄送電子報，直到我取消訂閱為止（條款第 1 版）。',
  'newsletter.subscribe': '訂閱',
  'newsletter.sent': '如果地址無誤，確認郵件已經寄出。郵件裡的連結 48 小時內有效。',
  'newsletter.confirmed': '訂閱已確認。',
  'newsletter.expired': '這個連結已過期或無效，請重新訂閱。',
  'newsletter.unsubscribe': '取消訂閱',
  'newsletter.unsubscribed': '已經取消訂閱，您不會再收到我們的郵件。',
  'newsletter.unavailable': '本站目前不提供電子報。',
  'newsletter.errorEmail': '請填寫有效的電子郵件地址。',
  'newsletter.errorConsent': '請先同意條款，再訂閱。',
  'mail.confirmSubject': '請確認訂閱',
  'mail.confirmBody': (link: string) =>
    `請在 48 小時內點開下面的連結，確認訂閱電子報：\n\n${link}\n\n如果您沒有訂閱，請忽略這封郵件。`,
  'staff.title': '工作人員',
  'staff.login': '登入',
  'staff.username': '使用者名稱',
  'staff.password': '密碼',
  'staff.loginFailed': '使用者名稱或密碼不對。',
  'staff.wait': (seconds: number) => `失敗次數太多，請等 ${seconds} 秒再試。`,
  'staff.queue': '待審核',
  'staff.none': '沒有待審核的內容。',
  'staff.approve': '批准',
  'staff.reject': '拒絕',
  'staff.erase': '刪除',
  'staff.logout': '登出',
  'staff.signedIn': (name: string) => `已登入：${name}。`,
  'staff.forbidden': '只有審核員或管理員才能這樣操作。',
  'staff.expired': '表單已過期，請再試一次。',
  'volunteer.title': '代他人聲明',
  'volunteer.intro':
    '用於電話、服務中心或當面收到的聲明。每個人都會拿到一張回執：請列印出來，交給本人。',
  'volunteer.channel': '收到的途徑',
  'volunteer.batch': '一次登記多人（CSV 表格）',
  'volunteer.batchHelp': '每行一人，第一行寫各欄的名稱。每一欄寫什麼，見下面的說明。',
  'volunteer.batchSubmit': '全部送出',
  'nav.staff': '工作人員',
  'staff.redact': '儲存修改並批准',
  'staff.edit': '批准前修改（刪去可能危及他人的內容）',
  'notFound.title': '找不到頁面',
  // Staff pages: moderation queue, confirmations, audit log, voids, CSV limits (src/web/pages/staff.ts, volunteer.ts)
  'staff.nav.queue': '審核',
  'staff.nav.audit': '操作紀錄',
  'staff.nav.void': '作廢條目',
  'staff.count': (total: string, from: string, to: string) =>
    `共 ${total} 則等待審核，最早的排在前面。本頁顯示第 ${from} 至 ${to} 則。`,
  'staff.newer': '較新的',
  'staff.oldest': '回到最早的',
  'staff.select': (index: string) => `選取第 ${index} 號`,
  'staff.approveSelected': '批准所選的聲明',
  'staff.done.approve': (n: number) => `已批准 ${n} 則聲明。`,
  'staff.done.reject': (n: number) => `已拒絕 ${n} 則聲明。`,
  'staff.done.erase': (n: number) => `已永久刪除 ${n} 則聲明。`,
  'staff.done.redact': (n: number) => `已批准修改後的 ${n} 則聲明。`,
  'staff.done.missing': (n: number) => `其中 ${n} 則已不在等待中，可能已由其他審核員處理。`,
  'staff.confirm.reject': '確定拒絕這些聲明嗎？',
  'staff.confirm.rejectText': '它們不會在網站上顯示。這些聲明仍計入登記冊的總數。',
  'staff.confirm.rejectYes': '確定拒絕',
  'staff.confirm.erase': '確定永久刪除這些聲明嗎？',
  'staff.confirm.eraseText': '姓名和聲明內容將被刪除，無法復原。這些聲明仍計入登記冊的總數。',
  'staff.confirm.eraseYes': '確定永久刪除',
  'staff.confirm.gone': (index: string) => `第 ${index} 號已不在等待中。`,
  'staff.cancel': '取消',
  'staff.badIndex': '條目編號只能用阿拉伯數字填寫，例如 73。',
  'staff.noneSelected': '請先選取至少一則聲明。',
  'staff.badAction': '沒有這個操作，請使用列表中的按鈕。',
  'staff.adminOnly': '此頁面僅限管理員使用。',
  'staff.throttled': (seconds: number) =>
    `失敗的次數太多：請等待 ${seconds} 秒後再試，或現在就連同密碼一起輸入驗證器 App 顯示的驗證碼登入。`,
  'audit.title': '操作紀錄',
  'audit.intro':
    '工作人員的每一項操作：誰、做了什麼、何時、針對哪個條目。紀錄中不含任何姓名或聲明內容。',
  'audit.when': '時間（UTC）',
  'audit.who': '操作人',
  'audit.what': '操作',
  'audit.target': '條目',
  'audit.older': '較早的',
  'audit.newest': '回到最新的',
  'audit.none': '還沒有任何紀錄。',
  'audit.action.login': '登入',
  'audit.action.logout': '登出',
  'audit.action.approve': '批准',
  'audit.action.reject': '拒絕',
  'audit.action.erase': '刪除',
  'audit.action.redact': '修改後批准',
  'audit.action.declare': '代他人聲明',
  'audit.action.void': '作廢',
  'audit.action.create-user': '建立帳號',
  'void.title': '作廢條目',
  'void.intro':
    '作廢會在登記冊中新增一則公開條目，註明被作廢的條目和原因。任何內容都不會被刪除：總數立即減少，任何人重新計數時都能看到這項更正。',
  'void.indexes': '條目編號（用空格或逗號分隔）',
  'void.reason': '原因',
  'void.reason.flood': '大量虛假聲明',
  'void.reason.duplicate': '重複',
  'void.reason.test': '測試條目',
  'void.reason.error': '輸入錯誤',
  'void.reason.request': '應聲明人要求',
  'void.continue': '下一步',
  'void.confirm': '確定作廢這些條目嗎？',
  'void.confirmText': (reason: string) =>
    `登記冊將公開註明這些條目已作廢（原因：${reason}）。此操作無法復原。`,
  'void.confirmYes': '確定作廢',
  'void.done': (n: number, size: string) => `已作廢 ${n} 個條目。登記冊現有 ${size} 個條目。`,
  'void.badIndexes': '請用阿拉伯數字填寫條目編號，以空格或逗號分隔，例如：12, 40。',
  'void.tooMany': (max: number) => `一次最多作廢 ${max} 個條目。`,
  'void.badReason': '請從列表中選擇一個原因。',
  'void.missing': (index: string) => `登記冊中沒有第 ${index} 號條目，沒有作廢任何條目。`,
  'void.already': (index: string) => `第 ${index} 號條目已經作廢，沒有作廢任何條目。`,
  'void.isVoid': (index: string) => `第 ${index} 號條目本身就是作廢條目，沒有作廢任何條目。`,
  'void.notHere': '本伺服器目前不負責寫入登記冊，因此沒有作廢任何條目。請稍後再試。',
  'volunteer.limits': (rows: string, kb: string) => `每次上傳最多 ${rows} 人、${kb} KB。`,
  'volunteer.tooLarge': (kb: string) =>
    `這個 CSV 檔案超過 ${kb} KB，因此沒有記錄任何內容。請分成幾次上傳。`,
  'volunteer.tooManyRows': (rows: string) =>
    `這個 CSV 檔案超過 ${rows} 人，因此沒有記錄任何內容。請分成幾次上傳，每次最多 ${rows} 人。`,
  'volunteer.recorded': (n: string, total: string) => `本次上傳的 ${total} 人中已記錄 ${n} 人。`,
  'volunteer.notRecorded': (line: number) =>
    `第 ${line} 行沒有記錄：登記系統當時無法處理。這一行已放在下方的輸入框裡，請從那裡重新送出。`,
  'volunteer.nothingRecorded': '沒有記錄任何內容。',
  // Staff declarations sent again, their receipts printed page by page, budgets and batches
  // (src/web/pages/volunteer.ts, volunteers.ts)
  'volunteer.recordedLines': (n: string, lines: string) => `本次已記錄 ${n} 人（第 ${lines} 行）。`,
  'volunteer.alreadyLines': (n: string, lines: string) =>
    `已用這張表單記錄過，不再重複記錄：${n} 人（第 ${lines} 行）。`,
  'volunteer.formTotal': (n: string) => `這張表單共記錄了 ${n} 人。`,
  'volunteer.fixBelow':
    '下方的輸入框裡只有沒記錄到的行。修正後用這張表單送出即可，已記錄的人不會被重複記錄。',
  'volunteer.allDone': '本次上傳的人已全部記錄。',
  'volunteer.sendFixed': '送出這些行',
  'volunteer.newUpload': '為其他人新增一次上傳',
  'volunteer.print': '列印回執',
  'volunteer.printHelp': (_n: number, count: string, per: string) =>
    `共 ${count} 人的回執，每頁 ${per} 份。24 小時內可以列印：登記冊不保留任何它能讀取的副本。`,
  'volunteer.printRange': (from: string, to: string) =>
    from === to ? `第 ${from} 份回執` : `第 ${from} 至 ${to} 份回執`,
  'volunteer.printing': (from: string, to: string, total: string) =>
    `這張表單記錄的 ${total} 人中，第 ${from} 至 ${to} 人的回執。`,
  'volunteer.printExpired': (n: string) => `有 ${n} 份回執已無法顯示：加密副本只保留 24 小時。`,
  'volunteer.previous': '上一頁',
  'volunteer.next': '下一頁',
  'volunteer.notYours': '這張表單屬於另一個工作人員帳號，沒有記錄任何內容。',
  'volunteer.batchVoided':
    '管理員已作廢這張表單記錄的條目，不能再用它記錄。沒有記錄任何內容。如需登記，請使用這張新表單。',
  'volunteer.overBudget': (hour: string, day: string, left: string) =>
    `沒有記錄任何內容：這個帳號每個整點小時最多登記 ${hour} 人，24 小時內最多 ${day} 人，現在還能登記 ${left} 人。如果這些聲明屬實，請聯絡管理員；這些行仍在輸入框裡。`,
  'volunteer.channelFixed': (channel: string) => `收到的途徑：${channel}（與這張表單的其他人相同）`,
  'staff.nav.volunteers': '工作人員代登記',
  'volunteers.title': '工作人員代他人聲明',
  'volunteers.intro': (hour: string, day: string) =>
    `每個帳號每個整點小時最多登記 ${hour} 人，24 小時內最多 ${day} 人；達到 80% 的帳號會記入伺服器日誌。時間只精確到小時。`,
  'volunteers.byDay': '依帳號和日期（UTC）統計的登記人數（最近 14 天）',
  'volunteers.account': '帳號',
  'volunteers.day': '日期',
  'volunteers.declared': '人數',
  'volunteers.batches': '批次（每張表單一批），最新的在前',
  'volunteers.batch': '批次',
  'volunteers.hour': '首次記錄（UTC，精確到小時）',
  'volunteers.status': '狀態',
  'volunteers.active': '計入總數',
  'volunteers.voided': (reason: string) => `已作廢：${reason}`,
  'volunteers.void': (n: string) => `作廢這批的 ${n} 個條目`,
  'volunteers.confirm': '我已核實：作廢整批',
  'volunteers.done': (id: string, n: string) =>
    `第 ${id} 批已作廢，共 ${n} 個條目，總數已相應減少。`,
  'volunteers.needConfirm': '請先勾選確認，再作廢這一批。',
  'volunteers.noBatch': '沒有這個批次。',
  'volunteers.already': '這一批已經作廢了。',
  'volunteers.none': '工作人員還沒有代他人登記。',
  'volunteers.older': '更早的批次',
  'audit.action.void-batch': '作廢一批',
  'notFound.text': '這個網址沒有內容。',
  // Home, statistics, figures and about pages: what the total counts, the verifier, the witnesses
  // and what a seized server holds.
  'home.approx': (short: string) => `約${short}`,
  'home.registeredNote': '本站開通以來，在網路上、透過電話、義工或服務中心登記的聲明',
  'home.importedNote': '本站建立之前的紀錄，由營運者匯入',
  'home.chartYears': '每年聲明人數',
  'home.chartYearsDesc': (bars: number) =>
    `自第一份聲明以來的 ${bars} 年，每年一根長條，歷史紀錄與本站聲明分開顯示。`,
  'chart.table': '以表格列出數字',
  'stats.channel': '聲明途徑',
  'stats.region': '地區',
  'statements.byAlias': (name: string) => `${name}（化名）`,
  'list.separator': '、',
  'chart.year': '年份',
  'stats.voidReason': (reason: string) =>
    ({
      flood: '大量假聲明之一',
      duplicate: '重複登記',
      test: '測試紀錄',
      error: '登記有誤',
      request: '應聲明者本人要求',
    })[reason] ?? reason,
  'about.verifier': '下載核對程式（tuidang-verify.mjs）',
  'about.verifierHash': '檔案的 SHA-256 檢查碼：',
  'about.verifierBuild':
    '用本專案的原始碼自行建置，得到的檔案一模一樣：在原始碼目錄裡執行下面這行指令，會建置出這個檔案，並印出同一個檢查碼：',
  'about.witnesses': '獨立見證者',
  'about.witnessesText':
    '每個見證者都記著自己見過的登記冊最新版本，只有新版本完整包含舊版本時才會聯署。有了見證者，登記冊就無法給不同的人看不同的歷史。',
  'about.noWitness':
    '目前還沒有獨立見證者，登記冊只有本站自己的簽章。核對程式會記住核對過的版本，日後的版本如果改寫了它，就會明確報錯；請不時再核對一次。',
  'about.witnessCosigned': '已聯署最新版本',
  'about.witnessMissing': '尚未聯署最新版本',
  'about.seized': '如果伺服器被查封',
  'about.seizedHolds': '查封伺服器的人，能在伺服器上找到：',
  'about.holds.log': '資料庫裡的公開登記冊本身（和任何人都能下載的內容相同）',
  'about.holds.publications':
    '同意公開的人的姓名和聲明，包括已公開的、等待審核的和沒有通過審核的，直到被刪除為止',
  'about.holds.staff':
    '工作人員的帳號（使用者名稱、密碼的雜湊值、以簽章金鑰衍生的金鑰加密的兩步驟驗證金鑰、備用碼的雜湊值），以及他們的操作紀錄',
  'about.holds.newsletter': '電子報訂閱者的電子郵件地址',
  'about.holds.key':
    '本站的簽章金鑰：拿到它的人可以冒名簽發登記冊的新版本，但改寫核對程式或見證者見過的版本，一定會被發現',
  'about.holds.sealed':
    '透過表格（或透過介面帶冪等鍵）送出的聲明，其回執會加密存放 24 小時，好讓重複送出的同一份表格得到同樣的回執；加密用的是那份表格自己的金鑰，伺服器不存放這個金鑰，沒有它誰也讀不出回執',
  'about.seizedNever': '伺服器上從來沒有：',
  'about.never.unpublished': '未同意公開者的姓名和聲明',
  'about.never.receipts': '可以讀取的回執，以及回執裡能把紀錄和本人對上的秘密部分',
  'about.never.ip':
    'IP 位址、瀏覽器資料，以及聲明的確切時刻：至多看得出它首次公開於哪一次發布，而這本來人人可見',
  'staff.signedOut': '您已登出。',
  // 工作人員帳號的兩步驟驗證（src/web/pages/staff-two-factor.ts）
  'twoFactor.nav': '兩步驟驗證',
  'twoFactor.title': '兩步驟驗證',
  'twoFactor.code': '驗證器 App 上的驗證碼',
  'twoFactor.codeHint':
    '六位數字，或一組備用碼。還沒設定兩步驟驗證的話，這裡留白，輸入密碼後會引導您設定。',
  'twoFactor.codeTitle': '輸入驗證碼',
  'twoFactor.codeIntro': '密碼正確。請輸入驗證器 App 為本站顯示的六位數驗證碼，或一組備用碼。',
  'twoFactor.failed': '使用者名稱、密碼或驗證碼不對。',
  'twoFactor.wrongCode':
    '驗證碼不對，或已經用過了。驗證碼每 30 秒更換一次，請輸入 App 現在顯示的那一組。',
  'twoFactor.tooMany': '驗證碼輸錯太多次，請從頭重新登入。',
  'twoFactor.expired': '這次設定已逾時。下面是新的金鑰，請重新加入 App。',
  'twoFactor.required':
    '您的帳號必須先設定兩步驟驗證才能登入：在手機上安裝每 30 秒產生六位數驗證碼的驗證器 App（例如 Aegis、FreeOTP、2FAS 或 Google Authenticator）。這樣即使別人知道您的密碼，沒有您的手機也無法登入。',
  'twoFactor.status.on':
    '您的帳號已啟用兩步驟驗證。在這裡重新設定會取代原本的，舊的備用碼也會失效。',
  'twoFactor.status.off': '您的帳號尚未啟用兩步驟驗證，可以在這裡設定。',
  'twoFactor.step1': '在驗證器 App 裡新增帳號，掃描這個 QR Code。',
  'twoFactor.step2': '無法掃描的話，可以手動輸入這組金鑰（以時間為準，六位數，每 30 秒更新）：',
  'twoFactor.step3': '然後輸入 App 現在顯示的驗證碼：',
  'twoFactor.qrLabel': '驗證器 App 用的金鑰 QR Code',
  'twoFactor.confirm': '啟用兩步驟驗證',
  'twoFactor.recoveryTitle': '您的備用碼',
  'twoFactor.recoveryIntro':
    '兩步驟驗證已啟用。手機遺失時，每組備用碼可代替驗證碼登入一次。請現在抄下或列印，並和手機分開儲存：這些備用碼不會再顯示。',
  'twoFactor.continue': '繼續',
  // Error pages: a page that failed, by what the visitor can do (src/web/pages/error.ts)
  'errorPage.title': '出錯了',
  'errorPage.busy': '網站現在很忙，請稍後再試。這次沒有記錄任何內容。',
  'errorPage.ourSide': '我們這邊出了問題，這次沒有記錄任何內容。請稍後再試。',
  'errorPage.request': '無法處理這個請求。請回到上一頁再試一次。',
  // The declaration form, the receipt and its print view, checking a receipt, erasing (receipts
  // per person).
  'form.region': '地區（選填）',
  'form.publishPerson': '公開此人的姓名和聲明（經審核後）。請在本人同意時才勾選。',
  'form.publishCaller': '經我詢問，本人同意公開其姓名和聲明（經審核後）',
  'form.remove': (n: number) => `刪去第 ${n} 人`,
  'form.errorTitle': '有幾處需要修改',
  'form.errorAt': (person: number, message: string) => `第 ${person} 人：${message}`,
  'form.sentTwice':
    '這份表格已經送出過，當時填寫的內容已經登記；之後所做的修改沒有記錄。如要為其他人聲明，請填寫這份新表格。',
  'form.expired':
    '這份表格已超過一天。如果當時已經送出，那份聲明已經登記。這次沒有記錄任何內容：如要聲明，請填寫這份新表格。',
  'error.chooseNameKind': '請選擇這是真名還是化名。',
  'receipt.headOne': '您的聲明已經登記',
  'receipt.headMany': (n: number) => `${n} 份聲明已經登記`,
  'receipt.sentenceOne': (entry: string) => `您的聲明已登記為公開登記冊的第 ${entry} 筆紀錄。`,
  'receipt.sentenceMany': (n: number, entries: string) =>
    `${n} 人的聲明已登記為公開登記冊的第 ${entries} 筆紀錄。下面每人各有一張自己的回執。`,
  'receipt.keepTitle': '保管好回執',
  'receipt.keepProves':
    '回執能證明聲明在公開登記冊裡。它是一個人和自己那筆紀錄之間唯一的連結：我們不留副本。',
  'receipt.keepWhere':
    '請列印或下載，放在別人不會翻看的地方，不要存在與他人共用的手機或電腦上。每人保管自己的一張。',
  'receipt.keepDestroy':
    '銷毀回執是安全的：聲明照樣計入總數。只是之後誰也無法指出是哪筆紀錄，也無法刪除已公開的姓名。',
  'receipt.print': '列印回執',
  'receipt.printNoScript': '要列印，請使用瀏覽器選單裡的「列印」。',
  'receipt.downloadAll': '下載全部回執（一個檔案）',
  'receipt.downloadOne': '下載這張回執',
  'receipt.entryNumber': (entry: string) => `第 ${entry} 筆紀錄`,
  'receipt.code': '回執碼（必要時可以手動輸入）',
  'receipt.technical': '回執全文（供核對程式使用）',
  'receipt.qr': (entry: string) => `QR 碼，內含第 ${entry} 筆紀錄的完整回執`,
  'receipt.paper': (entry: string) =>
    `第 ${entry} 筆紀錄：憑上面的回執碼，可以在頂端的網址核對。請把這張紙收在別人不會翻看的地方；不要用微信、支付寶等軟體掃描 QR 碼。不再需要時，撕碎或燒掉即可。`,
  'receipt.eraseOne': '刪除這份已公開的姓名和聲明',
  'check.checking': '正在您的瀏覽器裡核對……',
  'check.ok': (entry: string, size: string) =>
    `已在您的瀏覽器裡核對無誤：第 ${entry} 筆紀錄在公開登記冊裡（共 ${size} 筆），有登記處的簽章。`,
  'check.pending': (entry: string) =>
    `已在您的瀏覽器裡核對：第 ${entry} 筆紀錄有登記處的簽章。下一次發布時（幾分鐘之內）它就會出現在公開登記冊裡。`,
  'check.malformed': '這不是一張完整的回執：缺了一部分，或者被改動過。請重新複製回執的全部文字。',
  'check.notSigned': '這張回執沒有本登記處的簽章：它來自別的網站，或者被改動過。',
  'check.notIncluded': '這張回執與登記冊對不上：紀錄、編號或證明被改動過。',
  'check.otherLog': '這張回執來自另一本登記冊。',
  'check.inconsistent':
    '警告：登記冊已經不再包含簽發這張回執時的歷史。請保管好回執，並告訴其他人：核對正是為了發現這種情況。',
  'check.unreachable': '核對時無法連上登記處。請稍後再試；回執本身不受影響。',
  'check.notYet': (entry: string) =>
    `公開登記冊裡還沒有第 ${entry} 筆紀錄。如果是幾分鐘內剛聲明的，下一次發布時就會出現，請到時再核對。`,
  'check.input': '回執全文或回執碼',
  'check.intro': '貼上回執，或輸入紙上的回執碼，核對這筆紀錄是否在公開登記冊裡。',
  'check.resultOk': (entry: string, signed: string, latest: string, origin: string) =>
    `第 ${entry} 筆紀錄在登記冊有 ${signed} 筆紀錄時簽發的版本裡（${origin}），而這個簽發的版本與最新版本（${latest} 筆紀錄）前後一致。`,
  'check.resultPending': (entry: string, signed: string) =>
    `第 ${entry} 筆紀錄在登記冊有 ${signed} 筆紀錄時簽發的版本裡。下一次發布時（幾分鐘之內）它就會出現在公開登記冊裡。`,
  'check.resultCode': '回執是根據回執碼和登記冊重新拼出來的：回執碼含有紀錄編號和回執的秘密部分。',
  'check.independent':
    '這個結果來自登記處自己的伺服器。獨立核對不必信任它：開啟 JavaScript，在您的瀏覽器裡核對（計算在您自己的裝置上進行），或者在自己的電腦上用獨立的核對程式：',
  'erase.introPerson':
    '請貼上要刪除其公開姓名和聲明的那個人的回執，或輸入紙上的回執碼。刪除之前，您會先看到要刪除的內容。',
  'erase.next': '下一步',
  'erase.confirmTitle': '刪除這份姓名和聲明嗎？',
  'erase.confirmText': (entry: string) =>
    `這會永久刪除第 ${entry} 筆紀錄公開的內容。只刪除這一個人的；與此人一起聲明的人，公開的內容不受影響。這筆紀錄仍然計入總數。`,
  'erase.confirmButton': '確定刪除',
  'erase.cancel': '不刪除',
  'erase.doneOne': (entry: string) => `第 ${entry} 筆紀錄公開的姓名和聲明已刪除。`,
  'erase.nothing': '這張回執沒有公開的內容：可能已經刪除，或者這份聲明沒有可公開的聲明內容。',
  // 防濫用與輸入檢查（聲明表單、電子報表單）
  'error.marks': (max: number) => `同一個字上疊加的符號太多（最多 ${max} 個）。`,
  'error.noLetter': '請至少寫一個字或字母。',
  'error.title': '無法讀取表單',
  'error.encoding': '表單內容的編碼無法辨識。請在本頁重新填寫並送出；尚未記錄任何內容。',
  'declare.again': (seconds: number) =>
    `您的網路連線在開啟表單後有所變動。為防止自動程式大量送出，等待時間要重新計算。目前還沒有記錄任何內容。請檢查填寫的內容，${seconds} 秒後再按一次「送出聲明」。`,
  'newsletter.errorSend': '暫時無法寄出確認郵件，請稍後再試。',
  'newsletter.errorRejected': '對方的郵件伺服器拒收了這封郵件，請檢查電子郵件地址。',
  // Who runs the registry, and what anchors the trust in its key (src/web/pages/home.ts, about.ts)
  'home.intro':
    '2004 年以來，許多人聲明退出中國共產黨、共青團和少先隊，簡稱「三退」。在本站聲明的每一位，都是公開登記冊裡的一筆紀錄：任何人都能下載登記冊，自行清點總數，但從紀錄裡看不出是誰。',
  // A name in Latin letters stands apart from the Chinese around it, as elsewhere on the site.
  'operator.runBy': (name: string) =>
    `本站由${/^[\p{Script=Han}\p{P}]/u.test(name) ? name : ` ${name}`}${/[\p{Script=Han}\p{P}]$/u.test(name) ? '' : ' '}營運。`,
  'operator.none': '本站營運者尚未公佈名稱。',
  'operator.contact': '聯絡方式：',
  'operator.noContact': '營運者尚未公佈聯絡方式。',
  'about.operator': '誰在營運本站',
  'about.key': '登記冊的公鑰',
  'about.keyText':
    '登記冊的每一個版本都以下面這把公鑰對應的金鑰簽章，核對程式和本站提供的每一道指令都會核對它。請將它與別處公佈的公鑰對照：本頁列出的見證者、鏡像站，或營運者的其他管道。如此一來，您就不必只聽本站伺服器的一面之詞。',
  'about.source': '原始碼',
  'about.sourceText': '本站執行的程式的原始碼：',
  'about.commit': '版本（commit）：',
  'about.noSource': '營運者尚未說明本站執行的原始碼公佈在哪裡。',
  'footer.staff': '工作人員頁面為了登入使用一個 Cookie；公開頁面不使用 Cookie。',
  // 灌水的代價（/about），依本站的設定計算（src/web/flood-cost.ts）。
  'about.flood': '用假聲明灌水，要付出什麼代價',
  'about.floodWork': (fewest: number, most: number, phone: number, fast: number, slow: number) =>
    `網路上送出的聲明，每登記一個人都要先「做功」。開啟 JavaScript 時，瀏覽器要解一道計算題（scrypt），每試一次都要佔用 4 MiB 記憶體，每人平均要試 ${fewest}–${most} 次：在中階手機上約需 ${phone} 秒（我們的估算）；即使用我們所知最快、專為解題撰寫的程式，在我們的測試機器上每登記 1,000 人也要耗費 ${fast}–${slow} 秒處理器時間（處理器越快，耗時越少）。系統忙碌時，題目最多會難上十倍。`,
  'about.floodWait': (seconds: number) =>
    `不開啟 JavaScript 時，表單開啟後要等一會兒才能送出：表單上每有一人，就多等 ${seconds} 秒；同一連線的多份表單依序計時，不能同時等。`,
  'about.floodLimit': (people: number) =>
    `每個連線（一個 IPv4 位址或一個 IPv6 網段）每分鐘最多登記 ${people} 人。`,
  'about.floodOff': '本站營運者已關閉送出前的「做功」要求。',
  'about.floodLimits':
    '這樣，灌水就得付出電腦、網路位址和時間，但並非做不到。正因如此，每筆紀錄都公開，作廢也只能另記一筆公開紀錄，人人都能重新清點。',
  // Who this deployment is (the about page), and the language choice of a browser that hides its own.
  'about.deployment': '本站的設定',
  'about.origin': '本站公開登記冊的名稱，寫在每一個簽發的版本和每一張回執裡：',
  'about.localOrigin':
    '本站還沒有自己的名稱：營運者尚未設定本站的網址，所以登記冊用的是每個本機安裝都有的預設名稱，回執上也看不出是哪個網站。需要設定的是：',
  'about.undeclaredProxy':
    '給營運者的提示：請求經過一個沒有宣告的反向代理到達本站，所以所有訪客共用同一個每分鐘聲明人數的限額。需要設定的是（見營運說明）：',
  'language.title': '請選擇語言',
  'language.hidden':
    '您的瀏覽器沒有告訴本站您閱讀哪種語言（Tor 瀏覽器為了保護您，會隱藏這項資訊）。',
  // 能放心保管的回執、在瀏覽器裡核對、立即離開
  'title.form': '填寫表單',
  'title.receipt': '回執',
  'exit.label': '立即離開本頁',
  'receipt.once': '回執只在這一頁顯示這一次，我們不留副本。離開這一頁以前，請先列印或下載。',
  'receipt.printNameOne': '列印時印上姓名（不勾選就不印）',
  'receipt.printNames': '列印時在每人的回執上印上姓名（不勾選就不印）',
  'receipt.tracesTitle': '不留痕跡',
  'receipt.traceHistory':
    '瀏覽器的瀏覽紀錄會留下本站的網址和頁面標題。離開以前，請在瀏覽器裡刪除本站的瀏覽紀錄；以後來本站，可以用無痕（私密）視窗。',
  'receipt.traceDownloads':
    '下載的回執檔名是 receipt-編號.json，通常在「下載」資料夾裡。請把它移到只有您會看的地方（例如隨身碟），再從「下載」裡刪掉。',
  'receipt.tracePhotos':
    '幫回執拍照，照片會留在手機相簿裡，還常常自動備份到雲端。最好列印出來，或者把回執碼抄在紙上。',
  'receipt.traceScan':
    '不要用微信、支付寶等通訊或支付軟體掃描 QR 碼：QR 碼裡是整張回執，這些軟體會把掃到的內容傳回它們的公司。要核對回執，請在本站「核對回執」頁輸入回執碼，或者用核對程式。',
  'check.published': (entry: string, size: string) =>
    `已經公開：第 ${entry} 筆紀錄現在在公開登記冊裡（共 ${size} 筆），已在您的瀏覽器裡核對。`,
  'check.fromCode': '回執是在您的瀏覽器裡依回執碼和公開登記冊拼出來的：回執碼沒有離開您的裝置。',
  'check.byServer': '這是登記處的伺服器核對的結果，因為您的瀏覽器關閉了 JavaScript。',
  'check.serverNote':
    '您的瀏覽器關閉了 JavaScript，所以輸入的內容會傳到登記處的伺服器核對（透過表單傳送，不會出現在網址裡）。開啟 JavaScript，核對就在您的瀏覽器裡進行，什麼也不傳送。',
  'check.localNote': '核對在您的瀏覽器裡進行：輸入的內容不會傳出去，只會讀取公開登記冊。',
  'erase.confirmTitleNone': '沒有可刪除的內容',
  'erase.confirmNone': (entry: string) =>
    `這張回執沒有已公開或等待審核的姓名和聲明，所以沒有什麼可刪除。第 ${entry} 筆紀錄照樣計入總數。`,
  'erase.cancelNone': '返回',
  // A form whose ticket no longer counts, without JavaScript (src/server/pages/declare.ts)
  'declare.ticketRefused': (seconds: number) =>
    `這份表單已經失效（開啟後一小時內有效）。為防止自動程式大量送出，等待時間要重新計算。目前還沒有記錄任何內容。請檢查填寫的內容，${seconds} 秒後再按一次「送出聲明」。`,
  // 義工用自己的語言上傳 CSV：說明、每個錯誤指出哪一行哪一欄、必須選擇收到的途徑、對義工說的回執頁
  'csv.col.name': '姓名',
  'csv.col.nameKind': '真名/化名',
  'csv.col.orgs': '退出組織',
  'csv.col.region': '地區',
  'csv.col.statement': '聲明',
  'csv.col.publish': '公開',
  'csv.help.title': '每一欄寫什麼（附範例）',
  'csv.help.intro':
    '第一行寫各欄的名稱，下面每行一人。欄名和內容用中文、英文都可以。只有「姓名」和「退出組織」兩欄必須有，其他欄可以不要。',
  'csv.help.name': '必填：本人的真名或化名。',
  'csv.help.nameKind': '寫「真名」或「化名」。不填就當作化名。',
  'csv.help.orgs':
    '必填：黨、團、隊，也可以寫全名，例如「中國共產黨」「共青團」「少先隊」。退出幾個就寫幾個，用頓號隔開，例如「黨、團、隊」。',
  'csv.help.region':
    '可以不填。寫省、自治區或直轄市的名稱，帶不帶「省」「市」「自治區」都可以，例如「廣東」「北京市」「內蒙古」；也可以寫「香港」「澳門」「臺灣」或「海外」。',
  'csv.help.statement': '可以不填。聲明裡有半形逗號時，整段聲明要用半形雙引號括起來。',
  'csv.help.publish':
    '本人同意在網站上公開姓名和聲明（經審核後公開）的，寫「是」；不同意的，寫「否」。不填就不公開。',
  'csv.help.example': '範例（兩個人）：',
  'csv.help.sample':
    '姓名,真名/化名,退出組織,地區,聲明,公開\n陳大文,化名,黨、團,廣東,,否\n林美玲,真名,隊,上海市,我聲明退出少先隊。,是\n',
  'csv.line': (line: string) => `第 ${line} 行沒有登記：`,
  'csv.why.noName': (c: string) => `${c} 一欄是空的，請填上本人的真名或化名。`,
  'csv.why.tooLong': (c: string, max: string) => `${c} 一欄太長，最多 ${max} 個字。`,
  'csv.why.control': (c: string) =>
    `${c} 一欄裡有無法顯示或使用的字元（控制字元或看不見的字元），請刪掉。`,
  'csv.why.marks': (c: string, max: string) => `${c} 一欄裡有一個字疊了太多符號，最多 ${max} 個。`,
  'csv.why.noLetter': (c: string) => `${c} 一欄至少要有一個字。`,
  'csv.why.invalid': (c: string) => `${c} 一欄的內容不能用。`,
  'csv.why.cells': (n: string, columns: string, quote: string) =>
    `這一行有 ${n} 欄，第一行只有 ${columns} 欄。聲明裡有半形逗號時，請用半形雙引號 ${quote} 把整段聲明括起來。`,
  'csv.why.nameKind': (c: string, v: string) =>
    `${c} 一欄寫的是 ${v}，請寫「真名」或「化名」（不填就當作化名）。`,
  'csv.why.noOrgs': (c: string) =>
    `${c} 一欄是空的，請寫退出了哪些組織：黨、團、隊中的一個或幾個。`,
  'csv.why.org': (c: string, v: string) =>
    `${c} 一欄裡的 ${v} 不是組織的名稱，請寫黨、團、隊（或全名），用頓號隔開。`,
  'csv.why.region': (c: string, v: string) =>
    `${c} 一欄裡的 ${v} 不是省級地區的名稱，請寫省、自治區或直轄市的名稱（例如「廣東」），或者不填。`,
  'csv.why.publish': (c: string, v: string) =>
    `${c} 一欄寫的是 ${v}，請寫「是」（同意公開）或「否」（不公開）；不填就不公開。`,
  'csv.quote': (line: string, quote: string, twice: string) =>
    `沒有記錄任何內容：第 ${line} 行的半形雙引號沒有配對。以 ${quote} 開頭的一欄要以 ${quote} 結束，裡面的雙引號要寫成兩個 ${twice}。`,
  'csv.unreadable': (line: string) =>
    `沒有記錄任何內容：第 ${line} 行讀不出來，請檢查這一行是不是 CSV 格式。`,
  'csv.empty': '輸入框是空的，沒有記錄任何內容。請貼上 CSV 表格，第一行寫各欄的名稱。',
  'csv.unknownColumn': (c: string) =>
    `沒有記錄任何內容：第一行裡的 ${c} 不是欄名。第一行要寫各欄的名稱，見下面「每一欄寫什麼」。`,
  'csv.twiceColumn': (c: string) => `沒有記錄任何內容：第一行裡 ${c} 這一欄出現了兩次。`,
  'csv.missingColumn': (c: string) => `沒有記錄任何內容：第一行裡沒有 ${c} 這一欄，這一欄必須有。`,
  'csv.noPeople': '沒有記錄任何內容：第一行下面沒有人。',
  'volunteer.chooseChannel': '請選擇',
  'volunteer.channelMissing':
    '沒有記錄任何內容：請先選擇這些聲明是怎樣收到的（電話、當面或服務中心）。',
  'volunteer.via.phone': '電話',
  'volunteer.via.volunteer': '當面（由義工記下）',
  'volunteer.via.centre': '在服務中心',
  'volunteer.receiptsHead': (_n: number, count: string) => `已為 ${count} 人登記`,
  'volunteer.receiptsLead':
    '請把下面的回執列印出來，交給本人，每人一張：離開這一頁以後就看不到了。',
  'audit.hourNote':
    '時間只記到小時，顯示為一個時段（例如 10:00–11:00）：操作紀錄不保留任何操作的具體時刻。',
  'region.mainland': '中國大陸',
  'region.apart': '臺灣、香港、澳門',
  'receipt.printOne': '列印回執',
  'receipt.printNoScriptOne': '要列印，請使用瀏覽器選單裡的「列印」。',
  'receipt.onceOne': '回執只在這一頁顯示這一次，我們不留副本。離開這一頁以前，請先列印或下載。',
  'figures.now': '現在',
};
