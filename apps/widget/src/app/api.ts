import type {
  TCsatResult,
  TCustomerConversation,
  TCustomerWidgetConfig,
  TLocale,
  TPublicAnnouncement,
} from '@kefu/shared';
import type { KefuIdentity } from '../bridge.ts';
import type { AttachmentRef } from './storage.ts';

export type WidgetSession = {
  contactToken: string;
  contactId: string;
  verified: boolean;
  expiresAt: string;
};

export type ArticleHit = {
  id: string;
  slug: string;
  locale: TLocale;
  title: string;
  summary: string;
  fallback: boolean;
};

/** An API answer that is not 2xx, with the server's message (already in the customer's language). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

type ErrorBody = { error?: { code?: unknown; message?: unknown } } | null;

function toApiError(status: number, body: ErrorBody, fallback: string): ApiError {
  const code = typeof body?.error?.code === 'string' ? body.error.code : `http.${status}`;
  const message = typeof body?.error?.message === 'string' ? body.error.message : fallback;
  return new ApiError(status, code, message);
}

export type Api = ReturnType<typeof createApi>;

/** The Kefu HTTP API as the widget uses it (cross-origin, no cookies, Bearer customer token). */
export function createApi(options: {
  base: string;
  token: () => string | null;
  locale: () => TLocale;
  networkError: () => string;
}) {
  const { base } = options;

  async function request<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    init: { auth?: boolean; signal?: AbortSignal } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { 'accept-language': options.locale() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const token = options.token();
    if (init.auth !== false && token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        mode: 'cors',
        credentials: 'omit',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(init.signal ? { signal: init.signal } : {}),
      });
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error;
      throw new ApiError(0, 'network', options.networkError());
    }
    const data = (await response.json().catch(() => null)) as unknown;
    if (!response.ok) throw toApiError(response.status, data as ErrorBody, options.networkError());
    return data as T;
  }

  return {
    startSession: (input: {
      siteToken: string;
      contactToken?: string;
      identity?: KefuIdentity;
      locale?: TLocale;
    }) => request<WidgetSession>('POST', '/api/v1/widget/session', input, { auth: false }),

    announcements: () =>
      request<{ announcements: TPublicAnnouncement[] }>(
        'GET',
        '/api/v1/widget/announcements',
        undefined,
        { auth: false },
      ),

    emailTranscript: (conversationId: string, body: { email?: string; locale: TLocale }) =>
      request<{ ok: true; email: string }>(
        'POST',
        `/api/v1/customer/conversations/${conversationId}/transcript`,
        body,
      ),

    widgetConfig: () => request<TCustomerWidgetConfig>('GET', '/api/v1/customer/widget-config'),

    leaveEmail: (email: string) =>
      request<{ ok: true; email: string }>('POST', '/api/v1/customer/email', { email }),

    preChat: (body: { name?: string; email?: string; topic?: string }) =>
      request<{ ok: true; topic: string | null }>('POST', '/api/v1/customer/pre-chat', body),

    conversations: () =>
      request<{ conversations: TCustomerConversation[] }>('GET', '/api/v1/customer/conversations'),

    searchArticles: (q: string, locale: TLocale, signal: AbortSignal) =>
      request<{ hits: ArticleHit[] }>(
        'GET',
        `/api/v1/kb/search?${new URLSearchParams({ q, locale, limit: '3' })}`,
        undefined,
        { auth: false, signal },
      ),

    submitCsat: (conversationId: string, body: { score: number; comment?: string }) =>
      request<TCsatResult>('POST', `/api/v1/customer/conversations/${conversationId}/csat`, body),

    articleUrl: (hit: Pick<ArticleHit, 'locale' | 'slug'>) =>
      `${base}/help/${hit.locale}/articles/${encodeURIComponent(hit.slug)}`,

    /** Uploads one file with progress (XHR: fetch cannot report upload progress). */
    upload(file: File, onProgress: (fraction: number) => void) {
      const xhr = new XMLHttpRequest();
      const done = new Promise<AttachmentRef>((resolve, reject) => {
        xhr.open('POST', `${base}/api/v1/customer/attachments`);
        const token = options.token();
        if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
        xhr.setRequestHeader('accept-language', options.locale());
        xhr.upload.addEventListener('progress', (event) => {
          if (event.lengthComputable) onProgress(event.loaded / event.total);
        });
        xhr.addEventListener('load', () => {
          let body: unknown = null;
          try {
            body = JSON.parse(xhr.responseText);
          } catch {
            // Not JSON: the status decides.
          }
          if (xhr.status === 201 || xhr.status === 200) resolve(body as AttachmentRef);
          else reject(toApiError(xhr.status, body as ErrorBody, options.networkError()));
        });
        xhr.addEventListener('error', () =>
          reject(new ApiError(0, 'network', options.networkError())),
        );
        xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted', 'aborted')));
        const form = new FormData();
        form.append('file', file, file.name);
        xhr.send(form);
      });
      return { done, abort: () => xhr.abort() };
    },

    /** An attachment's bytes (it needs the customer token, so no plain link). */
    async attachment(id: string): Promise<Blob> {
      const token = options.token();
      const response = await fetch(`${base}/api/v1/attachments/${id}`, {
        mode: 'cors',
        credentials: 'omit',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as ErrorBody;
        throw toApiError(response.status, body, options.networkError());
      }
      return response.blob();
    },
  };
}
