// End-to-end tests: the exported web app, served on loopback, driven by Chromium
// against the real Kennel API with demo data.
//   node e2e/run.mjs            (exports the app itself when dist/ is missing)
//   E2E_API_PORT=…  node e2e/run.mjs   (dist/ was exported for that port)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';

import { freePort, KennelApi, kennelBinary } from './kennel.mjs';
import { waitForEmail } from './mail.mjs';
import { gradientPng } from './png.mjs';
import { startStaticServer } from './static-server.mjs';

const mobileDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(mobileDir, 'dist');
const artifacts = join(mobileDir, 'e2e', 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STEP_TIMEOUT = 20000;
/** The key given to the API for the assistant's provider; scripts/test.sh checks the bundle never holds it. */
const E2E_LLM_API_KEY = 'e2e-not-a-secret';
/** How every session token of the API starts (its TOKEN_PREFIX): what must never be readable by the page's scripts. */
const SESSION_TOKEN_PREFIX = 'kn_';
mkdirSync(artifacts, { recursive: true });
// Screenshots and metrics of an earlier run would be mistaken for this one's.
for (const f of readdirSync(artifacts)) if (/\.(png|json|txt)$/.test(f)) rmSync(join(artifacts, f), { force: true });

const log = (...args) => console.log('e2e:', ...args);

// ---------------------------------------------------------------- setup
const apiPort = process.env.E2E_API_PORT ? Number(process.env.E2E_API_PORT) : await freePort();
if (!process.env.E2E_API_PORT || !existsSync(join(dist, 'index.html'))) {
  log(`exporting the web app for http://127.0.0.1:${apiPort}`);
  execFileSync('npx', ['expo', 'export', '--platform', 'web', '--output-dir', 'dist', '--clear'], {
    cwd: mobileDir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, APP_ENV: 'local', EXPO_PUBLIC_API_URL: `http://127.0.0.1:${apiPort}` },
  });
}

const bundle = bundleSize(dist);
const binary = kennelBinary(log);
const work = mkdtempSync(join(tmpdir(), 'kennel-e2e-'));
// Every email the API sends is written here, one .eml file each.
const mailDir = join(work, 'mail');
const web = await startStaticServer(dist, 0);
// Nothing listens on this port: the assistant's provider is "down".
const closedPort = await freePort();
const api = new KennelApi({
  binary,
  port: apiPort,
  dataDir: work,
  corsOrigin: web.url,
  env: {
    // All traffic comes from one loopback address: limits far above what the tests send.
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000',
    RATE_LIMIT_USER_PER_MINUTE: '100000',
    RATE_LIMIT_AUTH_PER_MINUTE: '1000',
    // The assistant is configured (so its flag is on) but its provider does not answer.
    // Server-side settings only: the bundle scan checks the key never reaches the app.
    LLM_BASE_URL: `http://127.0.0.1:${closedPort}`,
    LLM_API_KEY: E2E_LLM_API_KEY,
    LLM_MODEL: 'e2e',
    // Emails go to a folder, their links to the web app under test, without waiting long.
    SMTP_URL: `file://${mailDir}`,
    APP_BASE_URL: web.url,
    OUTBOX_DRAIN_SECONDS: '1',
    CONVERSATION_EMAIL_DELAY_SECONDS: '1',
  },
});
log(`API ${api.url} (data and mail in ${work}), web ${web.url}`);
// Never leave the API running, whatever happens to this process.
process.on('exit', () => api.child?.kill('SIGKILL'));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
const apiStarted = Date.now();
await api.start({ demo: true });
log(`API ready in ${Date.now() - apiStarted} ms`);

const userDataDir = mkdtempSync(join(tmpdir(), 'kennel-e2e-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 430, height: 900 },
  // Values are formatted for the locale: the tests read miles and dollars.
  locale: 'en-US',
});
context.setDefaultTimeout(STEP_TIMEOUT);
// Time to first list: navigation start to the first puppy card in the document.
await context.addInitScript(() => {
  const mark = () => {
    if (!window.__firstCardAt && document.querySelector('[data-testid="puppy-card"]')) window.__firstCardAt = performance.now();
  };
  new MutationObserver(mark).observe(document, { subtree: true, childList: true });
});
const page = context.pages()[0] ?? (await context.newPage());
const consoleErrors = [];
page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));

const metrics = { web_bundle_bytes: bundle.bytes, web_bundle_gzip_bytes: bundle.gzip, time_to_first_list_ms: null };

// ---------------------------------------------------------------- helpers
// Screens stay mounted under the one on top: only visible elements count.
const byLabel = (label) => page.getByLabel(label, { exact: true }).filter({ visible: true }).first();
const byTestId = (id) => page.getByTestId(id).filter({ visible: true }).first();
const card = () => page.locator('[data-testid="puppy-card"]:visible').first();
const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`) });

async function openApp(path = '/') {
  await page.goto(`${web.url}${path}`);
  await card().waitFor();
}

async function tab(name) {
  await page.getByRole('tab', { name }).or(page.getByRole('link', { name })).filter({ visible: true }).first().click();
}

/** The photos of the first cards have loaded (for screenshots). */
async function thumbnailsLoaded() {
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="puppy-card"] img')].slice(0, 3).every((img) => img.complete));
}

/** Account, signed out: the session cookie outlives reloads, so whoever signed in last may still be. */
async function signOutOnAccount() {
  await tab('Account');
  await byTestId('account-signed-in').or(byTestId('sign-in-form')).or(byTestId('sign-up-form')).first().waitFor();
  if (await byTestId('account-signed-in').isVisible()) await byLabel('Sign out').click();
  await byTestId('sign-in-form').or(byTestId('sign-up-form')).first().waitFor();
}

async function signIn(email, password) {
  await signOutOnAccount();
  const signedIn = byTestId('account-signed-in');
  await byLabel('I have an account').click();
  await byLabel('Email').fill(email);
  await byLabel('Password').fill(password);
  await byTestId('account-submit').click();
  await signedIn.waitFor();
}

/** Registers through the API; resolves with the time just before, from which its emails count. */
async function register(person) {
  const since = Date.now();
  await api.call('POST', '/v1/auth/register', { json: person });
  return since;
}

/** The link in the newest email to `email` (written since `since`) whose path starts with `path`. */
async function emailedLink(email, path, since) {
  return (await waitForEmail(mailDir, { to: email, path, since })).link;
}

/** Confirms the address as its owner would, with the token of the link emailed at registration. */
async function confirmByEmail(email, since) {
  const link = await emailedLink(email, '/verify-email', since);
  await api.call('POST', '/v1/auth/verify-email', { json: { token: link.searchParams.get('token') } });
}

// ---------------------------------------------------------------- scenarios
const stamp = Date.now().toString(36);
const adopter = { email: `adopter-${stamp}@example.org`, password: 'correct horse battery' };
const staff = { email: 'staff@example.org', password: 'staff password 1' };
const admin = { email: 'admin@example.org', password: 'admin password 1' };

const scenarios = [];
const scenario = (name, fn) => scenarios.push({ name, fn });

scenario('browse, filter, open a puppy, sign up, save it, see it in favourites', async () => {
  await page.goto(web.url);
  await card().waitFor();
  await page.waitForFunction(() => window.__firstCardAt !== undefined);
  metrics.time_to_first_list_ms = Math.round(await page.evaluate(() => window.__firstCardAt));
  await thumbnailsLoaded();
  await shot('browse');

  await byTestId('filters-button').click();
  await byLabel('Size medium').click();
  await byLabel('Or a city').fill('Portl');
  await byLabel('City Portland, OR').click();
  await byLabel('Within 500 mi').click();
  await shot('filters');
  await byLabel('Apply filters').click();
  await page.getByText(/mi away/).first().waitFor();
  await byLabel('Filters, 2 active').waitFor();
  await shot('browse-filtered');

  const first = card();
  const name = (await first.getAttribute('aria-label')).split(',')[0];
  await first.click();
  await byTestId('puppy-detail').waitFor();
  await byTestId('puppy-detail').getByText(name, { exact: true }).first().waitFor();
  await shot('detail');
  // Signed out, the assistant panel invites to sign in rather than failing.
  const invite = byTestId('assistant-sign-in');
  await invite.getByText(`Sign in to ask about ${name}`, { exact: true }).waitFor();
  await invite.scrollIntoViewIfNeeded();
  await shot('assistant-signed-out');

  await byLabel(`Sign in to save ${name}`).click();
  await byLabel('I am new here').click();
  await byLabel('Your name').fill('Ada Adopter');
  await byLabel('Email').fill(adopter.email);
  await byLabel('Password').fill(adopter.password);
  await shot('sign-up');
  await byTestId('account-submit').click();
  await byTestId('account-signed-in').waitFor();
  await shot('account');

  await tab('Browse');
  await byTestId('search-input').fill(name);
  await page.locator('[data-testid="puppy-card"]:visible').filter({ hasText: name }).first().click();
  await byLabel(`Save ${name} to favourites`).click();
  await byLabel(`Remove ${name} from favourites`).waitFor();
  await page.goBack();
  await tab('Favourites');
  await byTestId('favorites-list').getByText(name, { exact: true }).waitFor();
  await shot('favourites');
});

/** Accounts: an administrator from the command line, a staff member promoted by it (once); resolves with the staff's organisation. */
let staffReady = null;
function ensureStaff() {
  staffReady ??= (async () => {
    api.createAccount(admin.email, 'admin', admin.password);
    const adminSession = await api.call('POST', '/v1/auth/login', { json: admin });
    // Staff answer adopters: only a confirmed address may send messages.
    await confirmByEmail(staff.email, await register({ ...staff, display_name: 'Sam Staff' }));
    const registered = await api.call('POST', '/v1/auth/login', { json: staff });
    const sample = await api.call('GET', '/v1/puppies?limit=1');
    const organizationId = sample.items[0].organization.id;
    await api.call('PUT', `/v1/admin/users/${registered.user.id}/role`, { token: adminSession.token, json: { role: 'staff', organization_id: organizationId } });
    return organizationId;
  })();
  return staffReady;
}

scenario('staff sign in, create a puppy, upload a photo, see it in browse', async () => {
  await ensureStaff();

  await openApp();
  await signIn(staff.email, staff.password);
  await tab('Staff');
  await byTestId('staff-puppies').or(byTestId('empty-state')).first().waitFor();
  await shot('staff');
  await byTestId('new-puppy').click();
  const puppyName = `Biscuit ${stamp}`;
  const birth = new Date(Date.now() - 90 * 86400000).toISOString().slice(0, 10);
  await byLabel('Name').fill(puppyName);
  await byLabel('Breed').fill('Beagle');
  await byLabel('Breed Beagle').click();
  await byLabel('Sex female').click();
  await byLabel('Birth date').fill(birth);
  await byLabel('Colour').fill('Tan and white');
  await byLabel('Adoption fee').fill('150');
  await byLabel('Good with kids: Yes').click();
  await shot('staff-new-puppy');
  await byTestId('puppy-form-submit').click();
  await byTestId('edit-puppy').waitFor();

  const png = join(work, 'puppy.png');
  writeFileSync(png, gradientPng());
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), byTestId('choose-photos').click()]);
  await chooser.setFiles(png);
  await byTestId('managed-photo').first().waitFor({ timeout: 30000 });
  await shot('staff-photos');

  await page.goBack();
  await tab('Browse');
  await byTestId('search-input').fill(puppyName);
  const listed = page.locator('[data-testid="puppy-card"]:visible').filter({ hasText: puppyName }).first();
  await listed.waitFor();
  // The card shows the uploaded photo, served by the API.
  const img = listed.locator('img').first();
  await img.waitFor();
  const src = await img.getAttribute('src');
  if (!src || !src.startsWith(`${api.url}/v1/photos/`)) throw new Error(`the card's image is not the uploaded photo: ${src}`);
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
  await shot('browse-new-puppy');
});

/** A new adopter (signed in through the API) who asked about a puppy of the staff's organisation; the staff answered. */
async function adopterWithAnswer(person, question, answer) {
  const organizationId = await ensureStaff();
  await confirmByEmail(person.email, await register(person));
  const session = await api.call('POST', '/v1/auth/login', { json: { email: person.email, password: person.password } });
  const [puppy] = (await api.call('GET', `/v1/puppies?organization=${organizationId}&limit=1`)).items;
  const thread = await api.call('POST', `/v1/puppies/${puppy.id}/inquiries`, { token: session.token, json: { message: question, contact_preference: 'app' } });
  const staffSession = await api.call('POST', '/v1/auth/login', { json: staff });
  await api.call('POST', `/v1/inquiries/${thread.id}/replies`, { token: staffSession.token, json: { message: answer } });
  return { session, puppy, thread };
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The Messages tab, by its whole name ("Messages", or "Messages, 2 unread"). */
const messagesTab = (name) => page.getByRole('tab', { name, exact: true }).or(page.getByRole('link', { name, exact: true })).filter({ visible: true }).first();
/** A conversation's row in Messages. */
const threadRow = (puppyName) => page.getByRole('button', { name: new RegExp(`^${escapeRegExp(puppyName)} with `) }).filter({ visible: true }).first();

scenario('an adopter sees the unread reply in Messages, reads it and answers it once', async () => {
  const writer = { email: `writer-${stamp}@example.org`, password: 'conversation test 1', display_name: 'Wren Writer' };
  const answer = 'Yes, she loves children. Come and meet her on Saturday.';
  const { session, puppy, thread } = await adopterWithAnswer(writer, 'Is she good with children?', answer);

  await openApp();
  await signIn(writer.email, writer.password);
  await messagesTab('Messages, 1 unread').click();
  const row = threadRow(puppy.name);
  await row.waitFor();
  if (!/1 unread/.test(await row.getAttribute('aria-label'))) throw new Error(`the row does not say it is unread: ${await row.getAttribute('aria-label')}`);
  await shot('messages');
  await row.click();
  const conversation = byTestId('thread');
  await conversation.getByText(answer, { exact: true }).waitFor();
  await conversation.getByText('Is she good with children?', { exact: true }).waitFor();
  await shot('thread');

  const reply = 'Saturday at ten works for us.';
  await byLabel('Your reply').fill(reply);
  await byLabel('Send reply').click();
  await conversation.getByText(reply, { exact: true }).waitFor();
  // The draft clears once the reply is in.
  await page
    .waitForFunction((field) => field.value === '', await byLabel('Your reply').elementHandle())
    .catch(() => Promise.reject(new Error('the draft was not cleared after sending')));
  await shot('thread-replied');

  // Reading the thread took the count off the tab.
  await page.getByRole('button', { name: 'Back', exact: true }).filter({ visible: true }).first().click();
  await messagesTab('Messages').waitFor();
  await threadRow(puppy.name).waitFor();
  const after = await api.call('GET', `/v1/inquiries/${thread.id}`, { token: session.token });
  const sent = after.replies.filter((r) => r.author_role === 'adopter' && r.message === reply);
  if (sent.length !== 1) throw new Error(`the reply is in the thread ${sent.length} times`);
  if (after.unread_count !== 0) throw new Error(`the thread still has ${after.unread_count} unread`);
});

scenario('an adopter asks in the app, the staff answer in the app, and the adopter reads the answer', async () => {
  const organizationId = await ensureStaff();
  const asker = { email: `inquirer-${stamp}@example.org`, password: 'asks in the app 1', display_name: `Ivy Inquirer ${stamp}` };
  const since = await register(asker);
  const [puppy] = (await api.call('GET', `/v1/puppies?organization=${organizationId}&limit=1`)).items;

  // The link emailed at registration opens the app's confirmation screen, which confirms the address.
  const confirm = await emailedLink(asker.email, '/verify-email', since);
  if (confirm.origin !== web.url) throw new Error(`the confirmation link leads to ${confirm.origin}, not the web app`);
  await page.goto(confirm.href);
  await byTestId('verify-email-done').waitFor();
  await shot('verify-email-done');

  // The adopter writes to the shelter from the puppy's page.
  await openApp();
  await signIn(asker.email, asker.password);
  await page.goto(`${web.url}/puppy/${puppy.id}`);
  await byTestId('puppy-detail').getByText(puppy.name, { exact: true }).first().waitFor();
  const question = 'Is he used to other dogs? We have an old spaniel.';
  await byLabel(`Message about ${puppy.name}`).fill(question);
  await byLabel('Reply by in the app').click();
  await byLabel('Send message to the shelter').click();
  await byTestId('inquiry-sent').getByText(`Message sent to ${puppy.organization.name}.`, { exact: true }).waitFor();
  await shot('inquiry-sent');

  // The staff find it in their inbox and answer in the thread.
  await page.getByRole('button', { name: 'Back', exact: true }).filter({ visible: true }).first().click();
  await card().waitFor();
  await signIn(staff.email, staff.password);
  await tab('Staff');
  await page.getByRole('button', { name: /^Open the inquiries inbox/ }).filter({ visible: true }).first().click();
  const staffRow = page.getByRole('button', { name: new RegExp(`^${escapeRegExp(puppy.name)} with ${escapeRegExp(asker.display_name)},`) }).filter({ visible: true }).first();
  await staffRow.click();
  const conversation = byTestId('thread');
  await conversation.getByText(question, { exact: true }).waitFor();
  const threadId = new URL(page.url()).pathname.split('/').pop();
  const answer = 'He grew up with two spaniels. Come and meet him this week.';
  const answeredAt = Date.now();
  await byLabel('Your reply').fill(answer);
  await byLabel('Send reply').click();
  await conversation.getByText(answer, { exact: true }).waitFor();
  await shot('staff-answered');

  // Unread after a moment, so the API emails the adopter a link to the thread.
  const email = await waitForEmail(mailDir, { to: asker.email, path: `/inquiry/${threadId}`, since: answeredAt });
  if (email.link.origin !== web.url) throw new Error(`the conversation email links to ${email.link.origin}, not the web app`);
  if (!email.subject.includes(puppy.name)) throw new Error(`the conversation email's subject does not name ${puppy.name}: ${email.subject}`);

  // The adopter sees the answer waiting in Messages, reads it, and the count goes.
  await openApp();
  await signIn(asker.email, asker.password);
  await messagesTab('Messages, 1 unread').click();
  const row = threadRow(puppy.name);
  if (!/1 unread/.test(await row.getAttribute('aria-label'))) throw new Error(`the row does not say it is unread: ${await row.getAttribute('aria-label')}`);
  await row.click();
  await byTestId('thread').getByText(answer, { exact: true }).waitFor();
  await shot('adopter-reads-answer');
  await page.getByRole('button', { name: 'Back', exact: true }).filter({ visible: true }).first().click();
  await messagesTab('Messages').waitFor();
  await threadRow(puppy.name).waitFor();
  if (/unread/.test(await threadRow(puppy.name).getAttribute('aria-label'))) throw new Error('the thread is still unread after reading it');

  // The email's link opens the same thread in the web app.
  await page.goto(email.link.href);
  await byTestId('thread').getByText(answer, { exact: true }).waitFor();
});

scenario('web sign-in survives a reload, and page scripts cannot read the session token', async () => {
  const person = { email: `reloader-${stamp}@example.org`, password: 'cookie session 1', display_name: 'Remy Reloader' };
  await register(person);
  await openApp();
  const [login] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${api.url}/v1/auth/login` && r.request().method() === 'POST'),
    signIn(person.email, person.password),
  ]);
  if (login.request().postDataJSON()?.cookie !== true) throw new Error('the web app signed in without asking for the cookie');
  const answer = await login.json();
  if ('token' in answer) throw new Error('the sign-in answer gave the page a token');

  // The browser holds the session as an HttpOnly cookie of the API.
  const cookie = (await context.cookies(api.url)).find((c) => c.name === 'kennel_session');
  if (!cookie) throw new Error('no kennel_session cookie after signing in');
  if (!cookie.httpOnly) throw new Error('the session cookie is readable by scripts (not HttpOnly)');
  if (!cookie.value.startsWith(SESSION_TOKEN_PREFIX)) throw new Error('the session cookie does not hold a session token');
  const readable = async () =>
    page.evaluate(() => ({
      cookie: document.cookie,
      stored: [localStorage, sessionStorage].flatMap((s) => Object.keys(s).map((k) => s.getItem(k) ?? '')),
    }));
  const check = async (when) => {
    const { cookie: visible, stored } = await readable();
    if (visible.includes('kennel_session') || visible.includes(cookie.value)) throw new Error(`${when}: document.cookie shows the session`);
    const leaked = stored.filter((v) => v.startsWith(SESSION_TOKEN_PREFIX) || v.includes(cookie.value));
    if (leaked.length) throw new Error(`${when}: web storage holds a session token`);
  };
  await check('after signing in');

  // A reload keeps the person signed in.
  await page.reload();
  await tab('Account');
  await byTestId('account-signed-in').getByText(person.email, { exact: true }).waitFor();
  await check('after a reload');
  await shot('signed-in-after-reload');

  // Signing out ends the session for good: the cookie goes, and a reload stays signed out.
  await byLabel('Sign out').click();
  await byTestId('sign-in-form').waitFor();
  if ((await context.cookies(api.url)).some((c) => c.name === 'kennel_session')) throw new Error('the session cookie is still there after signing out');
  await page.reload();
  await tab('Account');
  await byTestId('sign-in-form').waitFor();
  if (await byTestId('account-signed-in').isVisible()) throw new Error('signed in again after signing out and reloading');
  // The ended session opens nothing, even if its token were replayed.
  const replay = await fetch(`${api.url}/v1/me`, { headers: { Authorization: `Bearer ${cookie.value}` } });
  if (replay.status !== 401) throw new Error(`the signed-out session still answers ${replay.status}`);
});

scenario('an adopter whose address is not confirmed is asked to confirm it instead of writing to the shelter', async () => {
  const person = { email: `unconfirmed-${stamp}@example.org`, password: 'confirm me first 1', display_name: 'Uma Unconfirmed' };
  const since = await register(person);
  const [puppy] = (await api.call('GET', '/v1/puppies?limit=1')).items;
  await openApp();
  await signIn(person.email, person.password);
  await page.goto(`${web.url}/puppy/${puppy.id}`);
  await byTestId('puppy-detail').getByText(puppy.name, { exact: true }).first().waitFor();
  const notice = byTestId('confirm-to-send');
  await notice.getByText('Confirm your email address to send messages', { exact: true }).waitFor();
  await notice.getByRole('button', { name: 'Send the link again' }).waitFor();
  if (await byLabel(`Message about ${puppy.name}`).isVisible()) throw new Error('the inquiry form is offered to an unconfirmed address');
  // Saving favourites does not need a confirmed address.
  await byLabel(`Save ${puppy.name} to favourites`).click();
  await byLabel(`Remove ${puppy.name} from favourites`).waitFor();
  await notice.scrollIntoViewIfNeeded();
  await shot('confirm-to-send');
  // The accessibility scenario's accounts are confirmed: the notice is checked here, in both colour schemes.
  const found = [];
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    found.push(...(await axeViolations(`confirm-to-send (${scheme})`)));
  }
  await page.emulateMedia({ colorScheme: null });
  if (found.length) throw new Error(`axe found serious or critical problems:\n${found.join('\n')}`);

  // The API agrees: it refuses a message from this address.
  const session = await api.call('POST', '/v1/auth/login', { json: { email: person.email, password: person.password } });
  const refused = await fetch(`${api.url}/v1/puppies/${puppy.id}/inquiries`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ message: 'Hello', contact_preference: 'email' }),
  });
  const problem = await refused.json().catch(() => null);
  if (refused.status !== 403 || problem?.code !== 'email_unverified') throw new Error(`the API answered ${refused.status} ${problem?.code ?? ''}, not 403 email_unverified`);

  // Following the emailed link, signed in: the form is there.
  await page.goto((await emailedLink(person.email, '/verify-email', since)).href);
  await byTestId('verify-email-done').waitFor();
  await page.goto(`${web.url}/puppy/${puppy.id}`);
  await byLabel(`Message about ${puppy.name}`).waitFor();
  if (await byTestId('confirm-to-send').isVisible()) throw new Error('the notice stays after confirming');
});

scenario('assistant says "Feature temporarily unavailable" when its provider is down, while browsing keeps working', async () => {
  // The assistant answers signed-in people only: a new account, signed in through the app.
  const asker = { email: `asker-${stamp}@example.org`, password: 'assistant question 1' };
  await api.call('POST', '/v1/auth/register', { json: { ...asker, display_name: 'Ash Asker' } });
  await openApp();
  await signIn(asker.email, asker.password);

  await tab('Browse');
  await card().waitFor();
  const first = card();
  const name = (await first.getAttribute('aria-label')).split(',')[0];
  await first.click();
  await byTestId('puppy-detail').getByText(name, { exact: true }).first().waitFor();
  const panel = byTestId('assistant-panel');
  await panel.waitFor();
  await byLabel('Your question').fill('Is this puppy good with cats?');
  const [reply] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/v1/assistant/messages') && r.request().method() === 'POST'),
    byLabel('Ask the assistant').click(),
  ]);
  const problem = await reply.json().catch(() => null);
  if (reply.status() !== 503 || problem?.code !== 'feature_unavailable') {
    throw new Error(`the API answered ${reply.status()} ${problem?.code ?? ''}, not 503 feature_unavailable`);
  }
  await panel.getByText('Feature temporarily unavailable').waitFor();
  // Only the panel says so: the puppy is still on screen, with no error or offline state.
  await byTestId('puppy-detail').getByText(name, { exact: true }).first().waitFor();
  if (await byTestId('error-state').isVisible()) throw new Error('an error state is shown outside the panel');
  if (await byTestId('offline-banner').isVisible()) throw new Error('the offline banner is shown');
  await panel.scrollIntoViewIfNeeded();
  await shot('assistant-unavailable');

  // Browsing keeps working in the same session: search, open another puppy, still signed in.
  await page.goBack();
  await byTestId('search-input').fill('');
  await card().waitFor();
  const other = page.locator('[data-testid="puppy-card"]:visible').nth(1);
  const otherName = (await other.getAttribute('aria-label')).split(',')[0];
  await byTestId('search-input').fill(otherName);
  await page.locator('[data-testid="puppy-card"]:visible').filter({ hasText: otherName }).first().click();
  await byTestId('puppy-detail').getByText(otherName, { exact: true }).first().waitFor();
  await byLabel(`Save ${otherName} to favourites`).or(byLabel(`Remove ${otherName} from favourites`)).first().waitFor();
  await page.goBack();
  await byTestId('search-input').fill('');
  await card().waitFor();
});

scenario('API stops mid-session, the app shows it, and recovers without a reload when it is back', async () => {
  await openApp();
  await page.evaluate(() => (window.__samePage = true));
  await api.stop();
  await byTestId('search-input').fill('zz');
  await byTestId('offline-banner').waitFor();
  await shot('api-down');
  await api.start();
  await byTestId('offline-banner').waitFor({ state: 'detached', timeout: 30000 });
  await byTestId('search-input').fill('');
  await card().waitFor({ timeout: 30000 });
  if (!(await page.evaluate(() => window.__samePage === true))) throw new Error('the page reloaded');
  await shot('api-recovered');
});

scenario('a puppy opened from a link goes back to browse; unknown puppies and pages say so', async () => {
  const [known] = (await api.call('GET', '/v1/puppies?limit=1')).items;
  // A fresh load of the puppy's address, as from a shared link.
  await page.goto(`${web.url}/puppy/${known.id}`);
  await byTestId('puppy-detail').getByText(known.name, { exact: true }).first().waitFor();
  await shot('deep-link-puppy');
  await page.getByRole('button', { name: 'Back', exact: true }).filter({ visible: true }).first().click();
  await card().waitFor();
  await page.getByRole('tab', { name: 'Favourites' }).or(page.getByRole('link', { name: 'Favourites' })).filter({ visible: true }).first().waitFor();
  await page.waitForURL(`${web.url}/`);

  // A puppy that does not exist: no Retry, a way back to browse.
  await page.goto(`${web.url}/puppy/00000000-0000-4000-8000-000000000000`);
  await page.getByRole('heading', { name: 'Puppy not found' }).filter({ visible: true }).first().waitFor();
  if (await byLabel('Retry loading').isVisible()) throw new Error('a missing puppy offers Retry');
  await shot('puppy-not-found');
  await page.getByRole('button', { name: 'Back to browse' }).filter({ visible: true }).first().click();
  await card().waitFor();
  await page.waitForURL(`${web.url}/`);

  // An address the app does not have.
  await page.goto(`${web.url}/no/such/page`);
  await page.getByRole('heading', { name: 'Page not found' }).filter({ visible: true }).first().waitFor();
  await shot('not-found');
  await page.getByRole('link', { name: 'Go to Browse puppies' }).filter({ visible: true }).first().click();
  await card().waitFor();
  await page.waitForURL(`${web.url}/`);
});

/** A saved search's row on its screen, by the search's name. */
const savedSearchRow = (name) => page.locator('[data-testid="saved-search"]:visible').filter({ has: page.getByRole('heading', { name, exact: true }) }).first();

scenario('a saved search: save the filters, open it later with the new puppy marked, rename, pause and delete it', async () => {
  await ensureStaff();
  const seeker = { email: `seeker-${stamp}@example.org`, password: 'saved search test 1', display_name: 'Sage Seeker' };
  await confirmByEmail(seeker.email, await register(seeker));
  const seekerSession = await api.call('POST', '/v1/auth/login', { json: { email: seeker.email, password: seeker.password } });
  await openApp();
  await signIn(seeker.email, seeker.password);

  // Female beagles, newest first (a new listing comes first).
  await tab('Browse');
  await byTestId('filters-button').click();
  await byLabel('Find a breed').fill('Beag');
  await byLabel('Breed Beagle').click();
  await byLabel('Sex female').click();
  await byLabel('Apply filters').click();
  await byLabel('Filters, 2 active').waitFor();
  await card().or(byTestId('empty-state')).first().waitFor();
  await byLabel('Save search').click();
  const suggested = await byLabel('Name of this search').inputValue();
  if (suggested !== 'Beagle · Female') throw new Error(`the suggested name is "${suggested}", not "Beagle · Female"`);
  const name = `Girls ${stamp}`;
  await byLabel('Name of this search').fill(name);
  await shot('save-search');
  await byLabel('Save this search').click();
  const note = byTestId('search-saved');
  await note.waitFor();
  if ((await note.textContent()) !== `Saved as “${name}”.`) throw new Error(`after saving, Browse says "${await note.textContent()}"`);
  const [kept] = (await api.call('GET', '/v1/me/saved-searches', { token: seekerSession.token })).items;
  const query = new URLSearchParams(kept.query);
  if (kept.name !== name || query.get('breed') !== 'beagle' || query.get('sex') !== 'female' || query.has('limit') || query.has('cursor')) {
    throw new Error(`the API kept ${JSON.stringify(kept)}`);
  }

  // In the list, from Browse.
  await page.getByRole('link', { name: 'Saved searches', exact: true }).filter({ visible: true }).first().click();
  const row = savedSearchRow(name);
  await row.getByText('Beagle · Female', { exact: true }).waitFor();
  await shot('saved-searches');

  // The first visit: nothing is new yet.
  await row.getByRole('button', { name: `Open ${name}` }).click();
  await page.getByRole('heading', { name, exact: true }).filter({ visible: true }).first().waitFor();
  await byLabel('Filters, 2 active').waitFor();
  await card().or(byTestId('empty-state')).first().waitFor();
  if ((await page.locator('[data-testid="new-badge"]:visible').count()) > 0) throw new Error('puppies are marked new on the first visit');

  // Staff list a female beagle meanwhile.
  const staffSession = await api.call('POST', '/v1/auth/login', { json: staff });
  const fresh = `Clover ${stamp}`;
  const birth = new Date(Date.now() - 70 * 86400000).toISOString().slice(0, 10);
  await api.call('POST', '/v1/puppies', {
    token: staffSession.token,
    json: { name: fresh, breed: 'beagle', sex: 'female', birth_date: birth, colour: 'Lemon and white', adoption_fee_cents: 17500 },
  });

  // Later (a fresh load), from Account: Browse asks for exactly the saved filters, and the new puppy is marked.
  await openApp('/');
  await tab('Account');
  await page.getByRole('link', { name: 'Saved searches: 1', exact: true }).filter({ visible: true }).first().click();
  const browsed = page.waitForRequest((r) => {
    const url = new URL(r.url());
    return url.pathname === '/v1/puppies' && url.searchParams.get('breed') === 'beagle' && url.searchParams.get('sex') === 'female';
  });
  await savedSearchRow(name).getByRole('button', { name: `Open ${name}` }).click();
  await browsed;
  await page.getByRole('heading', { name, exact: true }).filter({ visible: true }).first().waitFor();
  await byLabel('Filters, 2 active').waitFor();
  const marked = page.locator('[data-testid="puppy-card"]:visible').filter({ hasText: fresh }).first();
  await marked.locator('[data-testid="new-badge"]').waitFor();
  const label = await marked.getAttribute('aria-label');
  if (!label.startsWith(`${fresh}, new since your last visit, Beagle`)) throw new Error(`the new puppy's card reads "${label}"`);
  const badges = await page.locator('[data-testid="new-badge"]:visible').count();
  if (badges !== 1) throw new Error(`${badges} puppies are marked new, not the one listed since the last visit`);
  await shot('saved-search-new');

  // Rename, pause, delete.
  await page.getByRole('link', { name: 'Saved searches', exact: true }).filter({ visible: true }).first().click();
  await savedSearchRow(name).getByRole('button', { name: `Rename ${name}` }).click();
  const renamed = `Beagle girls ${stamp}`;
  await byLabel('New name').fill(renamed);
  await byLabel(`Save the new name of ${name}`).click();
  const after = savedSearchRow(renamed);
  await after.getByRole('button', { name: `Pause ${renamed}` }).click();
  await after.getByText('Paused', { exact: true }).waitFor();
  await after.getByRole('button', { name: `Resume ${renamed}` }).waitFor();
  const [paused] = (await api.call('GET', '/v1/me/saved-searches', { token: seekerSession.token })).items;
  if (paused.name !== renamed || paused.paused !== true) throw new Error(`the API has ${JSON.stringify(paused)}`);
  await shot('saved-search-paused');
  await after.getByRole('button', { name: `Delete ${renamed}` }).click();
  await byLabel(`Yes, delete ${renamed}`).click();
  await page.getByRole('heading', { name: 'No saved searches yet' }).filter({ visible: true }).first().waitFor();
  const left = (await api.call('GET', '/v1/me/saved-searches', { token: seekerSession.token })).items;
  if (left.length !== 0) throw new Error(`the API still has ${left.length} saved searches`);
  // Browse keeps the filters but no longer names the deleted search.
  await page.getByRole('button', { name: 'Back', exact: true }).filter({ visible: true }).first().click();
  await card().waitFor();
  await byLabel('Filters, 2 active').waitFor();
  if (await page.getByRole('heading', { name: renamed, exact: true }).filter({ visible: true }).count()) throw new Error('Browse still names the deleted search');
});

scenario('new-match alerts on the web: Email or Off, and the choice stays after a reload', async () => {
  const person = { email: `alerts-${stamp}@example.org`, password: 'new match alerts 1', display_name: 'Alex Alerts' };
  await register(person);
  const session = await api.call('POST', '/v1/auth/login', { json: { email: person.email, password: person.password } });
  await openApp();
  await signIn(person.email, person.password);
  const alerts = () => page.getByRole('radiogroup', { name: 'New matches' }).filter({ visible: true }).first();
  const choices = async () => alerts().getByRole('radio').evaluateAll((radios) => radios.map((r) => `${r.getAttribute('aria-label')}: ${r.getAttribute('aria-checked')}`));
  await alerts().waitFor();
  // Push notifications come to the phone app only; the account's default (push) is explained instead.
  let offered = await choices();
  if (offered.join(', ') !== 'Email: false, Off: false') throw new Error(`the web offers ${offered.join(', ')}, not Email and Off unchosen`);
  await byTestId('new-match-alerts-note').waitFor();
  await shot('new-match-alerts');
  const saved = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/me' && r.request().method() === 'PATCH');
  await alerts().getByRole('radio', { name: 'Email', exact: true }).click();
  if (!(await saved).ok()) throw new Error(`PATCH /v1/me answered ${(await saved).status()}`);
  await alerts().locator('[aria-checked="true"]').getByText('Email', { exact: true }).waitFor();

  // A fresh load: the choice is the account's.
  await openApp('/');
  await tab('Account');
  await alerts().waitFor();
  offered = await choices();
  if (offered.join(', ') !== 'Email: true, Off: false') throw new Error(`after a reload the choices are ${offered.join(', ')}`);
  const me = await api.call('GET', '/v1/me', { token: session.token });
  if (me.new_match_alerts !== 'email') throw new Error(`the API has new_match_alerts ${JSON.stringify(me.new_match_alerts)}`);
});

/** Runs axe on what is on screen; returns the serious and critical violations, described. */
async function axeViolations(name) {
  const result = await new AxeBuilder({ page }).analyze();
  metrics.axe ??= {};
  metrics.axe[name] = result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.impact}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

scenario('accessibility: no serious or critical axe violations on the main screens, light and dark', async () => {
  const reader = { email: `reader-${stamp}@example.org`, password: 'accessible puppies 1', display_name: 'Robin Reader' };
  // A conversation for Messages and the thread screen.
  const { session, puppy: asked } = await adopterWithAnswer(reader, 'Does he like long walks?', 'He does, and naps after them.');
  const [saved] = (await api.call('GET', '/v1/puppies?limit=1')).items;
  await api.call('PUT', `/v1/me/favorites/${saved.id}`, { token: session.token });
  // A saved search, paused, for the saved searches screen.
  const search = await api.call('POST', '/v1/me/saved-searches', { token: session.token, json: { name: 'Beagles near Portland', query: 'breed=beagle&near=45.5152,-122.6784&radius_km=80.467' } });
  await api.call('PATCH', `/v1/me/saved-searches/${search.id}`, { token: session.token, json: { paused: true } });

  const found = [];
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const check = async (name) => {
      await shot(`axe-${name}-${scheme}`);
      found.push(...(await axeViolations(`${name} (${scheme})`)));
    };
    await openApp('/');
    await thumbnailsLoaded();
    await check('browse');
    await byTestId('filters-button').click();
    await byTestId('filters-panel').waitFor();
    await check('filters');

    await page.goto(`${web.url}/puppy/${saved.id}`);
    await byTestId('puppy-detail').getByText(saved.name, { exact: true }).first().waitFor();
    await check('puppy');

    await page.goto(`${web.url}/no/such/page`);
    await page.getByRole('heading', { name: 'Page not found' }).filter({ visible: true }).first().waitFor();
    await check('not-found');

    await openApp('/');
    await signOutOnAccount();
    await byTestId('sign-in-form').waitFor();
    await check('sign-in');

    await signIn(reader.email, reader.password);
    await page.getByRole('link', { name: 'Favourites: 1' }).filter({ visible: true }).first().waitFor();
    await check('account');
    await page.getByRole('link', { name: 'Saved searches: 1' }).filter({ visible: true }).first().click();
    await savedSearchRow('Beagles near Portland').getByText('Paused', { exact: true }).waitFor();
    await check('saved-searches');
    await page.getByRole('button', { name: 'Back', exact: true }).filter({ visible: true }).first().click();
    await byTestId('account-signed-in').waitFor();
    await tab('Favourites');
    await byTestId('favorites-list').getByText(saved.name, { exact: true }).first().waitFor();
    await check('favourites');
    await tab('Messages');
    await threadRow(asked.name).waitFor();
    await check('messages');
    await threadRow(asked.name).click();
    await byTestId('thread').getByText('He does, and naps after them.', { exact: true }).waitFor();
    await check('thread');
    await page.getByRole('button', { name: 'Back', exact: true }).filter({ visible: true }).first().click();
    await threadRow(asked.name).waitFor();

    await signIn(staff.email, staff.password);
    await tab('Staff');
    await byTestId('staff-puppies').waitFor();
    await check('staff');
    await tab('Account');
    await byLabel('Sign out').click();
    await byTestId('sign-in-form').waitFor();
  }
  await page.emulateMedia({ colorScheme: null });
  if (found.length) throw new Error(`axe found serious or critical problems:\n${found.join('\n')}`);
});

// ---------------------------------------------------------------- run
const results = [];
for (const { name, fn } of scenarios) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - started });
    log(`PASS ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
    await shot(`FAILED-${slug}`).catch(() => undefined);
    results.push({ name, ok: false, ms: Date.now() - started, error: String(error?.message ?? error).split('\n')[0] });
    log(`FAIL ${name}: ${String(error?.message ?? error).split('\n').slice(0, 40).join(' | ')}`);
  }
}

await context.close();
await api.stop();
web.server.close();
rmSync(userDataDir, { recursive: true, force: true });

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
metrics.scenarios = results;
writeFileSync(join(artifacts, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
if (consoleErrors.length) writeFileSync(join(artifacts, 'page-errors.txt'), consoleErrors.join('\n') + '\n');
console.log(`web bundle size: ${(bundle.bytes / 1024).toFixed(0)} KiB (${(bundle.gzip / 1024).toFixed(0)} KiB gzip)`);
console.log(`time to first list: ${metrics.time_to_first_list_ms ?? 'not measured'} ms`);
console.log(`e2e: artifacts in ${artifacts}; API log in ${join(work, 'api.log')}`);
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

function bundleSize(dir) {
  const js = join(dir, '_expo', 'static', 'js', 'web');
  let bytes = 0;
  let gzip = 0;
  for (const f of existsSync(js) ? readdirSync(js) : []) {
    if (!f.endsWith('.js')) continue;
    bytes += statSync(join(js, f)).size;
    gzip += gzipSync(readFileSync(join(js, f))).length;
  }
  return { bytes, gzip };
}
