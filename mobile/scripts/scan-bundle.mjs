// Fails when the exported web app contains anything shaped like a secret.
//   node scripts/scan-bundle.mjs <dist dir>
// SCAN_BUNDLE_FORBID="value1,value2" also fails on these exact strings (the tests
// pass the server-side settings they give the API, to prove none reached the app).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const RULES = [
  { name: 'secret API key (sk-…)', pattern: /\bsk-(?:proj-|live-|ant-)?[A-Za-z0-9_-]{20,}/g },
  { name: 'Stripe-style secret key', pattern: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/g },
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { name: 'private key', pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/g },
  { name: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { name: 'Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g },
  // A DSN is public only as https://PUBLIC_KEY@host/project; a second, secret part
  // (https://key:secret@host) or any other credentials in a URL must not ship.
  { name: 'URL with a secret part', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`/@:]+:[^\s"'`/@]+@[^\s"'`]+/gi },
  { name: 'server-side variable name', pattern: /\b(?:LLM_[A-Z0-9_]*|DATABASE_URL|REDIS_URL|SENTRY_DSN|SENTRY_AUTH_TOKEN)\b/g },
];

const forbidden = (process.env.SCAN_BUNDLE_FORBID ?? '')
  .split(',')
  .map((v) => v.trim())
  .filter((v) => v.length >= 4);

export function scanText(text) {
  const hits = [];
  for (const rule of RULES) {
    for (const match of text.matchAll(rule.pattern)) {
      // Placeholders in library code like scheme://user:password@host are not secrets.
      if (rule.name === 'URL with a secret part' && /:\/\/(user(name)?|\$\{)[^@]*:(pass(word)?|\$\{)/i.test(match[0])) continue;
      hits.push({ rule: rule.name, sample: match[0].slice(0, 12) + '…' });
    }
  }
  for (const value of forbidden) {
    if (text.includes(value)) hits.push({ rule: 'forbidden value (SCAN_BUNDLE_FORBID)', sample: value.slice(0, 4) + '…' });
  }
  return hits;
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function selfTest() {
  // Built at run time so this file holds no secret-shaped literal itself.
  const samples = [
    'const k = "s' + 'k-' + 'a'.repeat(32) + '"',
    'AK' + 'IA' + 'ABCDEFGHIJKLMNOP',
    '-----BEGIN ' + 'PRIVATE KEY-----',
    'https://abc' + ':def@o1.ingest.example.com/1',
    'const k = "s' + 'k-proj-' + 'A1b2_C3d4-'.repeat(4) + '"',
    'LL' + 'M_API_KEY',
    'process.env.LL' + 'M_BASE_URL',
    '{"LL' + 'M_MODEL":"x"}',
    'DATABASE' + '_URL',
  ];
  for (const s of samples) if (scanText(s).length === 0) throw new Error(`scan-bundle: self-test missed a sample: ${s.slice(0, 6)}…`);
  if (scanText('https://0123abcd@o1.ingest.example.com/42').length !== 0) throw new Error('scan-bundle: self-test flagged a public DSN');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  selfTest();
  const dir = process.argv[2] ?? 'dist';
  let found = 0;
  let scanned = 0;
  for (const file of files(dir)) {
    if (!/\.(js|html|json|map|css|txt)$/.test(file)) continue;
    scanned++;
    for (const hit of scanText(readFileSync(file, 'utf8'))) {
      console.error(`scan-bundle: ${relative(dir, file)}: ${hit.rule}: ${hit.sample}`);
      found++;
    }
  }
  if (scanned === 0) {
    console.error(`scan-bundle: no files to scan in ${dir}`);
    process.exit(1);
  }
  if (found > 0) {
    console.error(`scan-bundle: ${found} secret-shaped string(s) in the web bundle`);
    process.exit(1);
  }
  console.log(`scan-bundle: ${scanned} files clean`);
}
