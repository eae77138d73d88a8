import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newConsoleContext, screenshot } from './helpers/browser.ts';
import {
  dialog,
  hidden,
  navigation,
  signIn,
  signOut,
  submitPassword,
  visible,
} from './helpers/console.ts';
import { type KefuServer, startKefuServer } from './helpers/kefu-server.ts';

// One server and one browser for the file: the journeys below build on each other
// (the admin creates the agent that later signs in).
let server: KefuServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

const NEW_TEAM = 'L2 Wallets 钱包';
const NEW_AGENT = {
  name: 'Wang Fang 王芳',
  email: 'wang.fang@demo-exchange.example',
  password: 'first-day-password-42',
};

async function newPage(locale = 'en-US'): Promise<Page> {
  const context = await newConsoleContext(browser, server.url, locale);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    // An uncaught exception in the console is a bug whatever the test checks.
    throw error;
  });
  return page;
}

/** The code an authenticator app shows `offsetSeconds` from now. */
function totp(secret: string, offsetSeconds = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });
}

/** Reads the setup key shown during enrolment, confirms it with a fresh code, returns both. */
async function enrolTwoFactor(page: Page): Promise<{ secret: string; recoveryCodes: string[] }> {
  const secretBox = await visible(page.getByTestId('totp-secret'));
  // Shown in groups of four for people; the key itself has no spaces.
  const secret = ((await secretBox.textContent()) ?? '').replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await visible(page.getByRole('img', { name: /QR code/ }));
  await page.getByLabel('6-digit code from the app').fill(await totp(secret));
  await page.getByRole('button', { name: 'Turn on 2FA' }).click();
  const list = await visible(page.getByTestId('recovery-codes'));
  const recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
  return { secret, recoveryCodes };
}

beforeAll(async () => {
  server = await startKefuServer();
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('agent console: sign-in, shell, account, administration', () => {
  let admin: Page;

  it('the admin signs in and the shell shows their name', async () => {
    const { email, password } = server.login('admin');
    admin = await newPage();
    await admin.goto('/');
    await admin.waitForURL('**/sign-in');
    await visible(admin.getByRole('heading', { name: 'Sign in to Kefu' }));
    await screenshot(admin, '01-sign-in');

    // A wrong password is answered with the API's message, in the UI language.
    await submitPassword(admin, email, 'not-the-password');
    await visible(admin.getByRole('alert').getByText('The email or password is not correct.'));

    await signIn(admin, email, password);
    await visible(admin.getByTestId('current-agent-name').getByText('Alex Admin 管理员'));
    const nav = navigation(admin);
    for (const label of ['Inbox', 'My account', 'Agents', 'Teams', 'Security', 'Audit log']) {
      await visible(nav.getByRole('link', { name: label }));
    }
    await visible(admin.getByRole('heading', { name: 'Conversations arrive here' }));
    await screenshot(admin, '02-inbox');
  });

  it('switching the language to 中文 changes the navigation, and the choice is kept', async () => {
    await admin.getByRole('radiogroup', { name: 'Language' }).getByText('中文').click();
    const nav = navigation(admin);
    await visible(nav.getByRole('link', { name: '收件箱' }));
    await visible(nav.getByRole('link', { name: '客服人员' }));
    await visible(nav.getByRole('link', { name: '审计日志' }));
    expect(await nav.getByRole('link', { name: 'Inbox' }).count()).toBe(0);
    expect(await admin.locator('html').getAttribute('lang')).toBe('zh-CN');
    await screenshot(admin, '03-inbox-zh-CN');

    await admin.reload();
    await visible(navigation(admin).getByRole('link', { name: '收件箱' }));
    await admin.goto('/admin/agents');
    await visible(admin.getByRole('heading', { name: '客服人员' }));
    await screenshot(admin, '04-agents-zh-CN');
    await admin.goto('/account');
    await visible(admin.getByRole('heading', { name: '当前登录' }));
    await screenshot(admin, '04-account-zh-CN', { fullPage: true });

    await admin.getByRole('radiogroup', { name: '语言' }).getByText('EN').click();
    await visible(navigation(admin).getByRole('link', { name: 'Inbox' }));
  });

  it('the admin creates a team and an agent in that team', async () => {
    await admin.goto('/admin/teams');
    await visible(admin.getByRole('heading', { name: 'Teams' }));
    await admin.getByRole('button', { name: 'New team' }).click();
    const teamDialog = await dialog(admin, 'New team');
    await teamDialog.getByLabel('Name').fill(NEW_TEAM);
    await teamDialog.getByLabel('Description').fill('Deposits and withdrawals 充值与提币');
    await teamDialog.getByLabel('English').check();
    await teamDialog.getByText('L2', { exact: true }).click();
    await screenshot(admin, '05-team-create');
    await teamDialog.getByRole('button', { name: 'Create' }).click();
    await hidden(admin.getByRole('dialog'));
    const teamRow = admin.getByRole('row').filter({ hasText: NEW_TEAM });
    await visible(teamRow);
    await visible(teamRow.getByText('Asia/Shanghai'));
    await visible(teamRow.getByText('L2', { exact: true }));
    await screenshot(admin, '06-teams');

    await navigation(admin).getByRole('link', { name: 'Agents' }).click();
    await visible(admin.getByRole('heading', { name: 'Agents' }));
    await admin.getByRole('button', { name: 'New agent' }).click();
    const agentDialog = await dialog(admin, 'New agent');
    await agentDialog.getByLabel('Name').fill(NEW_AGENT.name);
    await agentDialog.getByLabel('Email').fill(NEW_AGENT.email);
    await agentDialog.getByLabel(/^Initial password/).fill(NEW_AGENT.password);
    await agentDialog.getByLabel('English').check();
    await agentDialog.getByLabel('Skills').fill('withdrawal');
    await agentDialog.getByLabel('Skills').press('Enter');
    await agentDialog.getByRole('combobox', { name: 'Teams' }).click();
    await admin.getByRole('option', { name: `${NEW_TEAM} (L2)` }).click();
    await agentDialog.getByRole('heading', { name: 'New agent' }).click();
    await screenshot(admin, '07-agent-create');
    await agentDialog.getByRole('button', { name: 'Create' }).click();
    await hidden(admin.getByRole('dialog'));
    const agentRow = admin.getByRole('row').filter({ hasText: NEW_AGENT.email });
    await visible(agentRow);
    await visible(agentRow.getByText(NEW_TEAM));
    await visible(agentRow.getByText('Agent', { exact: true }));
    await screenshot(admin, '08-agents');

    // The team page lists the new member.
    await admin.goto('/admin/teams');
    const members = admin.getByRole('row').filter({ hasText: NEW_TEAM });
    await visible(members.getByText(NEW_AGENT.name, { exact: false }));
  });

  it('an agent does not see Administration', async () => {
    const agent = await newPage();
    await signIn(agent, NEW_AGENT.email, NEW_AGENT.password);
    await visible(agent.getByTestId('current-agent-name').getByText(NEW_AGENT.name));
    const nav = navigation(agent);
    await visible(nav.getByRole('link', { name: 'Inbox' }));
    await visible(nav.getByRole('link', { name: 'My account' }));
    expect(await nav.getByText('Administration').count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Agents' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await screenshot(agent, '09-agent-inbox');

    await agent.goto('/admin/agents');
    await visible(agent.getByRole('heading', { name: 'Not available for your role' }));

    // Availability goes through the API and survives a reload.
    const saved = agent.waitForResponse((r) => r.url().endsWith('/api/v1/auth/availability'));
    await agent.getByRole('radiogroup', { name: 'Availability' }).getByText('Online').click();
    expect((await saved).ok()).toBe(true);
    await agent.reload();
    await visible(agent.getByRole('radiogroup', { name: 'Availability' }));
    expect(
      await agent.getByRole('radio', { name: 'Online' }).isChecked(),
      'availability after reload',
    ).toBe(true);
    await signOut(agent);
  });

  it('an agent enrols in 2FA, signs out, and signs back in with password and code', async () => {
    const { email, password } = server.login('agent', 'li.na@demo-exchange.example');
    const agent = await newPage();
    await signIn(agent, email, password);
    await navigation(agent).getByRole('link', { name: 'My account' }).click();
    await visible(agent.getByText('2FA is off'));
    await screenshot(agent, '10-account', { fullPage: true });
    await agent.getByRole('button', { name: 'Set up 2FA' }).click();
    await visible(agent.getByTestId('totp-secret'));
    await screenshot(agent, '11-2fa-setup');

    const { secret, recoveryCodes } = await enrolTwoFactor(agent);
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
    await screenshot(agent, '12-2fa-recovery-codes');
    const done = agent.getByRole('button', { name: 'Done' });
    expect(await done.isDisabled()).toBe(true);
    await agent.getByLabel('I have saved these recovery codes').check();
    await done.click();
    await visible(agent.getByText('2FA is on'));

    await signOut(agent);
    await submitPassword(agent, email, password);
    await visible(agent.getByRole('heading', { name: 'Two-factor authentication' }));
    await visible(agent.getByRole('button', { name: 'Use a recovery code' }));
    await screenshot(agent, '13-sign-in-2fa');
    // The confirmation used this period's code and a code is accepted once: the app's next
    // code (within the allowed drift) is the one a person would type now.
    await agent.getByLabel('6-digit code').fill(await totp(secret, 30));
    await agent.getByRole('button', { name: 'Verify and sign in' }).click();
    await agent.waitForURL('**/inbox');
    await visible(agent.getByTestId('current-agent-name').getByText('李娜 Li Na'));

    // A recovery code works once, through the "use a recovery code" link.
    await signOut(agent);
    await submitPassword(agent, email, password);
    await agent.getByRole('button', { name: 'Use a recovery code' }).click();
    await agent.getByLabel('Recovery code').fill(recoveryCodes[0] ?? '');
    await agent.getByRole('button', { name: 'Verify and sign in' }).click();
    await agent.waitForURL('**/inbox');
  });

  it('a locked account is explained at sign-in, and an admin unlocks it', async () => {
    const { email, password } = server.login('agent', 'sam.taylor@demo-exchange.example');
    const agent = await newPage();
    await agent.goto('/sign-in');
    for (let attempt = 0; attempt < 5; attempt++) {
      await submitPassword(agent, email, `wrong-password-${attempt}`);
      await visible(agent.getByRole('alert'));
      await agent.waitForTimeout(50);
    }
    await visible(agent.getByRole('alert').getByText('Account locked'));
    await submitPassword(agent, email, password);
    await visible(agent.getByRole('alert').getByText(/locked until/));
    await screenshot(agent, '14-sign-in-locked');

    await admin.goto('/admin/agents');
    const row = admin.getByRole('row').filter({ hasText: email });
    await visible(row.getByTestId('locked-badge'));
    await row.getByRole('button', { name: 'Actions for Sam Taylor' }).click();
    await admin.getByRole('menuitem', { name: 'Unlock' }).click();
    await hidden(row.getByTestId('locked-badge'));

    await signIn(agent, email, password);
  });

  it('an admin edits an agent and resets their password to a temporary one', async () => {
    const email = 'chen.wei@demo-exchange.example';
    await admin.goto('/admin/agents');
    const row = admin.getByRole('row').filter({ hasText: email });
    await row.getByRole('button', { name: 'Edit: 陈伟 Chen Wei (L2)' }).click();
    const edit = await dialog(admin, 'Edit 陈伟 Chen Wei (L2)');
    await edit.getByLabel('Capacity').fill('7');
    await screenshot(admin, '14-agent-edit');
    await edit.getByRole('button', { name: 'Save' }).click();
    await hidden(admin.getByRole('dialog'));
    await visible(row.getByRole('cell', { name: '7', exact: true }));

    await row.getByRole('button', { name: 'Actions for 陈伟 Chen Wei (L2)' }).click();
    await admin.getByRole('menuitem', { name: 'Reset password' }).click();
    const reset = await dialog(admin, 'Reset the password of 陈伟 Chen Wei (L2)');
    await reset.getByRole('button', { name: 'Reset password' }).click();
    const shown = await visible(reset.getByTestId('temporary-password'));
    const temporary = ((await shown.textContent()) ?? '').trim();
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    await screenshot(admin, '14-agent-temporary-password');
    await reset.getByRole('button', { name: 'Done' }).click();
    await hidden(admin.getByRole('dialog'));

    const agent = await newPage();
    await submitPassword(agent, email, 'kefu-demo-agent');
    await visible(agent.getByText('The email or password is not correct.'));
    await signIn(agent, email, temporary);
  });

  it('a supervisor sees Administration without Security, and cannot change agents', async () => {
    const { email, password } = server.login('supervisor');
    const supervisor = await newPage();
    await signIn(supervisor, email, password);
    const nav = navigation(supervisor);
    for (const label of ['Agents', 'Teams', 'Audit log']) {
      await visible(nav.getByRole('link', { name: label }));
    }
    expect(await nav.getByRole('link', { name: 'Security' }).count()).toBe(0);
    await nav.getByRole('link', { name: 'Agents' }).click();
    await visible(
      supervisor.getByText('Only an admin can create or change agents.', { exact: false }),
    );
    expect(await supervisor.getByRole('button', { name: 'New agent' }).count()).toBe(0);
    await screenshot(supervisor, '15-supervisor-agents');
    await supervisor.goto('/admin/security');
    await visible(supervisor.getByRole('heading', { name: 'Not available for your role' }));
  });

  it('an agent signed out everywhere by an admin is sent back to sign-in', async () => {
    const { email, password } = server.login('agent', 'sam.taylor@demo-exchange.example');
    const agent = await newPage();
    await signIn(agent, email, password);

    await admin.goto('/admin/agents');
    const row = admin.getByRole('row').filter({ hasText: email });
    await row.getByRole('button', { name: 'Actions for Sam Taylor' }).click();
    await admin.getByRole('menuitem', { name: 'Sign out everywhere' }).click();
    const confirm = await dialog(admin, 'Sign Sam Taylor out everywhere');
    await confirm.getByRole('button', { name: 'Sign out everywhere' }).click();
    await visible(admin.getByText(/^Sessions ended: \d+\.$/));

    // The agent's open console ends by itself: the server closes its live connection.
    await agent.waitForURL('**/sign-in');
    await visible(agent.getByText('Your session has ended. Sign in again to continue.'));
  });

  it('the audit log filters by action and loads older entries', async () => {
    // Sixty availability changes: more than one page of the log.
    for (let i = 0; i < 60; i++) {
      const response = await admin.request.put('/api/v1/auth/availability', {
        data: { availability: i % 2 === 0 ? 'away' : 'online' },
      });
      expect(response.ok()).toBe(true);
    }
    await admin.goto('/admin/audit');
    await visible(admin.getByRole('heading', { name: 'Audit log' }));
    await visible(admin.getByRole('table').getByText('Availability changed', { exact: true }));
    const action = admin.getByRole('combobox', { name: 'Action' });
    await action.fill('agent.availability_changed');
    await action.press('Escape');
    await admin.getByRole('button', { name: 'Apply' }).click();
    await visible(admin.getByText('50 entries shown'));
    await screenshot(admin, '16-audit');
    expect(await admin.locator('tbody tr').count()).toBe(50);
    await admin.getByRole('button', { name: 'Load older entries' }).click();
    await visible(admin.getByText('No older entries.'));
    const shown = (await admin.getByText(/entries shown$/).textContent()) ?? '';
    expect(Number(shown.split(' ')[0])).toBeGreaterThanOrEqual(60);
    const rows = admin.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(60);
    expect(await rows.filter({ hasNotText: 'agent.availability_changed' }).count()).toBe(0);

    // Filters live in the address, so a filtered view can be shared and survives a reload.
    expect(admin.url()).toContain('action=agent.availability_changed');
    await admin.goto('/admin/audit?action=agent.created');
    await visible(admin.getByRole('table').getByText(NEW_AGENT.name));
  });

  it('dark mode is a toggle and is remembered', async () => {
    await admin.goto('/admin/agents');
    await admin.getByRole('button', { name: 'Switch to dark mode' }).click();
    expect(await admin.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    await admin.reload();
    await visible(admin.getByRole('heading', { name: 'Agents' }));
    expect(await admin.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    await screenshot(admin, '17-agents-dark');
    await admin.getByRole('button', { name: 'Switch to light mode' }).click();
    expect(await admin.locator('html').getAttribute('data-mantine-color-scheme')).toBe('light');
  });

  it('requiring 2FA sends agents without it to enrolment first', async () => {
    await admin.goto('/admin/security');
    await visible(admin.getByRole('heading', { name: 'Security' }));
    await screenshot(admin, '18-security');
    await admin.getByLabel('Require two-factor authentication for every agent').click();
    // The admin has no 2FA yet: the console now asks them to set it up before anything else.
    await admin.waitForURL('**/enrol-2fa');
    await visible(
      admin.getByText('Your workspace requires two-factor authentication.', { exact: false }),
    );
    await screenshot(admin, '19-enrol-2fa-required');
    await enrolTwoFactor(admin);
    await admin.getByLabel('I have saved these recovery codes').check();
    await admin.getByRole('button', { name: 'Done' }).click();
    await admin.waitForURL('**/inbox');

    // The agent created earlier has no 2FA: after the password, only enrolment is open.
    const agent = await newPage();
    await submitPassword(agent, NEW_AGENT.email, NEW_AGENT.password);
    await agent.waitForURL('**/enrol-2fa');
    await agent.goto('/admin/agents');
    await agent.waitForURL('**/enrol-2fa');

    await admin.goto('/admin/security');
    await admin.getByLabel('Require two-factor authentication for every agent').click();
    await visible(admin.getByText('Security settings saved.'));
    await agent.reload();
    await agent.waitForURL('**/inbox');
  });
});
