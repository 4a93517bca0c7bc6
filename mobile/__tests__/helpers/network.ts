/**
 * A fake network at the fetch boundary: tests declare the responses of the API and
 * the app's real client, retries and error mapping run unchanged on top of it.
 */
export type Reply = { status?: number; body?: unknown; headers?: Record<string, string> } | 'network-error';
type Handler = (request: Request, url: URL) => Reply | Promise<Reply>;
type Route = { method: string; path: string | RegExp; handler: Handler };

export type RecordedCall = { method: string; path: string; url: URL; headers: Headers; credentials: RequestCredentials; body: string | null };

export class FakeApi {
  private routes: Route[] = [];
  readonly calls: RecordedCall[] = [];

  on(method: string, path: string | RegExp, reply: Reply | Reply[] | Handler): this {
    let handler: Handler;
    if (typeof reply === 'function') handler = reply;
    else if (Array.isArray(reply)) {
      // A sequence: each call takes the next reply, the last one repeats.
      const queue = [...reply];
      handler = () => (queue.length > 1 ? queue.shift()! : queue[0]!);
    } else handler = () => reply;
    this.routes.unshift({ method: method.toUpperCase(), path, handler });
    return this;
  }

  count(method: string, path: string | RegExp): number {
    return this.calls.filter((c) => c.method === method.toUpperCase() && matches(path, c.path)).length;
  }

  fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url);
    const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.clone().text();
    this.calls.push({ method: request.method, path: url.pathname, url, headers: request.headers, credentials: request.credentials, body });
    const route = this.routes.find((r) => r.method === request.method && matches(r.path, url.pathname));
    const reply: Reply = route ? await route.handler(request, url) : { status: 404, body: problem(404, 'not_found', 'Not found') };
    if (reply === 'network-error') throw new TypeError('Network request failed');
    const status = reply.status ?? 200;
    const isProblem = status >= 400;
    return new Response(reply.body === undefined || status === 204 ? null : JSON.stringify(reply.body), {
      status,
      headers: { 'Content-Type': isProblem ? 'application/problem+json' : 'application/json', ...reply.headers },
    });
  };
}

function matches(path: string | RegExp, actual: string): boolean {
  return typeof path === 'string' ? path === actual : path.test(actual);
}

export function problem(status: number, code: string, title: string, extra: Record<string, unknown> = {}) {
  return { type: `urn:kennel:problem:${code}`, title, status, code, request_id: 'req-1', ...extra };
}

export function installFakeApi(): FakeApi {
  const api = new FakeApi();
  globalThis.fetch = jest.fn(api.fetch) as unknown as typeof fetch;
  return api;
}
