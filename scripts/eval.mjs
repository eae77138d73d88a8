#!/usr/bin/env node
// Measures the assistant on a labelled JSONL file through its command-line contract:
// `kefu ask --jsonl`. Prints intent accuracy, per-intent precision/recall, confusions,
// handoff precision/recall, secret-redaction recall and false positives, and kept strings.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run eval -- <labelled.jsonl> [--json]');
  process.exit(2);
}
const asJson = process.argv.includes('--json');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lines = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim());
const gold = lines.map((l) => JSON.parse(l));

const child = spawn(
  process.execPath,
  [path.join(root, 'apps/server/bin/kefu.js'), 'ask', '--jsonl'],
  {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'silent' },
  },
);
let out = '';
child.stdout.on('data', (d) => {
  out += d;
});
child.stdin.end(
  `${gold.map((g) => JSON.stringify({ id: g.id, text: g.text, lang: g.lang })).join('\n')}\n`,
);
const code = await new Promise((resolve) => child.on('exit', resolve));
if (code !== 0) {
  console.error(`kefu ask exited with ${code}`);
  process.exit(1);
}
const answers = new Map(
  out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
    .map((a) => [a.id, a]),
);

let correct = 0;
const perIntent = new Map();
const confusions = new Map();
let hoTP = 0;
let hoFP = 0;
let hoFN = 0;
let secretLines = 0;
let secretFound = 0;
let secretFalsePositives = 0;
let keepTotal = 0;
let keepKept = 0;
const stat = (intent) => {
  if (!perIntent.has(intent)) perIntent.set(intent, { tp: 0, fp: 0, fn: 0 });
  return perIntent.get(intent);
};
for (const g of gold) {
  const a = answers.get(g.id);
  if (!a) throw new Error(`no answer for ${g.id}`);
  if (a.intent === g.intent) {
    correct++;
    stat(g.intent).tp++;
  } else {
    stat(g.intent).fn++;
    stat(a.intent).fp++;
    const key = `${g.intent} → ${a.intent}`;
    confusions.set(key, (confusions.get(key) ?? 0) + 1);
  }
  if (g.handoff && a.handoff) hoTP++;
  else if (!g.handoff && a.handoff) hoFP++;
  else if (g.handoff && !a.handoff) hoFN++;
  const kinds = (a.redactions ?? []).map((r) => r.kind);
  if (g.secret) {
    secretLines++;
    if (kinds.includes(g.secret)) secretFound++;
  } else if (kinds.length > 0) secretFalsePositives++;
  for (const k of g.keep ?? []) {
    keepTotal++;
    if ((a.redacted_text ?? '').includes(k)) keepKept++;
  }
}
const round = (x) => Math.round(x * 1000) / 1000;
const result = {
  lines: gold.length,
  intent_accuracy: round(correct / gold.length),
  handoff_precision: round(hoTP + hoFP ? hoTP / (hoTP + hoFP) : 1),
  handoff_recall: round(hoTP + hoFN ? hoTP / (hoTP + hoFN) : 1),
  secret_recall: round(secretLines ? secretFound / secretLines : 1),
  secret_false_positives: secretFalsePositives,
  keep_survived: round(keepTotal ? keepKept / keepTotal : 1),
  per_intent: Object.fromEntries(
    [...perIntent.entries()].sort().map(([k, s]) => [
      k,
      {
        precision: round(s.tp + s.fp ? s.tp / (s.tp + s.fp) : 1),
        recall: round(s.tp + s.fn ? s.tp / (s.tp + s.fn) : 1),
        support: s.tp + s.fn,
      },
    ]),
  ),
  confusions: Object.fromEntries([...confusions.entries()].sort((a, b) => b[1] - a[1])),
};
if (asJson) {
  console.log(JSON.stringify(result));
} else {
  console.log(`lines                   ${result.lines}`);
  console.log(`intent accuracy         ${result.intent_accuracy}`);
  console.log(`handoff precision       ${result.handoff_precision}`);
  console.log(`handoff recall          ${result.handoff_recall}`);
  console.log(`secret recall           ${result.secret_recall}`);
  console.log(`secret false positives  ${result.secret_false_positives}`);
  console.log(`keep strings survived   ${result.keep_survived}`);
  console.log('\nper intent (precision / recall / support)');
  for (const [k, v] of Object.entries(result.per_intent))
    console.log(
      `  ${k.padEnd(24)} ${v.precision.toFixed(3)}  ${v.recall.toFixed(3)}  ${v.support}`,
    );
  console.log('\nconfusions (expected → got)');
  for (const [k, v] of Object.entries(result.confusions)) console.log(`  ${v}× ${k}`);
}
