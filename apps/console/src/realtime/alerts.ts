import { useSyncExternalStore } from 'react';
import { writeStorage } from '../lib/preferences.ts';

/** What the server tells one agent (AgentServerToClient['notification']). */
export type AgentAlertKind = 'assignment' | 'mention' | 'sla_warning' | 'sla_breach' | 'review';

export type AgentAlert = {
  id: number;
  kind: AgentAlertKind;
  conversationId: string;
  number: number;
  at: string;
  read: boolean;
};

const MAX_ALERTS = 50;
let alerts: AgentAlert[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit() {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The bell's list: newest first, kept for this tab's session. */
export const alertStore = {
  add(alert: Omit<AgentAlert, 'id' | 'at' | 'read'>) {
    alerts = [
      { ...alert, id: nextId++, at: new Date().toISOString(), read: false },
      ...alerts,
    ].slice(0, MAX_ALERTS);
    emit();
  },
  markRead(id?: number) {
    alerts = alerts.map((a) => (id === undefined || a.id === id ? { ...a, read: true } : a));
    emit();
  },
  /** Opening a conversation reads its alerts. */
  markConversationRead(conversationId: string) {
    if (!alerts.some((a) => a.conversationId === conversationId && !a.read)) return;
    alerts = alerts.map((a) => (a.conversationId === conversationId ? { ...a, read: true } : a));
    emit();
  },
  /** On sign-out: the next agent at this desk starts with an empty bell. */
  clear() {
    alerts = [];
    emit();
  },
};

export function useAlerts(): AgentAlert[] {
  return useSyncExternalStore(subscribe, () => alerts);
}

// Sound: a short two-note chime made with Web Audio (no file to load). Browsers allow it once
// the agent has interacted with the page, which an agent at work always has.
const SOUND_KEY = 'kefu.alert-sound';
let soundOn = readSound();
const soundListeners = new Set<() => void>();

function readSound(): boolean {
  try {
    return window.localStorage.getItem(SOUND_KEY) !== 'off';
  } catch {
    return true;
  }
}

export function useAlertSound(): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore(
    (listener) => {
      soundListeners.add(listener);
      return () => soundListeners.delete(listener);
    },
    () => soundOn,
  );
  return [
    on,
    (value: boolean) => {
      soundOn = value;
      writeStorage(SOUND_KEY, value ? 'on' : 'off');
      for (const listener of soundListeners) listener();
    },
  ];
}

let audio: AudioContext | null = null;

export function playChime(): void {
  if (!soundOn) return;
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
    const start = audio.currentTime;
    [880, 1318.5].forEach((frequency, i) => {
      if (!audio) return;
      const at = start + i * 0.13;
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.12, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.28);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.3);
    });
  } catch {
    // No audio device or no permission to play: the bell and the desktop notice remain.
  }
}

// Desktop notifications (Notification API): permission is asked once, from a button.
export type DesktopPermission = NotificationPermission | 'unsupported';

const permissionListeners = new Set<() => void>();

function currentPermission(): DesktopPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export function useDesktopPermission(): [DesktopPermission, () => Promise<void>] {
  const permission = useSyncExternalStore((listener) => {
    permissionListeners.add(listener);
    return () => permissionListeners.delete(listener);
  }, currentPermission);
  return [
    permission,
    async () => {
      if (typeof Notification === 'undefined') return;
      try {
        await Notification.requestPermission();
      } finally {
        for (const listener of permissionListeners) listener();
      }
    },
  ];
}

export function showDesktopNotification(title: string, body: string, onClick: () => void): void {
  if (currentPermission() !== 'granted') return;
  try {
    const notice = new Notification(title, { body, tag: title, icon: '/favicon.svg' });
    notice.onclick = () => {
      window.focus();
      onClick();
      notice.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker; the bell still has it.
  }
}
