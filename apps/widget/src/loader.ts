/**
 * widget.js: the few lines an exchange loads on every page.
 *
 *   <script src="https://support.example.com/widget.js" data-site-token="…" async></script>
 *   Kefu('init', { siteToken, locale, identity });  Kefu('open');  Kefu('setLocale', 'zh-CN');
 *
 * Defines window.Kefu, queues calls until the app (app.js, same origin as this script) has
 * loaded, injects the app when the page is idle (or at once on 'open'), and never throws into
 * the host page.
 */
import type { KefuBridge, KefuCall, KefuGlobal, KefuHandler } from './bridge.ts';
import { warn } from './bridge.ts';

function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  // currentScript is null when a bundler or a tag manager evaluated us: find the tag instead.
  return (
    document.querySelector<HTMLScriptElement>('script[data-site-token][src*="widget"]') ??
    document.querySelector<HTMLScriptElement>('script[src$="/widget.js"]')
  );
}

function boot(): void {
  const w = window as unknown as { Kefu?: KefuGlobal };
  const existing = w.Kefu;
  if (existing?._kefu) return; // Loaded twice: the first one stays in charge.
  const script = ownScript();
  if (!script?.src) {
    warn('cannot find the widget.js <script> tag; the chat is not loaded');
    return;
  }
  const base = new URL(script.src, location.href).origin;
  const nonce = script.nonce || script.getAttribute('nonce') || '';
  const queue: KefuCall[] = [];
  // A stub defined by the host page before this script ran (`Kefu.q`).
  if (existing && Array.isArray(existing.q)) {
    for (const args of existing.q) queue.push(Array.from(args));
  }
  let handler: KefuHandler | null = null;
  let requested = false;

  const load = () => {
    if (requested) return;
    requested = true;
    try {
      const app = document.createElement('script');
      app.src = `${base}/widget/app.js`;
      app.async = true;
      if (nonce) app.nonce = nonce;
      app.addEventListener('error', () => warn(`could not load ${app.src}`));
      (document.head ?? document.documentElement).appendChild(app);
    } catch (error) {
      warn('could not load the chat', error);
    }
  };

  const kefu: KefuGlobal = (...args: unknown[]) => {
    try {
      if (handler) {
        handler(args);
        return;
      }
      queue.push(args);
      if (args[0] === 'open') load();
    } catch (error) {
      warn('call failed', args[0], error);
    }
  };
  const bridge: KefuBridge = {
    base,
    nonce,
    siteToken: script.dataset.siteToken ?? '',
    locale: script.dataset.locale ?? '',
    attach: (h) => {
      handler = h;
      for (const call of queue.splice(0)) {
        try {
          h(call);
        } catch (error) {
          warn('call failed', call[0], error);
        }
      }
    },
  };
  kefu._kefu = bridge;
  w.Kefu = kefu;
  // data-open="true": the chat opens at once (Kefu's preview page).
  if (script.dataset.open === 'true') kefu('open');

  const whenIdle = () => {
    const idle = (
      window as unknown as {
        requestIdleCallback?: (cb: () => void, options: { timeout: number }) => number;
      }
    ).requestIdleCallback;
    if (idle) idle(load, { timeout: 3000 });
    else setTimeout(load, 1000);
  };
  if (document.readyState === 'complete') whenIdle();
  else window.addEventListener('load', whenIdle, { once: true });
}

try {
  boot();
} catch (error) {
  warn('the loader failed', error);
}
