import { normalizeText } from './tokenize.ts';

/** Why a message goes to a person (taxonomy.md, labelling rules for `handoff`). */
export type HandoffReason =
  | 'human_request'
  | 'complaint'
  | 'funds_stolen'
  | 'legal_threat'
  | 'secret_given_to_impersonator';

export type HandoffDecision = { handoff: boolean; reasons: HandoffReason[] };

// All patterns run on normalizeText() output: NFKC, lowercase, simplified Chinese.

// ── Explicit request for a person ─────────────────────────────────────────────
// "人工" alone is manual processing ("人工审核" = manual review), not a person to talk to.
const NOT_A_PERSON_AFTER_RENGONG =
  '(?!审|复核|复审|核|智能|验证|认证|检查|确认|干预|处理中|操作中|放行)';
const PERSON_ZH = `(?:人工${NOT_A_PERSON_AFTER_RENGONG}|真人|活人|客服|工作人员|员工|专员|坐席)`;
const HUMAN_REQUEST_STRONG: readonly RegExp[] = [
  // 转人工 / 转接人工 / 接人工 / 转真人 / 人工客服 / 真人客服 / 在线人工
  /(?:转|转接|接|切换|换)(?:个|一个|到)?(?:人工|真人|活人)/u,
  // "人工客服" said on its own, or "人工客服在吗"; a mention inside a sentence is not a request.
  /^[\s\p{P}]*(?:agent|human|live agent)?[\s\p{P}]*(?:人工|真人|活人)(?:客服|服务|坐席)[\s\p{P}]*(?:呢|在吗|在哪|在不在|please|pls)?[\s\p{P}]*$/u,
  /(?:人工|真人)(?:客服|服务)(?:在吗|在哪|在不在|呢[?？])/u,
  /在线人工|人工在吗|真人在吗|转给(?:人工|真人|活人|客服)|(?:转|接)\s*(?:human|agent|real person|live agent)/u,
  /(?:人工|真人|活人|客服|工作人员)(?:跟|和|与)我(?:说|聊|谈|沟通|对话)/u,
  // A clause that starts "找个真人…", "叫客服…".
  /(?:^|[\s，,。！!；;])(?:找|叫|喊)(?:个|一个|一位|你们的?)?(?:人工|真人|活人|客服)(?!电话|热线|邮箱|的电话|的邮箱|几点|什么时候|工作时间|上班|在线时间)/u,
  /\b(?:talk|speak|chat)\s+(?:to|with)\s*(?:人工|真人|客服)/u,
  // The whole message is "人工" (possibly repeated).
  /^[\s!！。.?？]*(?:人工[\s!！。.,，?？]*)+$/u,
  // 我要人工 / 给我找个真人 / 帮我转客服 / 叫你们的客服来 / 让人工帮我看一下
  new RegExp(
    `(?:我要|我想|我需要|需要|给我|帮我|麻烦|能不能|可不可以|可以|让|叫|安排|请(?=转|接|找|安排|让))(?:找|转|接|联系|跟|和|与|叫|换|让|安排)?(?:个|一个|一位|你们的?|一下)?${PERSON_ZH}(?!电话|热线|邮箱|的电话|的邮箱|几点|什么时候|工作时间|上班|在线时间)`,
    'u',
  ),
  /(?:^|[\s，,。！!])(?:找|呼叫|联系|接)(?:个|一个)?(?:人工|真人|活人|客服)[\s!！。.]*$/u,
  /有没有(?:真人|活人|人工)|有(?:真人|活人)吗/u,
  /(?:不要|不想|别|不用)(?:跟|和|再)?(?:用|跟)?(?:机器人|自动回复|ai)/u,
  /(?:跟|和|与)(?:你们的?)?(?:人工|真人|活人|客服|工作人员|员工)(?:说话|聊|谈|沟通|对话|对接)/u,
  // English: the verb of contact, then the person.
  // "talk to someone", "speak with an agent"; "transfer/put/pass me to a human" (not "transfer usdt to someone").
  /\b(?:talk|speak|chat)\b(?:\s+\w+){0,3}?\s+(?:to|with)\s+(?:a|an|the|some|one of your|your|any)?\s*(?:real|live|actual|human|physical)?\s*(?:human|person|people|agent|representative|rep|operator|someone|somebody|staff|employee|support agent|support staff|support person|customer service)s?\b/u,
  /\b(?:connect|transfer|put|pass|escalate|switch|forward|route|hand)\s+(?:me|this|my (?:case|chat|ticket|conversation))\b(?:\s+\w+){0,2}?\s+(?:to|with)\s+(?:a|an|the|some|one of your|your|any)?\s*(?:real|live|actual|human)?\s*(?:human|person|people|agent|representative|rep|operator|someone|somebody|staff|employee|support agent|support staff|customer service)s?\b/u,
  /\b(?:real|live|actual)\s+(?:human|person|people|agent|operator|representative|rep)\b/u,
  /\bhuman\s+(?:agent|support|being|please|pls|plz|now|help)\b/u,
  /\b(?:get|give|find|need|want|request|requesting)\s+(?:me\s+)?(?:a|an|to\s+(?:talk|speak|chat)\s+(?:to|with)\s+(?:a|an))?\s*(?:real\s+|live\s+|actual\s+)?(?:human|person|agent|representative|operator)\b/u,
  /^[\s!.?]*(?:a\s+)?(?:human|agent|operator|representative|live agent|real person|customer service)(?:\s+(?:please|pls|plz|now))?[\s!.?]*$/u,
  /\b(?:no|not a|stop the|don'?t want (?:a|the|to talk to (?:a|the))|no more|not talking to a|not another)\s+(?:bot|robot|ai|chatbot|automated (?:answers?|replies|responses?))\b/u,
  /\b(?:can|could|will|would)\s+(?:someone|somebody|a person|an agent|a human|one of your (?:agents|staff))(?:\s+(?:from|on|at)\s+(?:your|the)\s+\w+)?\s+(?:call|contact|look at|review|check|talk to|speak to|chat with)\b/u,
];

// Asking how or when to reach support (support.hours), not asking for a person now.
const CONTACT_CHANNEL_QUESTION =
  /电话|热线|号码|邮箱|几点|上班|下班|工作时间|在线时间|营业|周末|节假日|24小时|\bhours?\b|\bphone\b|\bhotline\b|\bemail\b|\bweekends?\b|\bopen\b|\b24\/7\b|\bwhat time\b|\bwhen (?:are|is|do|does|can)\b|\bat night\b|晚上|半夜|夜间|凌晨/u;
// "Is this telegram account a real agent of yours?" verifies an account: security.phishing.
const VERIFYING_AN_ACCOUNT =
  /官方|冒充|是真的吗|是不是真的|是不是你们|真的是你们|你们的人吗|你们的员工吗|骗|(?:加了?我|私信我|联系我|打电话给我|给我打电话)|\b(?:is|are) (?:this|that|he|she|they|it) (?:a |an )?(?:real|actual|genuine)\b|\b(?:messaged|dm'?d|texted|called|contacted|approached) me\b|\b(?:official|legit|legitimate|fake|scam\w*|impersonat\w*|really (?:from|yours|your)|claim(?:s|ed|ing)? to be)\b/u;
const STRONG_IMPERATIVE = /转人工|接人工|转接人工|转真人|\b(?:connect|transfer|put|pass) me\b/u;
// "不用转人工了", "no need for a human": the person is mentioned to say it is not needed.
const NOT_NEEDED =
  /(?:不用|不需要|不必|无需|没必要|用不着)(?:再)?(?:转|找|接|联系)?(?:人工|真人|客服)|\b(?:no need (?:for|to)|do\s*n[o']?t need|dont need|without)\s+(?:a |an |to (?:talk|speak|chat) (?:to|with) (?:a |an )?)?(?:human|agent|person|real person)/u;

/** An explicit request to be put through to a person, in Chinese or English. */
export function isHumanRequest(text: string): boolean {
  const normalized = normalizeText(text);
  if (!HUMAN_REQUEST_STRONG.some((pattern) => pattern.test(normalized))) return false;
  if (NOT_NEEDED.test(normalized)) return false;
  if (VERIFYING_AN_ACCOUNT.test(normalized) && !STRONG_IMPERATIVE.test(normalized)) return false;
  // "人工客服电话多少" asks for a channel; "转人工" stays a request even next to "电话".
  if (CONTACT_CHANNEL_QUESTION.test(normalized) && !STRONG_IMPERATIVE.test(normalized))
    return false;
  return true;
}

// ── Legal threat ──────────────────────────────────────────────────────────────
const LEGAL_THREAT: readonly RegExp[] = [
  // "被公安冻结" (a police freeze) is context, not a threat; reporting to them is.
  /(?:找|请|联系|咨询|委托|让|我的|我已经?(?:联系|找)了?)律师|律师函|起诉|告上法庭|法院见|上法院|诉讼|仲裁|法律(?:途径|程序|手段|责任|行动)|走法律|报警|报案|找警察|去警局|去派出所|(?:去|找|到|向)(?:公安|监管|证监会|金融局|银保监|消协|消费者协会)|举报(?:你们|到|给)|消协|消费者协会|告你们|去告/u,
  /\b(?:lawyer|lawyers|attorney|solicitor|lawsuit|litigation|sue|suing|legal action|legal steps|legal proceedings|take (?:you|this|it)(?: guys)? to court|see you in court|small claims|ombudsman|police report)\b/u,
  /\b(?:call|calling|contact|contacting|go|going|went|report\w*|complain\w*|file|filing|escalat\w*|tell|telling)\b.{0,30}\b(?:police|cops|regulators?|authorities|sec|fca|cftc|ftc|finra|asic|mas|fbi|ic3|bafin|amf)\b/u,
];

// ── Funds stolen / unauthorised withdrawal ───────────────────────────────────
const FUNDS_STOLEN: readonly RegExp[] = [
  /(?=.*\b(?:balance|funds|coins|crypto|money|assets|btc|usdt|eth)\b.{0,20}\b(?:zero|0|gone|missing|disappeared|vanished|empty)\b)(?=.*(?:\bnot me\b|\bwasn'?t me\b|\bnever (?:withdrew|withdraw|made|sent|did)\b|\bdid\s*n[o']?t (?:withdraw|make|send|do)\b|\bhack))/u,
  // Something is gone and the customer says it was not them: "币不见了 不是我操作的".
  /(?=.*(?:币|钱|资产|资金|余额|usdt|btc|eth).{0,8}(?:不见了|没了|少了|消失|被转|被提|清零|归零|变成0|变成零|变为0|为0|为零|只剩))(?=.*(?:不是我|非本人|我没有?(?:操作|提|转)|被盗|被黑|盗号|黑客|hack))/u,
  /(?:币|钱|资产|资金|余额|usdt|btc|eth|u)\s*(?:都|全|全部|全都)?(?:被盗|被偷|被转走|被提走|被盗走|被人(?:提|转|盗|卖|偷))/u,
  /(?:被盗|被偷|被黑|盗号|黑客|hack).{0,20}(?:币|钱|资产|资金|余额)?.{0,6}(?:没了|不见了|转走|提走|清空|被转|被提|归零|变成(?:零|0))/u,
  /(?:资产|资金|币|钱)(?:被盗|被偷)了?/u,
  /(?:有人|被人|黑客)(?:把|将)?(?:我的?)?.{0,10}(?:提走|转走|盗走|偷走|提光|转光|卖掉|卖了)/u,
  /(?:不是我|非本人|我没有?|我没(?:有)?)(?:本人)?(?:操作|授权|提|转|发起|申请|做)的?.{0,12}(?:提现|提币|转账|转出|交易|提款)/u,
  /(?:提现|提币|转账|转出|交易|提款).{0,12}(?:不是我|非本人|我不知情|我完全不知情|我(?:本人)?(?:没有?|并没有?)(?:操作|授权|做|发起|申请))/u,
  /(?:未经|没有?经过?)(?:我的?)?(?:授权|允许|同意)|未授权的?(?:提现|提币|转账|交易)/u,
  /(?:账户|账号|钱包)(?:里的?)?(?:币|钱|资产)?(?:被)?(?:清空|掏空|提空)/u,
  /\bunauthori[sz]ed\s+(?:withdraw|transfer|transaction|trade|trading|payment|access and)/u,
  /\b(?:funds|coins|crypto|money|assets|balance|savings|tokens|everything|all of it|btc|usdt|eth|usdc|sol|bnb)\b.{0,25}\b(?:stolen|drained|emptied|wiped out|cleaned out)\b/u,
  /\b(?:stole|steal|drained|emptied|wiped out|cleaned out)\b.{0,15}\b(?:my|all|the|everything)\b/u,
  /\b(?:account|wallet)\s+(?:(?:was|got|has been|is)\s+)?(?:drained|emptied|cleaned out|wiped)\b/u,
  /\b(?:someone|somebody|hacker|hackers|scammer|scammers|thief)\b.{0,50}\b(?:withdrew|withdrawn|transferred|took|taken|stole|moved out|drained|emptied|sold)\b/u,
  /\b(?:someone|somebody|hacker|hackers|scammer|scammers|thief)\b.{0,50}\b(?:sent|moved)\s+(?:all|my|everything)\b/u,
  /\b(?:withdrawn?|withdrawal|sent|transferred|moved)\b.{0,40}\baddress(?:es)? i (?:do\s*n[o']?t|dont|did\s*n[o']?t|didnt|never) (?:know|recogni[sz]e|own|use)\b/u,
  /(?:有人|别人|黑客|陌生人).{0,30}(?:币|钱|资产|资金|usdt|btc|eth|余额).{0,10}(?:提到|转到|提走|转走|提光|转光|盗走|偷走|卖掉)/u,
  /(?:陌生|不认识的?|不知道的?)(?:的)?地址.{0,20}(?:不是我|没(?:有)?操作|被盗|盗)|(?:不是我|没(?:有)?操作|被盗).{0,20}(?:陌生|不认识的?)(?:的)?地址/u,
  /\b(?:wallet|account)\s+(?:is|was|got|has been|now)\s+(?:now\s+)?(?:empty|emptied|drained|wiped)\b/u,
  /\b(?:withdrawal|withdrawals|transfer|transfers|transaction|transactions)\b.{0,40}\b(?:that\s+)?i\s+(?:did\s*n[o']?t|didnt|never|did not)\s+(?:make|made|do|did|request|requested|authori[sz]e|authori[sz]ed|initiate|initiated|place|placed|approve|approved)\b/u,
  /\b(?:withdrawal|withdrawals|transfer|transaction)s?\b.{0,30}\b(?:not me|wasn'?t me|not mine|without my (?:permission|consent|authori[sz]ation|knowledge))\b/u,
  /\bwithout my (?:permission|consent|authori[sz]ation|knowledge)\b/u,
  /\bi\s+(?:never|did\s*n[o']?t|didnt)\s+(?:make|made|request|requested|authori[sz]e|authori[sz]ed|initiate|initiated|do|did|approve|approved)\s+(?:this|that|these|those|the|any)\s+(?:withdrawal|transfer|transaction)s?\b/u,
  /\bhacked\b.{0,40}\b(?:gone|lost|missing|withdrew|withdrawn|transferred|taken|empty|zero)\b/u,
  /\b(?:all|my)\s+(?:funds|coins|crypto|money|assets|balance|btc|usdt|eth)\b.{0,20}\b(?:are|is|were|was|got)?\s*(?:gone|missing|disappeared|vanished)\b.{0,40}\b(?:not me|hack|hacked|didn'?t|never|did not)\b/u,
];
// "Worried it might be stolen", "someone tried", "an email asking to confirm" are attacks, not losses.
const NOTHING_LOST_YET =
  /确认邮件|确认短信|确认链接|\bconfirmation (?:email|link|request|code)|(?:担心|怕|会不会|是否会|以防|预防|防止).{0,6}(?:被盗|被黑|被偷|丢失|损失|被转走|被提走)|\b(?:worried|afraid|scared|in case|prevent|avoid)\b.{0,40}\b(?:stolen|hacked|drained|steal|lose|losing)\b|\bnothing (?:is |was |has been )?(?:missing|lost|gone|taken)\b|\b(?:funds|balance|coins|money|assets|everything) (?:are|is|look|looks|seem|seems) (?:still )?(?:fine|ok|okay|safe|there|intact)\b|(?:资产|资金|币|钱|余额)(?:都|还|暂时)?(?:在|没少|没有少|正常)|没有?(?:丢|少|损失)/u;

// ── Secrets already given to an impersonator ─────────────────────────────────
const SECRET_ZH =
  '(?:助记词|私钥|密钥|密码|验证码|谷歌验证码|谷歌验证|动态码|2fa|api|seed|种子词|(?:12|24|十二|二十四)个(?:单)?词|单词)';
const SECRET_EN =
  '(?:seed(?: phrase| words)?|(?:recovery |secret |wallet )?phrase|(?:recovery|seed|backup|secret|wallet) words|mnemonic|(?:12|24) words|private key|keys|password|passcode|pass ?word|2fa(?: code)?|google auth(?:enticator)? code|authenticator code|sms code|verification code|otp|code|api key|api secret|secret key)';
// Given to a person: 给/发给/告诉, gave/sent/told…
const SECRET_TO_PERSON: readonly RegExp[] = [
  new RegExp(
    `(?:把|将)(?:我的?)?.{0,6}${SECRET_ZH}.{0,8}(?:(?:都|也|全)?(?:给|发给|告诉|交给|提供给|报给|念给)了?(?:他|她|对方|他们|那个人|骗子|假客服)?了?|报了|发了|发过去了?|说了)`,
    'u',
  ),
  new RegExp(
    `(?:给了|发给了|告诉了|交给了|提供了|提供给了|报了|透露了|泄露给)(?:他|她|对方|假客服|骗子|那个人|客服|他们|自称.{0,6}的人)?.{0,10}${SECRET_ZH}`,
    'u',
  ),
  new RegExp(
    `\\b(?:gave|given|sent|shared|told|provided|handed|disclosed|revealed|read|read out)\\b.{0,40}(?:\\b${SECRET_EN}\\b|${SECRET_ZH})`,
    'u',
  ),
  // "...asked for my seed phrase. I gave it to them"
  new RegExp(
    `\\b${SECRET_EN}\\b.{0,60}\\b(?:i|and)\\s+(?:already\\s+|just\\s+)?(?:gave|sent|shared|told|provided|handed|read)\\s+(?:it|them|him|her)\\b`,
    'u',
  ),
  // "让我报验证码，我报了", "助记词我已经发给他了"
  new RegExp(
    `${SECRET_ZH}.{0,20}(?:我|已经)(?:已经|就|都|也)?(?:(?:给|发给|告诉|报给)(?:了)?(?:他|她|对方|他们)|(?:报|给|发|说)了)`,
    'u',
  ),
  new RegExp(
    `\\b(?:he|she|they|the (?:fake |so-called )?(?:scammer|guy|agent|admin|impersonator|person|caller|man|woman|support))\\s+(?:has|have|got|now has|took|stole)\\s+my\\s+${SECRET_EN}\\b`,
    'u',
  ),
  new RegExp(
    `(?:骗子|假客服|对方|他|她|的人|那人)(?:拿到|得到|知道|骗走|要走|骗去)了?(?:我的?)?.{0,6}${SECRET_ZH}`,
    'u',
  ),
];
// Typed into a page: 输入/填, typed/entered… (typing a code into our own site is normal).
const SECRET_INTO_PAGE: readonly RegExp[] = [
  new RegExp(
    `(?:把|将)(?:我的?)?.{0,6}${SECRET_ZH}.{0,8}(?:输了|输入了?|输进了?|填了|填进了?|填入了?|填写了)`,
    'u',
  ),
  new RegExp(
    `(?:输了|输入了|输进了|填了|填入了|填写了|提交了)(?:自己的|我的)?.{0,10}${SECRET_ZH}`,
    'u',
  ),
  new RegExp(
    `\\b(?:typed|entered|pasted|submitted|filled in|filled out|put in|inputted|imported)\\b.{0,40}(?:\\b${SECRET_EN}\\b|${SECRET_ZH})`,
    'u',
  ),
  new RegExp(`${SECRET_ZH}.{0,20}(?:我|已经)(?:已经|就|都|也)?(?:输入|填|输|提交)了`, 'u'),
];
// Who got it: someone posing as support or a third party, not us in this chat.
const PERSON_CONTEXT =
  /假|冒充|自称|骗|诈骗|钓鱼|对方|他|她|那个人|陌生人|电报|telegram|微信|私信|客服|官方|管理员|\b(?:fake|pretend|pretending|claiming|claimed|posing|impersonat\w*|scam\w*|phishing|said (?:he|she|they) (?:was|were|is|are)|support|admin|agent|staff|someone|somebody|guy|person|telegram|whatsapp|discord|dm|him|her|them|caller)\b/u;
// Where it went: a fake page, a link, a form.
const PAGE_CONTEXT =
  /网站|网页|网址|链接|页面|表单|钓鱼|假|骗|https?:|www\.|\.(?:com|net|org|io|xyz|top|app)\b|\b(?:site|website|page|form|link|url|phishing|fake|scam\w*|their|app|extension|bot)\b/u;
// "Should I give...?", "I did not give..." are not a disclosure.
const SECRET_NOT_GIVEN =
  /(?:没有?|没|还没|并没有?|不要|不能|不会|不)(?:给|发|告诉|输入|透露|提供)|应该(?:给|发)|要不要|可以(?:给|发)|能(?:给|发)吗|\b(?:did\s*n[o']?t|didnt|never|have\s*n[o']?t|havent|won'?t|will not|refused to|do not|don'?t)\s+(?:give|gave|send|sent|share|shared|tell|told|enter|entered|type|typed|provide|provided|reveal|revealed)\b|\b(?:should|do|can|must|may|shall) i\s+(?:give|send|share|tell|enter|provide)\b/u;

function matchesAny(patterns: readonly RegExp[], text: string): boolean {
  return patterns.some((pattern) => pattern.test(text));
}

export function isLegalThreat(text: string): boolean {
  return matchesAny(LEGAL_THREAT, normalizeText(text));
}

export function isFundsStolen(text: string): boolean {
  const normalized = normalizeText(text);
  return matchesAny(FUNDS_STOLEN, normalized) && !NOTHING_LOST_YET.test(normalized);
}

export function isSecretGivenToImpersonator(text: string): boolean {
  const normalized = normalizeText(text);
  if (SECRET_NOT_GIVEN.test(normalized)) return false;
  return (
    (matchesAny(SECRET_TO_PERSON, normalized) && PERSON_CONTEXT.test(normalized)) ||
    (matchesAny(SECRET_INTO_PAGE, normalized) && PAGE_CONTEXT.test(normalized))
  );
}

/**
 * Whether a person must take over from this message, and why. `intent` is the classifier's answer:
 * a request for a person and a complaint hand off by intent; theft, legal threats and secrets
 * handed to an impersonator hand off whatever the intent. Pasting a secret to us, or an attack
 * where nothing is lost yet, is not a handoff: the assistant warns and gives the safety steps.
 */
export function detectHandoff(text: string, intent: string): HandoffDecision {
  const reasons: HandoffReason[] = [];
  if (intent === 'support.human' || isHumanRequest(text)) reasons.push('human_request');
  if (intent === 'support.complaint') reasons.push('complaint');
  if (isFundsStolen(text)) reasons.push('funds_stolen');
  if (isLegalThreat(text)) reasons.push('legal_threat');
  if (isSecretGivenToImpersonator(text)) reasons.push('secret_given_to_impersonator');
  return { handoff: reasons.length > 0, reasons };
}
