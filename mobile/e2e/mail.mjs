// The emails the API sends during the end-to-end tests. With SMTP_URL=file://<folder>
// it writes each one to that folder as a raw RFC 5322 message (`<id>.eml`): headers,
// then a multipart body whose parts may be quoted-printable or base64.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Header lines of a message or a part, unfolded, by lower-case name. */
function parseHeaders(block) {
  const headers = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] ??= line.slice(colon + 1).trim();
  }
  return headers;
}

function split(raw) {
  const at = raw.search(/\r?\n\r?\n/);
  if (at < 0) return { headers: parseHeaders(raw), body: '' };
  const gap = raw.slice(at).match(/^\r?\n\r?\n/)[0].length;
  return { headers: parseHeaders(raw.slice(0, at)), body: raw.slice(at + gap) };
}

function decodeQuotedPrintable(text) {
  const bytes = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i += 1) {
    const hex = soft[i] === '=' ? soft.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeBody(body, encoding = '') {
  switch (encoding.toLowerCase()) {
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

/** `=?utf-8?q?…?=` and `=?utf-8?b?…?=` words of a header (RFC 2047). */
function decodeWords(value = '') {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?[^?]+\?([BbQq])\?([^?]*)\?=/g, (_, kind, text) =>
      kind.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

/** The text parts of a message or part, decoded: multiparts are walked part by part. */
function textParts({ headers, body }) {
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = type.match(/boundary="?([^";]+)"?/i)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    return body
      .split(`--${boundary}`)
      .slice(1)
      .filter((part) => !part.startsWith('--'))
      .flatMap((part) => textParts(split(part.replace(/^\r?\n/, ''))));
  }
  return /^text\//i.test(type) ? [{ type: type.split(';')[0].toLowerCase(), text: decodeBody(body, headers['content-transfer-encoding']) }] : [];
}

/** One email: who it is to, its subject, its decoded text and the links in it. */
export function readEmail(file) {
  const message = split(readFileSync(file, 'utf8'));
  const parts = textParts(message);
  const plain = parts.filter((p) => p.type === 'text/plain').map((p) => p.text);
  const text = (plain.length ? plain : parts.map((p) => p.text)).join('\n');
  const links = [...new Set(parts.flatMap((p) => p.text.match(/https?:\/\/[^\s<>"']+/g) ?? []).map((l) => l.replace(/&amp;/g, '&')))];
  return { file, to: decodeWords(message.headers.to), subject: decodeWords(message.headers.subject), text, links };
}

/**
 * Waits for the newest email to `to` written at or after `since` (ms since the epoch)
 * that has a link whose path starts with `path`, and returns the email and that link.
 */
export async function waitForEmail(folder, { to, path, since = 0, timeoutMs = 20000 }) {
  const until = Date.now() + timeoutMs;
  const address = to.toLowerCase();
  for (;;) {
    let files = [];
    try {
      files = readdirSync(folder)
        .filter((f) => f.endsWith('.eml'))
        .map((f) => ({ file: join(folder, f), at: statSync(join(folder, f)).mtimeMs }))
        // A second of slack for file systems with coarse times.
        .filter((f) => f.at >= since - 1000)
        .sort((a, b) => b.at - a.at);
    } catch {
      // no email written yet
    }
    for (const { file } of files) {
      const email = readEmail(file);
      if (!email.to.toLowerCase().includes(address)) continue;
      const link = email.links.map((l) => new URL(l)).find((l) => l.pathname.startsWith(path));
      if (link) return { ...email, link };
    }
    if (Date.now() > until) throw new Error(`no email to ${to} with a ${path} link arrived in ${folder} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
