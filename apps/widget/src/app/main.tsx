/**
 * app.js: the chat, injected by the loader. Mounts in a Shadow DOM host so the exchange's styles
 * and ours stay apart, and takes over window.Kefu's queue.
 */
import type { TLocale } from '@kefu/shared';
import { render } from 'preact';
import type { KefuBridge, KefuCall, KefuGlobal, KefuIdentity, KefuInitOptions } from '../bridge.ts';
import { warn } from '../bridge.ts';
import { ChatClient } from './client.ts';
import css from './styles.css?inline';
import { Widget } from './ui.tsx';

function asLocale(value: unknown): TLocale | null {
  if (typeof value !== 'string') return null;
  const tag = value.toLowerCase();
  if (tag.startsWith('zh')) return 'zh-CN';
  if (tag.startsWith('en')) return 'en';
  return null;
}

function browserLocale(): TLocale {
  const tags = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of tags) {
    const locale = asLocale(tag);
    if (locale) return locale;
  }
  return 'en';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asIdentity(value: unknown): KefuIdentity | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.exchangeUid !== 'string' || typeof value.signature !== 'string') {
    warn('identity needs exchangeUid and signature (HMAC-SHA256 hex from your server)');
    return undefined;
  }
  return {
    exchangeUid: value.exchangeUid,
    signature: value.signature,
    ...(typeof value.name === 'string' ? { name: value.name } : {}),
    ...(typeof value.email === 'string' ? { email: value.email } : {}),
  };
}

/** Styles inside the shadow root: a constructed stylesheet (no CSP needed), else a <style nonce>. */
function applyStyles(shadow: ShadowRoot, nonce: string): void {
  try {
    if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet === 'function') {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      shadow.adoptedStyleSheets = [sheet];
      return;
    }
  } catch {
    // Older browser: fall back to a <style> element.
  }
  const style = document.createElement('style');
  if (nonce) style.nonce = nonce;
  style.textContent = css;
  shadow.appendChild(style);
}

let client: ChatClient | null = null;
let host: HTMLElement | null = null;

function mount(bridge: KefuBridge, chat: ChatClient): void {
  const attach = () => {
    if (client !== chat) return;
    host?.remove();
    host = document.createElement('kefu-widget');
    const shadow = host.attachShadow({ mode: 'open' });
    applyStyles(shadow, bridge.nonce);
    const root = document.createElement('div');
    shadow.appendChild(root);
    document.body.appendChild(host);
    render(<Widget client={chat} />, root);
  };
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach, { once: true });
}

function init(bridge: KefuBridge, options: KefuInitOptions): void {
  const siteToken =
    typeof options.siteToken === 'string' && options.siteToken
      ? options.siteToken
      : bridge.siteToken;
  if (!siteToken) {
    warn('Kefu("init", { siteToken }) needs a site token (or data-site-token on the script tag)');
    return;
  }
  const locale = asLocale(options.locale);
  const identity = asIdentity(options.identity);
  if (client && client.siteToken === siteToken) {
    if (locale) client.setLocale(locale);
    if (identity) client.identify(identity);
    return;
  }
  client?.destroy();
  const chosen = locale ?? asLocale(bridge.locale);
  client = new ChatClient({
    base: bridge.base,
    siteToken,
    locale: chosen ?? browserLocale(),
    localeChosen: chosen !== null,
    ...(identity ? { identity } : {}),
  });
  mount(bridge, client);
}

function handle(bridge: KefuBridge, call: KefuCall): void {
  const [command, arg] = call;
  if (command === 'init') {
    init(bridge, isObject(arg) ? (arg as KefuInitOptions) : {});
    return;
  }
  if (!client) init(bridge, {});
  const chat = client;
  if (!chat) return;
  switch (command) {
    case 'open':
      chat.setOpen(true);
      return;
    case 'close':
      chat.setOpen(false);
      return;
    case 'toggle':
      chat.setOpen(!chat.getState().open);
      return;
    case 'setLocale': {
      const locale = asLocale(arg);
      if (locale) chat.setLocale(locale);
      else warn('setLocale takes "zh-CN" or "en"');
      return;
    }
    case 'identify': {
      const identity = asIdentity(arg);
      if (identity) chat.identify(identity);
      return;
    }
    case 'setAttributes':
      if (isObject(arg)) chat.setAttributes(arg);
      return;
    case 'logout':
      chat.logout();
      return;
    default:
      warn('unknown command', command);
  }
}

try {
  const kefu = (window as unknown as { Kefu?: KefuGlobal }).Kefu;
  const bridge = kefu?._kefu;
  if (!bridge) {
    warn('app.js was loaded without widget.js; load /widget.js instead');
  } else {
    bridge.attach((call) => {
      try {
        handle(bridge, call);
      } catch (error) {
        warn('call failed', call[0], error);
      }
    });
    // The script tag's data-site-token is enough: no init call needed.
    if (!client && bridge.siteToken) init(bridge, {});
  }
} catch (error) {
  warn('the chat failed to start', error);
}
