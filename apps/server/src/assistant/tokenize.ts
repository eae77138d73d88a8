import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/** Placeholders that replace entities whose exact value says nothing about the intent. */
export const PLACEHOLDERS = [
  '<num>',
  '<txid>',
  '<addr>',
  '<ticket>',
  '<url>',
  '<email>',
  '<handle>',
  '<secret>',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export type TextAnalysis = {
  /** The message normalised and masked, for pattern features. */
  normalized: string;
  /** Word tokens in order: jieba words, stemmed Latin words and placeholders. */
  tokens: string[];
  /** Runs of Chinese characters (simplified), for character n-grams across word boundaries. */
  hanRuns: string[];
  /** Latin words as written (lowercased, before stemming), for character n-grams that survive typos. */
  words: string[];
};

// Traditional → simplified pairs for the characters customers of an exchange actually type.
// A full OpenCC table is not needed: anything missed here still matches through character n-grams.
const T2S_PAIRS =
  '丟丢帳账號号錢钱轉转幣币證证驗验碼码戶户額额費费單单實实認认鎖锁凍冻結结請请幫帮聯联繫系係系為为爲为麼么麽么這这們们沒没還还處处審审網网絡络鏈链錯错誤误與与際际點点時时間间過过後后種种務务紀纪錄录記记歷历' +
  '曆历詢询問问題题說说讓让開开關关門门員员資资產产損损盜盗騙骗詐诈釣钓魚鱼訊讯備备註注冊册臺台檯台颱台體体機机構构據据發发髮发現现兌兑換换買买賣卖價价條条會会個个來来對对長长幾几無无於于從从裡里裏里歸归' +
  '國国簡简電电話话郵邮書书嗎吗壓压護护經经營营辦办應应該该當当連连線线綫线狀状態态區区塊块確确續续補补動动離离難难臉脸識识別别攝摄舊旧傳传遞递將将專专業业權权顯显圖图標标籤签簽签類类鍵键項项設设計计劃划' +
  '層层級级優优減减稅税報报樣样總总數数載载匯汇彙汇導导帶带領领獎奖勵励綁绑頁页彈弹閃闪筆笔張张觸触強强倉仓虧亏槓杠桿杆掛挂銷销執执場场貨货約约滿满風风險险罰罚擊击駭骇竊窃異异屬属銀银貸贷紅红葉叶廣广東东' +
  '車车閉闭閱阅讀读寫写聽听謝谢煩烦絕绝駁驳憑凭駕驾駛驶齡龄頭头貝贝責责負负賠赔償偿訴诉訟讼師师監监擔担憂忧慮虑嚴严義义給给覺觉賬账啟启啓启遲迟緊紧錶表鐘钟週周遠远億亿萬万兩两雙双親亲歲岁學学習习僅仅儘尽' +
  '盡尽擬拟陸陆陽阳隊队韓韩儀仪兒儿況况淨净凈净劉刘則则剛刚創创刪删勞劳勢势協协卻却厲厉參参雜杂圍围壞坏寶宝尋寻屆届復复複复憶忆懷怀擁拥擇择攜携敵敌斷断暫暂檔档檢检歡欢殘残氣气滅灭濟济灣湾災灾熱热爭争獨独' +
  '獲获穫获環环畫画療疗盤盘礙碍穩稳窮穷競竞範范純纯紙纸細细終终組组絲丝統统綜综緒绪緩缓練练縮缩績绩織织繼继聖圣聲声職职腦脑舉举藝艺衛卫製制觀观訂订討讨訓训託托許许評评試试詳详誠诚語语調调談谈論论諮咨講讲' +
  '議议變变豐丰財财貼贴貿贸賺赚購购贈赠贏赢趕赶跡迹蹤踪軟软輕轻輸输農农進进運运遊游達达違违遺遗適适選选遷迁醫医釋释針针鈔钞閒闲隨随隱隐雖虽雲云靜静響响頂顶須须預预頓顿頻频顧顾飛飞餘余館馆驚惊鬥斗齊齐龍龙' +
  '鐵铁鑰钥閘闸攤摊隻只樂乐採采曉晓橫横殺杀決决沖冲衝冲測测溫温滯滞漲涨潤润濾滤瀏浏覽览瑪玛畢毕稱称節节糾纠紐纽縱纵罷罢聞闻膚肤興兴莊庄蓋盖蘋苹術术裝装規规視视訪访誰谁課课譯译贊赞讚赞趨趋躍跃軌轨較较輪轮' +
  '辭辞邊边鄉乡銳锐鍋锅鏡镜闖闯陣阵陰阴階阶雞鸡顏颜願愿飯饭馬马驅驱鳥鸟鹽盐麵面黃黄佈布倆俩倫伦偉伟側侧傷伤傾倾債债儲储凱凯勝胜墊垫夠够夢梦奪夺寧宁嶼屿幹干乾干廠厂廢废徑径徵征懸悬拋抛捨舍掃扫揚扬搖摇搶抢' +
  '擴扩擺摆擾扰敗败棄弃榮荣槍枪橋桥櫃柜欄栏歐欧毀毁汙污淺浅準准溝沟滾滚潔洁潛潜濃浓濕湿溼湿燈灯燒烧牆墙猶犹獄狱瑣琐疊叠眾众礦矿祕秘禍祸禮礼積积篩筛籃篮籌筹紋纹納纳紛纷紹绍絆绊綠绿維维締缔編编緣缘緻致縫缝' +
  '繩绳繪绘繳缴羅罗聰聪脅胁脫脱腳脚膠胶臨临艙舱華华著着薦荐藍蓝藥药蘇苏虛虚蠟蜡襪袜詞词詩诗誇夸誌志誘诱諾诺謊谎謹谨譜谱豬猪貓猫貧贫販贩貪贪貴贵賀贺賤贱賦赋質质賭赌賴赖賽赛軍军軸轴輔辅輛辆輝辉輩辈輯辑轄辖' +
  '轟轰鄰邻醜丑醬酱鈕钮鉤钩銅铜銘铭鋒锋鋼钢錦锦鍊炼煉炼鑑鉴鑽钻閣阁闆板闊阔隸隶霧雾靈灵鞏巩順顺頑顽頒颁頗颇顛颠飄飘飲饮飽饱飾饰餅饼養养饋馈騰腾驛驿髒脏鬆松鬧闹鮮鲜鳴鸣鴻鸿麗丽麥麦黨党齒齿龜龟鬱郁偽伪僞伪' +
  '嚮向擋挡撥拨撈捞擠挤攔拦廳厅徹彻懇恳戲戏戰战捲卷揮挥搗捣撐撑撲扑撫抚擱搁暉晖樓楼樹树檻槛歎叹殼壳洩泄淒凄渾浑湊凑湧涌滄沧滲渗漸渐潑泼潰溃澤泽濁浊濫滥瀉泻爛烂狹狭獅狮獸兽獻献癒愈皺皱盧卢矯矫硯砚碩硕磚砖' +
  '礎础祿禄禦御禱祷稟禀穀谷穎颖窩窝窯窑竄窜築筑篤笃簾帘籠笼籬篱籲吁紮扎鬍胡蔔卜閩闽寬宽頸颈鎮镇鈴铃鋪铺銜衔鏟铲鏽锈鐮镰鑄铸遜逊遙遥邁迈鄭郑酧酬釐厘闡阐陝陕陳陈隴陇雛雏韋韦頰颊頹颓顆颗顫颤馳驰駐驻駱骆騎骑' +
  '騷骚驕骄驢驴骯肮鬨哄魯鲁鯨鲸鴉鸦鴨鸭鵝鹅鷹鹰鹹咸黴霉黷黩鼕冬齋斋齜龇龐庞剎刹劍剑劑剂勁劲嘆叹嘗尝噴喷嚇吓囑嘱團团園园塵尘墳坟壇坛壯壮壺壶奧奥嬌娇孫孙寢寝寵宠屜屉岡冈峽峡幟帜庫库廁厕廟庙廚厨彎弯彥彦徬彷' +
  '恆恒惡恶惱恼惻恻愛爱愜惬慘惨慣惯慶庆憐怜憤愤懶懒懼惧戀恋挾挟捫扪掙挣揀拣搾榨摟搂摺折撿捡擲掷攏拢攪搅敘叙斂敛斬斩昇升晝昼暈晕暢畅棟栋棧栈楊杨槳桨樁桩樞枢櫻樱殲歼毆殴氫氢淚泪渦涡湯汤滷卤漁渔漢汉灑洒灘滩' +
  '烏乌燦灿爺爷犧牺甦苏畝亩疇畴癢痒盃杯盞盏睜睁瞭了穌稣筍笋粵粤糞粪緯纬罈坛肅肃臟脏蔣蒋蕭萧薩萨蝕蚀訝讶訣诀貞贞趙赵逕径釘钉';
const T2S = new Map<string, string>();
for (let i = 0; i + 1 < T2S_PAIRS.length; i += 2) {
  T2S.set(T2S_PAIRS.charAt(i), T2S_PAIRS.charAt(i + 1));
}

/** Traditional → simplified, character by character, for the characters in the table. */
export function toSimplified(text: string): string {
  let out = '';
  for (const ch of text) out += T2S.get(ch) ?? ch;
  return out;
}

/** `from=to` pairs separated by whitespace; `+` in a value stands for a space. */
function parsePairs(source: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const item of source.trim().split(/\s+/u)) {
    const [from = '', to = ''] = item.split('=');
    pairs[from] = to.replaceAll('+', ' ');
  }
  return pairs;
}

// Taiwan / Hong Kong words → the mainland word the examples use (after character conversion).
const REGIONAL_WORDS = Object.entries(
  parsePairs(
    '简讯=短信 登入=登录 网路=网络 储值=充值 汇出=导出 讯息=消息 软体=软件 电子信箱=邮箱 信箱=邮箱 电邮=邮箱 金钥=密钥 提领=提现 身分=身份 应用程式=应用 程式=程序 帐=账 线上=在线 手机门号=手机号 门号=手机号 审查=审核',
  ),
);
// Longest first, so '电子信箱' wins over '信箱'.
const REGIONAL_PATTERN = new RegExp(
  REGIONAL_WORDS.map(([from]) => from)
    .sort((a, b) => b.length - a.length)
    .join('|'),
  'gu',
);
const REGIONAL_MAP = new Map(REGIONAL_WORDS);

/** Traditional characters and regional words → simplified mainland usage. */
function toMainland(text: string): string {
  return toSimplified(text).replace(REGIONAL_PATTERN, (word) => REGIONAL_MAP.get(word) ?? word);
}

/** NFKC (full-width letters and digits become ASCII), lowercase, simplified mainland Chinese. */
export function normalizeText(text: string): string {
  return toMainland(text.normalize('NFKC').toLowerCase());
}

// Words of the support domain that jieba's general dictionary splits apart or does not know.
const CRYPTO_WORDS = `
  提币 提幣 提现 充值 充币 充错 错充 误充 到账 入账 上账 未到账 没到账 出金 入金 打币 转币 转入 转出 提走 转走 划转 放币
  谷歌验证器 谷歌验证 谷歌验证码 身份验证器 验证器 双重验证 二次验证 两步验证 验证码 短信验证码 邮箱验证码 邮件验证码 动态码 安全验证
  备份密钥 实名认证 身份认证 高级认证 实名 人脸识别 人脸验证 活体检测 手持身份证 自拍照 护照 驾照 地址证明 防钓鱼码 钓鱼网站 钓鱼邮件
  钓鱼链接 假客服 冒充 自称 转人工 人工客服 真人客服 在线客服 电话客服 客服电话 客服热线 客服邮箱 人工服务 人工审核 人工复核 人工处理
  机器人 客服 工单 工单号 案件编号 申诉 工作时间 上班时间 在线时间 助记词 私钥 密钥 登录密码 资金密码 交易密码 白名单 防钓鱼 冻结 解冻
  解封 封号 风控 锁定 解锁 禁用 受限 限制交易 注册 邀请码 推荐码 推荐人 邀请人 登录 登陆 登入 重置密码 找回密码 忘记密码 异地登录
  陌生设备 登录记录 设备管理 被盗 盗号 被黑 被骗 诈骗 骗子 手续费 费率 挂单 吃单 返佣 资金费率 额度 限额 提币额度 提现额度 上限
  最小提币 法币 银行卡 信用卡 支付宝 商家 场外 快捷买币 电汇 强平 爆仓 平仓 止损 止盈 限价单 市价单 计划委托 委托单 滑点 插针 保证金
  杠杆 交易记录 历史记录 订单记录 成交记录 充值记录 提币记录 对账单 流水 导出 账单 错链 错误网络 合约地址 标签 备注 确认数 待确认 确认中
  交易哈希 哈希 区块 投诉 律师 起诉 报警 监管 证监会 消协 曝光 举报 赔偿 审核中 处理中 待处理 已完成 已拒绝 被拒 被驳回 被取消 进度
`
  .trim()
  .split(/\s+/u);

// jieba's full dictionary takes ~0.4 s to load; words seen at least this often (~60k of 350k)
// segment support messages the same way and load in ~40 ms.
const MIN_GENERAL_WORD_FREQUENCY = 30;

/** The lines of jieba's dictionary (`word freq tag`) whose frequency reaches `minFrequency`. */
function filterDictionary(source: Uint8Array, minFrequency: number): Uint8Array {
  const out = new Uint8Array(source.length);
  let written = 0;
  let start = 0;
  const n = source.length;
  while (start < n) {
    let i = start;
    while (i < n && source[i] !== 0x20 && source[i] !== 0x0a) i++;
    let frequency = 0;
    let j = i + 1;
    while (j < n) {
      const byte = source[j] ?? 0;
      if (byte < 0x30 || byte > 0x39) break;
      frequency = frequency * 10 + byte - 0x30;
      j++;
    }
    let end = j;
    while (end < n && source[end] !== 0x0a) end++;
    if (frequency >= minFrequency) {
      out.set(source.subarray(start, Math.min(end + 1, n)), written);
      written += Math.min(end + 1, n) - start;
    }
    start = end + 1;
  }
  return out.subarray(0, written);
}

let jieba: Jieba | undefined;

/** The segmenter, built once: a trimmed general dictionary plus the crypto-support words. */
function getJieba(): Jieba {
  if (!jieba) {
    const instance = Jieba.withDict(filterDictionary(dict, MIN_GENERAL_WORD_FREQUENCY));
    const custom = CRYPTO_WORDS.map((word) => `${toSimplified(word)} 200000 n`).join('\n');
    instance.loadDict(new TextEncoder().encode(custom));
    jieba = instance;
  }
  return jieba;
}

// Entities are masked on the NFKC text before lowercasing, so base58 case is still visible.
const MASKS: ReadonlyArray<readonly [RegExp, string]> = [
  // What the secret guard left in place of a secret (safety/secret-guard.ts).
  [/\[redacted:[a-z_]+\]/giu, '<secret>'],
  [/\b(?:https?:\/\/|www\.)[^\s<>"'，。！？]+/giu, '<url>'],
  [/\b[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+\b/giu, '<email>'],
  // Hashes are 64 hex; customers paste them with a character too many or too few.
  [/\b0x[0-9a-f]{50,70}\b|\b[0-9a-f]{50,70}\b/giu, '<txid>'],
  // A hash shortened with an ellipsis, as customers paste them from explorers.
  [/\b0x[0-9a-f]{4,}(?:\.{2,}|…)[0-9a-f]{2,}\b/giu, '<txid>'],
  [/\b[1-9A-HJ-NP-Za-km-z]{80,90}\b/gu, '<txid>'],
  [/\b0x[0-9a-f]{38,42}\b/giu, '<addr>'],
  [/\b(?:bc1|tb1|ltc1)[02-9ac-hj-np-z]{20,80}\b/giu, '<addr>'],
  [/\b[13LMT][1-9A-HJ-NP-Za-km-z]{25,40}\b/gu, '<addr>'],
  [/\b(?=[a-z]*\d)(?=\d*[a-z])[0-9a-z]{26,64}\b/giu, '<addr>'],
  [
    /\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|xyz|app|top|cc|info|me|vip|pro|site|online|link|club|ai|exchange|support|help)\b(?:\/[^\s，。]*)?/giu,
    '<url>',
  ],
  [/(^|[^\w])@[a-z_][\w]{3,31}\b/giu, '$1<handle>'],
  [/\b(?:24\s*\/\s*7|7\s*[x×*]\s*24)\b/giu, 'allday'],
  // Ticket references: a keyword then a number, `#12345`, or `KF-12345`.
  [
    /(\bticket|\bcase|\brequest|\breq|\bappeal|工单号?|案件编号|案件号?|申诉号?|(?<![订訂])单号|编号)\s*(?:no\.?|number|num|id|#|号|编号)?\s*[:：#]?\s*#?\d{3,}/giu,
    '$1 <ticket>',
  ],
  [/(^|[^\w&])#\d{3,}\b/gu, '$1<ticket>'],
  [/\b[a-z]{1,4}-\d{4,}\b/giu, '<ticket>'],
];

// Numbers glued to letters that carry meaning of their own and are not quantities.
const NUMERIC_WORDS = new Set(['2fa', '2nd', '1st', '3rd', '24h', '24hr', '24hrs']);

// Token standards keep their digits; a ticker glued to an amount ('usdt100') does not.
const TOKEN_STANDARDS = /^(?:erc|trc|bep|brc|src|arc|drc|spl)\d{1,3}$/u;

function maskNumbers(text: string): string {
  const split = text.replace(
    /\b([a-z]{2,6})(\d+(?:[.,]\d+)*)\b/giu,
    (match: string, letters: string, digits: string) =>
      TOKEN_STANDARDS.test(match.toLowerCase()) || digits.length < 2
        ? match
        : `${letters} ${digits}`,
  );
  return split.replace(/(?<![a-z\d])\d+(?:[.,]\d+)*([a-z]*)/giu, (match: string, unit: string) => {
    if (NUMERIC_WORDS.has(match.toLowerCase())) return match;
    // "5k", "3w", "2m" are amounts; "3days", "24hrs" keep their unit as a word.
    return unit && !/^(?:k|w|m|b|kk|mm)$/iu.test(unit) ? ` <num> ${unit}` : ' <num> ';
  });
}

/** Replaces tx hashes, addresses, ticket numbers, URLs and numbers with placeholder tokens. */
export function maskEntities(text: string): string {
  // "8万u", "500U", "提u": Chinese customers write U for USDT; keep it from becoming "you".
  let out = text.replace(/(?<=\d[wk]?|[万千百个提充转买卖])\s*[uU](?![a-zA-Z])/gu, ' usdt');
  for (const [pattern, replacement] of MASKS) out = out.replace(pattern, ` ${replacement} `);
  return maskNumbers(out);
}

// Abbreviations, slang and frequent misspellings → the word the training examples use.
// Values may hold several words ('ga' → 'google authenticator').
const WORD_MAP: Record<string, string> = parsePairs(`
  u=you ur=your r=are y=why pls=please plz=please pl0x=please thx=thanks thnx=thanks
  tks=thanks ty=thanks tnx=thanks thanx=thanks wd=withdraw wdl=withdraw withdrawl=withdraw
  withdrawel=withdraw withdrwal=withdraw withdrawal=withdraw withdrawals=withdraw
  withdrawls=withdraw withdrew=withdraw withdrawn=withdraw widthdraw=withdraw
  withdraws=withdraw withdrawing=withdraw dep=deposit deps=deposit deposite=deposit
  diposit=deposit depo=deposit acc=account acct=account acount=account accout=account
  accnt=account pw=password pwd=password passwd=password pasword=password passowrd=password
  tfa=2fa mfa=2fa ga=google+authenticator gauth=google+authenticator auth=authenticator
  authenticator=authenticator authentificator=authenticator authenticater=authenticator
  authy=authenticator txn=transaction tx=transaction txs=transaction trx=transaction
  addr=address adress=address adres=address msg=message rcv=receive recv=receive
  recieve=receive recieved=receive recived=receive receieved=receive recevied=receive
  hrs=hour hr=hour h=hour mins=minute wat=what wut=what whats=what coz=because cuz=because
  bc=because hv=have cant=cannot cannot=cannot verfication=verify verifcation=verify
  verification=verify verified=verify verifying=verify verifiy=verify veryfy=verify kyc=kyc
  ekyc=kyc idv=kyc netwrok=network netowrk=network ntwk=network hacked=hack hacker=hack
  hackers=hack stolen=steal stole=steal froze=freeze frozen=freeze sent=send got=get
  gotten=get lost=lose gave=give given=give told=tell paid=pay bought=buy sold=sell
  made=make took=take taken=take came=come went=go gone=go did=do done=do does=do
  cancelled=cancel canceled=cancel cancelling=cancel canceling=cancel cancellation=cancel
  registration=register registered=register signup=sign+up login=log+in logon=log+in
  signin=sign+in logged=log logging=log liquidated=liquidate liquidation=liquidate
  liq=liquidate 24hr=24h 24hrs=24h rep=representative reps=representative cs=support
  custserv=support agnt=agent humann=human hooman=human ppl=people smth=something
  sth=something im=i+am ive=i+have idk=do+not+know didnt=did+not dont=do+not doesnt=do+not
  havent=have+not hasnt=have+not isnt=is+not wasnt=was+not wont=will+not aint=not
  cannt=cannot nt=not ok=ok okay=ok okey=ok k=ok
`);

// A handful of forms the suffix rules below would get wrong.
const STEM_EXCEPTIONS: Record<string, string> = parsePairs(`
  news=news status=status address=address access=access process=process this=this his=his
  yes=yes us=us bus=bus bonus=bonus gas=gas ios=ios sms=sms kyc=kyc usdt=usdt btc=btc
  eth=eth was=was has=has does=do need=need speed=speed feed=feed bed=bed red=red seed=seed
  wed=wed ted=ted fed=fed shed=shed during=during thing=thing nothing=nothing
  something=something anything=anything bring=bring string=string ring=ring king=king
  morning=morning evening=evening spring=spring pending=pending ping=ping sing=sing
`);

/** A small suffix stripper: plural and -ed/-ing forms meet their base word. */
export function stemWord(word: string): string {
  const exception = STEM_EXCEPTIONS[word];
  if (exception !== undefined) return exception;
  if (word.length <= 3 || /\d/.test(word)) return word;
  let s = word;
  if (s.endsWith('ies') && s.length > 4) s = `${s.slice(0, -3)}y`;
  else if (s.endsWith('sses')) s = s.slice(0, -2);
  else if (s.endsWith('s') && !/(?:ss|us|is)$/.test(s)) s = s.slice(0, -1);
  let stripped = false;
  if (s.endsWith('ing') && s.length >= 6) {
    s = s.slice(0, -3);
    stripped = true;
  } else if (s.endsWith('ed') && s.length >= 5 && !s.endsWith('eed')) {
    s = s.slice(0, -2);
    stripped = true;
  }
  // stopped → stopp → stop; but keep -ll/-ss/-zz (filled → fill).
  if (stripped && /([b-df-hj-km-np-rtv-z])\1$/.test(s) && !/(?:ll|ss|zz)$/.test(s))
    s = s.slice(0, -1);
  if (s.endsWith('i') && s.length > 3) s = `${s.slice(0, -1)}y`;
  if (s.endsWith('e') && s.length > 4) s = s.slice(0, -1);
  return s;
}

/** A Latin word → one or more normalised, stemmed tokens. */
function latinTokens(word: string): string[] {
  const mapped = WORD_MAP[word] ?? word;
  return mapped.split(' ').map(stemWord);
}

const TOKEN_PATTERN =
  /<(?:num|txid|addr|ticket|url|email|handle|secret)>|\p{Script=Han}+|[a-z0-9]+(?:['’][a-z]+)*|\d+\/\d+/gu;

/** Normalises, masks and segments a message: the tokens plus the raw material for character n-grams. */
export function analyzeText(text: string): TextAnalysis {
  const masked = toMainland(maskEntities(text.normalize('NFKC')).toLowerCase());
  const tokens: string[] = [];
  const hanRuns: string[] = [];
  const words: string[] = [];
  for (const match of masked.matchAll(TOKEN_PATTERN)) {
    const piece = match[0];
    if (piece.startsWith('<')) {
      tokens.push(piece);
    } else if (/^\p{Script=Han}/u.test(piece)) {
      hanRuns.push(piece);
      for (const word of getJieba().cut(piece, false)) tokens.push(word);
    } else {
      const word = piece.replace(/['’]/g, '');
      words.push(word);
      tokens.push(...latinTokens(word));
    }
  }
  return { normalized: masked, tokens, hanRuns, words };
}

/** Word tokens of a message (see `analyzeText`). */
export function tokenize(text: string): string[] {
  return analyzeText(text).tokens;
}
