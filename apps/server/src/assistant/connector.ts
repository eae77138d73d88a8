import { createHmac } from 'node:crypto';

/** The bridge to the exchange's own systems. Kefu reads; only `requestUnlock` changes anything. */
export type TransferStatus =
  | 'pending'
  | 'confirming'
  | 'credited'
  | 'under_review'
  | 'processing'
  | 'completed'
  | 'failed'
  | 'rejected';
export type Transfer = {
  kind: 'deposit' | 'withdrawal';
  uid: string;
  coin: string;
  network: string;
  amount: string;
  txid: string | null;
  address: string;
  memo?: string | null;
  status: TransferStatus;
  confirmations?: number;
  requiredConfirmations?: number;
  reason?: string | null;
  createdAt: string;
  updatedAt: string;
};
export type CustomerProfile = {
  uid: string;
  name: string;
  vipLevel: number;
  kycLevel: number;
  locked: boolean;
  lockReason?: string | null;
};

export type ExchangeConnector = {
  getProfile(uid: string): Promise<CustomerProfile | null>;
  listDeposits(uid: string): Promise<Transfer[]>;
  listWithdrawals(uid: string): Promise<Transfer[]>;
  findByTxId(txid: string): Promise<Transfer | null>;
  requestUnlock(uid: string): Promise<{ ok: boolean; message: string }>;
};

const hoursAgo = (now: Date, h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

/**
 * Demo Exchange's records, for embedded mode and demos: a few customers with deposits and
 * withdrawals in every state the assistant explains.
 */
export function createDemoConnector(now: () => Date = () => new Date()): ExchangeConnector {
  const build = (): { profiles: CustomerProfile[]; transfers: Transfer[] } => {
    const n = now();
    return {
      profiles: [
        { uid: '10086', name: 'Wang Fang 王芳', vipLevel: 0, kycLevel: 2, locked: false },
        {
          uid: '20230',
          name: 'Alex Morgan',
          vipLevel: 3,
          kycLevel: 2,
          locked: true,
          lockReason: 'too_many_failed_logins',
        },
        { uid: '30777', name: 'Chen Jie 陈杰', vipLevel: 1, kycLevel: 1, locked: false },
      ],
      transfers: [
        {
          kind: 'deposit',
          uid: '10086',
          coin: 'USDT',
          network: 'TRON (TRC20)',
          amount: '500',
          status: 'confirming',
          confirmations: 8,
          requiredConfirmations: 20,
          txid: 'a3f1c9e2b7d4058e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70',
          address: 'TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE',
          createdAt: hoursAgo(n, 0.2),
          updatedAt: hoursAgo(n, 0.05),
        },
        {
          kind: 'deposit',
          uid: '10086',
          coin: 'ETH',
          network: 'Ethereum (ERC20)',
          amount: '1.2',
          status: 'credited',
          confirmations: 12,
          requiredConfirmations: 12,
          txid: '0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060',
          address: '0x8ba1f109551bD432803012645Ac136ddd64DBA72',
          createdAt: hoursAgo(n, 30),
          updatedAt: hoursAgo(n, 29.7),
        },
        {
          kind: 'deposit',
          uid: '30777',
          coin: 'XRP',
          network: 'XRP Ledger',
          amount: '800',
          status: 'pending',
          memo: null,
          reason: 'missing_memo',
          txid: 'C2B1F0E9D8C7B6A5948372615F4E3D2C1B0A99887766554433221100FFEEDDCC',
          address: 'rG1QQv2nh2gr7RCZ1P8YYcBUKCCN633jCn',
          createdAt: hoursAgo(n, 5),
          updatedAt: hoursAgo(n, 5),
        },
        {
          kind: 'withdrawal',
          uid: '10086',
          coin: 'BTC',
          network: 'Bitcoin',
          amount: '0.05',
          status: 'under_review',
          txid: null,
          address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
          createdAt: hoursAgo(n, 1.5),
          updatedAt: hoursAgo(n, 1.5),
        },
        {
          kind: 'withdrawal',
          uid: '20230',
          coin: 'USDT',
          network: 'Ethereum (ERC20)',
          amount: '2000',
          status: 'failed',
          reason: 'address_not_whitelisted',
          txid: null,
          address: '0xe1b4964020e6f283e64f96b08d13e0e0a7a65e42',
          createdAt: hoursAgo(n, 3),
          updatedAt: hoursAgo(n, 2.9),
        },
        {
          kind: 'withdrawal',
          uid: '30777',
          coin: 'SOL',
          network: 'Solana',
          amount: '12',
          status: 'completed',
          txid: '4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi6ABKxPJYjhWUi2uYDTN8Gd2WFCsJXGoBLmmPxhQfZzp1L',
          address: '7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV',
          createdAt: hoursAgo(n, 20),
          updatedAt: hoursAgo(n, 19.8),
        },
      ],
    };
  };
  return {
    getProfile: async (uid) => build().profiles.find((p) => p.uid === uid) ?? null,
    listDeposits: async (uid) =>
      build().transfers.filter((t) => t.kind === 'deposit' && t.uid === uid),
    listWithdrawals: async (uid) =>
      build().transfers.filter((t) => t.kind === 'withdrawal' && t.uid === uid),
    findByTxId: async (txid) =>
      build().transfers.find((t) => t.txid?.toLowerCase() === txid.toLowerCase()) ?? null,
    requestUnlock: async (uid) => {
      const profile = build().profiles.find((p) => p.uid === uid);
      if (!profile) return { ok: false, message: 'unknown_customer' };
      return { ok: profile.locked, message: profile.locked ? 'unlock_email_sent' : 'not_locked' };
    },
  };
}

/**
 * The exchange's own API: `GET {base}/customers/{uid}`, `…/deposits`, `…/withdrawals`,
 * `GET {base}/transactions/{txid}`, `POST {base}/customers/{uid}/unlock`, each signed with
 * `X-Kefu-Timestamp` and `X-Kefu-Signature: sha256=HMAC(secret, "<ts>.<METHOD>.<path>.<body>")`.
 */
export function createHttpConnector(options: {
  baseUrl: string;
  secret: string;
  timeoutMs?: number;
  now?: () => Date;
}): ExchangeConnector {
  const base = options.baseUrl.replace(/\/+$/, '');
  async function call<T>(method: 'GET' | 'POST', path: string, body = ''): Promise<T | null> {
    const ts = String(Math.floor((options.now?.() ?? new Date()).getTime() / 1000));
    const signature = createHmac('sha256', options.secret)
      .update(`${ts}.${method}.${path}.${body}`)
      .digest('hex');
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        'x-kefu-timestamp': ts,
        'x-kefu-signature': `sha256=${signature}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body } : {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    if (response.status === 404) return null;
    if (!response.ok)
      throw new Error(`exchange connector ${method} ${path}: HTTP ${response.status}`);
    return (await response.json()) as T;
  }
  const uidPath = (uid: string) => `/customers/${encodeURIComponent(uid)}`;
  return {
    getProfile: (uid) => call<CustomerProfile>('GET', uidPath(uid)),
    listDeposits: async (uid) => (await call<Transfer[]>('GET', `${uidPath(uid)}/deposits`)) ?? [],
    listWithdrawals: async (uid) =>
      (await call<Transfer[]>('GET', `${uidPath(uid)}/withdrawals`)) ?? [],
    findByTxId: (txid) => call<Transfer>('GET', `/transactions/${encodeURIComponent(txid)}`),
    requestUnlock: async (uid) =>
      (await call<{ ok: boolean; message: string }>('POST', `${uidPath(uid)}/unlock`, '{}')) ?? {
        ok: false,
        message: 'unknown_customer',
      },
  };
}
