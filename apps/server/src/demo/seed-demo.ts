import type { TCreateAgent, TCreateTeam, TSlaPolicyInput } from '@kefu/shared';
import { eq } from 'drizzle-orm';
import { countAgents, createAgent } from '../auth/agents.ts';
import { seedDemoCannedResponses } from '../canned/demo.ts';
import { type Actor, type Deps, systemActor } from '../deps.ts';
import { createInbox } from '../inboxes/inboxes.ts';
import { seedDemoOfficialChannels } from '../safety/official-channels.ts';
import { settings } from '../settings/schema.ts';
import { createSlaPolicy } from '../sla/policies.ts';
import { createTeam } from '../teams/teams.ts';
import { seedDemoHistory } from './seed-history.ts';
import { seedDemoKnowledge } from './seed-knowledge.ts';

export type DemoLogin = { role: string; email: string; password: string; name: string };

/** The fictitious "Demo Exchange" support team. Passwords are public: demo data only. */
export const DEMO_LOGINS: DemoLogin[] = [
  {
    role: 'admin',
    email: 'admin@demo-exchange.example',
    password: 'kefu-demo-admin',
    name: 'Alex Admin 管理员',
  },
  {
    role: 'supervisor',
    email: 'lin.supervisor@demo-exchange.example',
    password: 'kefu-demo-supervisor',
    name: '林主管 Lin',
  },
  {
    role: 'agent',
    email: 'li.na@demo-exchange.example',
    password: 'kefu-demo-agent',
    name: '李娜 Li Na',
  },
  {
    role: 'agent',
    email: 'sam.taylor@demo-exchange.example',
    password: 'kefu-demo-agent',
    name: 'Sam Taylor',
  },
  {
    role: 'agent',
    email: 'chen.wei@demo-exchange.example',
    password: 'kefu-demo-agent',
    name: '陈伟 Chen Wei (L2)',
  },
];

const DEMO_TEAMS: (TCreateTeam & { key: string })[] = [
  {
    key: 'l1zh',
    name: 'L1 中文',
    description: '一线中文客服',
    languages: ['zh-CN'],
    tier: 'L1',
    timezone: 'Asia/Shanghai',
  },
  {
    key: 'l1en',
    name: 'L1 English',
    description: 'First-line support in English',
    languages: ['en'],
    tier: 'L1',
    timezone: 'UTC',
  },
  {
    key: 'l2',
    name: 'L2 Technical',
    description: 'Second-tier: deposits, withdrawals, account security 二线技术支持',
    languages: ['zh-CN', 'en'],
    tier: 'L2',
    timezone: 'Asia/Singapore',
  },
];

const DEMO_MARKER = 'demo';

const DEMO_SLA_POLICIES: TSlaPolicyInput[] = [
  {
    name: 'VIP customers',
    priority: null,
    vipMin: 2,
    channel: null,
    businessHoursOnly: false,
    firstResponseMinutes: 5,
    nextResponseMinutes: 15,
    resolutionMinutes: 8 * 60,
    warnBeforeMinutes: 2,
    breachActions: { raisePriority: true, reassignToTeamId: null, notifySupervisors: true },
    position: 0,
    active: true,
  },
  {
    name: 'Standard',
    priority: null,
    vipMin: null,
    channel: null,
    businessHoursOnly: false,
    firstResponseMinutes: 30,
    nextResponseMinutes: 60,
    resolutionMinutes: 24 * 60,
    warnBeforeMinutes: 10,
    breachActions: { raisePriority: true, reassignToTeamId: null, notifySupervisors: true },
    position: 10,
    active: true,
  },
];
/** The demo website's widget token (public, like any site token). */
export const DEMO_SITE_TOKEN = 'demo-exchange-site';

/** Seeds the demo exchange when the database has no agent yet. Returns whether it seeded. */
export async function seedDemo(deps: Deps): Promise<boolean> {
  if ((await countAgents(deps.db)) > 0) return false;
  const actor: Actor = systemActor;
  const teams: Record<string, string> = {};
  for (const { key, ...team } of DEMO_TEAMS) teams[key] = (await createTeam(deps, actor, team)).id;
  const team = (key: string): string => {
    const id = teams[key];
    if (!id) throw new Error(`demo team ${key} missing`);
    return id;
  };
  const plans: TCreateAgent[] = [
    {
      ...base(0),
      role: 'admin',
      languages: ['zh-CN', 'en'],
      skills: ['admin'],
      capacity: 5,
      teamIds: [],
    },
    {
      ...base(1),
      role: 'supervisor',
      languages: ['zh-CN', 'en'],
      skills: [],
      capacity: 8,
      teamIds: [team('l1zh'), team('l1en')],
    },
    {
      ...base(2),
      role: 'agent',
      languages: ['zh-CN'],
      skills: ['kyc', 'deposit'],
      capacity: 6,
      teamIds: [team('l1zh')],
    },
    {
      ...base(3),
      role: 'agent',
      languages: ['en'],
      skills: ['kyc', 'fiat'],
      capacity: 6,
      teamIds: [team('l1en')],
    },
    {
      ...base(4),
      role: 'agent',
      languages: ['zh-CN', 'en'],
      skills: ['blockchain', 'security'],
      capacity: 4,
      teamIds: [team('l2')],
    },
  ];
  const agentIds: string[] = [];
  for (const plan of plans) agentIds.push((await createAgent(deps, actor, plan)).id);
  const widget = await createInbox(deps, actor, {
    channel: 'widget',
    name: 'Demo Exchange website',
    publicToken: DEMO_SITE_TOKEN,
    settings: { allowedOrigins: [] },
  });
  await deps.db
    .insert(settings)
    .values({ key: DEMO_MARKER, value: { seededAt: deps.clock.now().toISOString() } });
  await seedDemoCannedResponses(deps);
  await seedDemoKnowledge(deps);
  await seedDemoOfficialChannels(deps);
  // Demo SLA targets: VIPs and urgent tickets first, everyone else within the hour.
  const policyIds: string[] = [];
  for (const policy of DEMO_SLA_POLICIES)
    policyIds.push((await createSlaPolicy(deps, actor, policy)).id);
  // A month of history, so the reports and the quality queue have something to show.
  await seedDemoHistory(deps, {
    widgetInboxId: widget.id,
    teams: { l1zh: team('l1zh'), l1en: team('l1en'), l2: team('l2') },
    agents: {
      supervisor: agentIds[1] ?? '',
      zh: agentIds[2] ?? '',
      en: agentIds[3] ?? '',
      l2: agentIds[4] ?? '',
    },
    policies: { vip: policyIds[0] ?? '', standard: policyIds[1] ?? '' },
  });
  return true;
}

function base(i: number) {
  const login = DEMO_LOGINS[i];
  if (!login) throw new Error(`no demo login ${i}`);
  return { email: login.email, name: login.name, password: login.password };
}

export async function isDemoSeeded(deps: Pick<Deps, 'db'>): Promise<boolean> {
  const [row] = await deps.db.select().from(settings).where(eq(settings.key, DEMO_MARKER));
  return Boolean(row);
}
