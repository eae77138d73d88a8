import WAValidator from 'multicoin-address-validator';

/** What the guided flows collect from a customer's messages. */
export type Slots = {
  coin?: string;
  network?: string;
  txid?: string;
  address?: string;
  addressValid?: boolean;
  amount?: string;
  memo?: string;
  ticket?: string;
};

const COINS: [RegExp, string][] = [
  [/\b(btc|bitcoin)\b|比特币/i, 'BTC'],
  [/\b(eth|ether|ethereum)\b|以太坊|以太币/i, 'ETH'],
  [/\busdt\b|泰达币/i, 'USDT'],
  [/\busdc\b/i, 'USDC'],
  [/\b(trx|tron)\b|波场/i, 'TRX'],
  [/\b(xrp|ripple)\b|瑞波/i, 'XRP'],
  [/\b(sol|solana)\b/i, 'SOL'],
  [/\bbnb\b/i, 'BNB'],
  [/\b(doge|dogecoin)\b|狗狗币/i, 'DOGE'],
  [/\b(ltc|litecoin)\b|莱特币/i, 'LTC'],
  [/\b(ton|toncoin)\b/i, 'TON'],
  [/\b(xlm|stellar)\b/i, 'XLM'],
  [/\b(atom|cosmos)\b/i, 'ATOM'],
  [/\b(eos)\b/i, 'EOS'],
];

const NETWORKS: [RegExp, string][] = [
  [/\b(trc-?20|tron)\b|波场|trc20/i, 'TRON (TRC20)'],
  [/\b(erc-?20)\b|以太坊(网络|链|主网)/i, 'Ethereum (ERC20)'],
  [/\b(bep-?20|bsc|bnb smart chain)\b|币安智能链/i, 'BNB Smart Chain (BEP20)'],
  [/\b(arbitrum|arb)\b/i, 'Arbitrum One'],
  [/\b(polygon|matic)\b/i, 'Polygon'],
  [/\b(solana|spl)\b/i, 'Solana'],
  [/\b(optimism|op mainnet)\b/i, 'Optimism'],
  [/\b(bitcoin network|btc network|segwit|bech32)\b|比特币网络/i, 'Bitcoin'],
  [/\bton\b/i, 'TON'],
];

/** Chains whose address formats multicoin-address-validator checks, by coin. */
const ADDRESS_CHAINS: Record<string, string[]> = {
  BTC: ['btc'],
  ETH: ['eth'],
  USDT: ['eth', 'trx'],
  USDC: ['eth'],
  TRX: ['trx'],
  XRP: ['xrp'],
  SOL: ['sol'],
  BNB: ['eth'],
  DOGE: ['doge'],
  LTC: ['ltc'],
};

function isValidAddress(address: string, coin: string | undefined): boolean {
  const chains = coin
    ? (ADDRESS_CHAINS[coin] ?? [])
    : ['btc', 'eth', 'trx', 'xrp', 'sol', 'ltc', 'doge'];
  for (const chain of chains) {
    try {
      if (WAValidator.validate(address, chain)) return true;
    } catch {
      // unknown chain for this validator version
    }
  }
  return false;
}

const TXID = /\b(0x[0-9a-fA-F]{64}|[0-9a-fA-F]{64})\b/;
const ADDRESS_CANDIDATES =
  /\b(0x[0-9a-fA-F]{40}|bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34}|T[1-9A-HJ-NP-Za-km-z]{33}|r[1-9A-HJ-NP-Za-km-z]{24,34}|[LM][1-9A-HJ-NP-Za-km-z]{26,33}|D[1-9A-HJ-NP-Za-km-z]{33})\b/;

/** Pulls coin, network, TxID, address (checked), amount, memo and ticket number out of a message. */
export function extractSlots(text: string): Slots {
  const slots: Slots = {};
  for (const [pattern, coin] of COINS) {
    if (pattern.test(text)) {
      slots.coin = coin;
      break;
    }
  }
  for (const [pattern, network] of NETWORKS) {
    if (pattern.test(text)) {
      slots.network = network;
      break;
    }
  }
  const tx = text.match(TXID)?.[1];
  if (tx) slots.txid = tx;
  const address = text.match(ADDRESS_CANDIDATES)?.[1];
  if (address && address !== tx) {
    slots.address = address;
    slots.addressValid = isValidAddress(address, slots.coin);
  }
  const amount = text.match(
    /(\d+(?:[.,]\d+)?)\s*(?:个)?\s*(btc|eth|usdt|usdc|trx|xrp|sol|bnb|doge|ltc|ton)\b/i,
  );
  if (amount?.[1]) slots.amount = amount[1].replace(',', '.');
  const memo = text.match(/(?:memo|tag|destination tag|备注|标签)\s*[:：=]?\s*(\d{1,20})/i);
  if (memo?.[1]) slots.memo = memo[1];
  const ticket = text.match(
    /(?:#|工单号?\s*[:：]?\s*|ticket\s*(?:no\.?|number|#)?\s*)(\d{5,9})\b/i,
  );
  if (ticket?.[1]) slots.ticket = ticket[1];
  return slots;
}

export function mergeSlots(previous: Slots, next: Slots): Slots {
  return {
    ...previous,
    ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)),
  };
}
