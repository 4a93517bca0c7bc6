// Runs the real Kennel API for the end-to-end tests: finds or builds the binary,
// starts it with demo data on a throwaway SQLite database, stops and restarts it.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const mobileDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/**
 * KENNEL_BIN, or a release build of the committed HEAD made in a git worktree
 * outside the checkout (the working tree may be mid-edit). Cached per commit.
 */
export function kennelBinary(log = console.log) {
  if (process.env.KENNEL_BIN) {
    if (!existsSync(process.env.KENNEL_BIN)) throw new Error(`KENNEL_BIN=${process.env.KENNEL_BIN} does not exist`);
    return process.env.KENNEL_BIN;
  }
  const repo = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: mobileDir, encoding: 'utf8' }).trim();
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
  const cache = join(tmpdir(), 'kennel-mobile-e2e');
  const binary = join(cache, `kennel-${head.slice(0, 12)}`);
  if (existsSync(binary)) return binary;
  mkdirSync(cache, { recursive: true });
  const tree = join(cache, `src-${head.slice(0, 12)}-${process.pid}`);
  log(`e2e: building kennel ${head.slice(0, 12)} (release) in a worktree; this takes a few minutes the first time`);
  execFileSync('git', ['worktree', 'add', '--detach', tree, head], { cwd: repo, stdio: 'inherit' });
  try {
    execFileSync('cargo', ['build', '--release', '--locked', '--bin', 'kennel'], {
      cwd: tree,
      stdio: 'inherit',
      env: { ...process.env, CARGO_TARGET_DIR: join(cache, 'target') },
    });
    copyFileSync(join(cache, 'target', 'release', 'kennel'), binary);
  } finally {
    execFileSync('git', ['worktree', 'remove', '--force', tree], { cwd: repo, stdio: 'inherit' });
  }
  return binary;
}

export class KennelApi {
  /** `env`: extra settings for the API (rate limits, the assistant's provider…). */
  constructor({ binary, port, dataDir, corsOrigin, env = {} }) {
    this.binary = binary;
    this.port = port;
    this.dataDir = dataDir;
    this.url = `http://127.0.0.1:${port}`;
    this.env = {
      ...process.env,
      APP_ENV: 'local',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `sqlite://${join(dataDir, 'kennel.db')}`,
      STORAGE_URL: `file://${join(dataDir, 'photos')}`,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      CORS_ORIGINS: corsOrigin,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ...env,
    };
    this.child = null;
    this.log = createWriteStream(join(dataDir, 'api.log'), { flags: 'a' });
  }

  async start({ demo = false } = {}) {
    this.child = spawn(this.binary, demo ? ['serve', '--demo'] : ['serve'], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout.pipe(this.log, { end: false });
    this.child.stderr.pipe(this.log, { end: false });
    const exited = new Promise((_, rej) => this.child.once('exit', (code) => rej(new Error(`kennel exited early (${code}); see ${join(this.dataDir, 'api.log')}`))));
    await Promise.race([this.waitReady(120000), exited]);
  }

  async waitReady(timeoutMs) {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      try {
        const r = await fetch(`${this.url}/readyz`);
        if (r.ok) return;
      } catch {
        // not yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`kennel did not become ready at ${this.url}`);
  }

  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const done = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    await done;
    clearTimeout(timer);
    this.child = null;
  }

  /** Runs `kennel admin create`, the password on standard input. */
  createAccount(email, role, password) {
    execFileSync(this.binary, ['admin', 'create', '--email', email, '--role', role, '--display-name', 'Kennel Admin'], {
      env: this.env,
      input: `${password}\n`,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
  }

  async call(method, path, { token, json } = {}) {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (json !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(`${this.url}${path}`, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
    const text = await r.text();
    const body = text ? JSON.parse(text) : null;
    if (!r.ok) throw new Error(`${method} ${path} -> ${r.status}: ${text.slice(0, 300)}`);
    return body;
  }
}
