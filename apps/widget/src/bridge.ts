/**
 * What the loader (widget.js) hands to the app (app.js). The loader owns `window.Kefu`; the app
 * attaches a handler, gets the calls queued so far replayed, and every later call directly.
 */
import type { TLocale } from '@kefu/shared';

export type KefuIdentity = {
  exchangeUid: string;
  name?: string;
  email?: string;
  /** HMAC-SHA256 hex of exchangeUid with the inbox's identity secret, computed by the exchange's server. */
  signature: string;
};

export type KefuInitOptions = {
  siteToken?: string;
  locale?: TLocale;
  identity?: KefuIdentity;
};

export type KefuCall = unknown[];
export type KefuHandler = (call: KefuCall) => void;

export type KefuBridge = {
  /** The Kefu server's origin, where the loader came from. */
  base: string;
  /** The nonce of the loader's <script>, for a <style> when constructed stylesheets are missing. */
  nonce: string;
  /** data-site-token of the loader's <script>. */
  siteToken: string;
  /** data-locale of the loader's <script>. */
  locale: string;
  /** Called once by the app: replays the queued calls into the handler. */
  attach: (handler: KefuHandler) => void;
};

export type KefuGlobal = ((...args: unknown[]) => void) & {
  _kefu?: KefuBridge;
  /** A host-page stub may queue calls here before the loader runs. */
  q?: ArrayLike<unknown>[];
};

export function warn(...args: unknown[]): void {
  try {
    console.warn('[Kefu]', ...args);
  } catch {
    // No console: nothing to do.
  }
}
