/**
 * A browser-like HTTP client for the console: keeps its cookie, sends the same-origin `Origin`
 * a browser sends with a form POST, and reads the CSRF token out of the page.
 */
export interface WebResponse {
  status: number;
  text: string;
  headers: Headers;
}

export interface WebClient {
  cookie: string | undefined;
  get(path: string): Promise<WebResponse>;
  /** A form POST; `headers` override the browser-like defaults (to test what is refused). */
  post(path: string, fields: Record<string, string>, headers?: Record<string, string>): Promise<WebResponse>;
}

export function webClient(baseUrl: string): WebClient {
  const client: WebClient = {
    cookie: undefined,
    async get(path) {
      const res = await fetch(baseUrl + path, { headers: client.cookie ? { cookie: client.cookie } : {}, redirect: 'manual' });
      keepCookie(res);
      return { status: res.status, text: await res.text(), headers: res.headers };
    },
    async post(path, fields, headers = {}) {
      const res = await fetch(baseUrl + path, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: baseUrl,
          ...(client.cookie ? { cookie: client.cookie } : {}),
          ...headers,
        },
        body: new URLSearchParams(fields).toString(),
      });
      keepCookie(res);
      return { status: res.status, text: await res.text(), headers: res.headers };
    },
  };
  function keepCookie(res: Response): void {
    const set = res.headers.get('set-cookie');
    if (set) client.cookie = set.split(';')[0];
  }
  return client;
}

/** The CSRF token of the decision form on a page. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1]!;
}

/** The review ids the list page links to. */
export function reviewIdsOf(html: string): string[] {
  return [...new Set([...html.matchAll(/href="\/reviews\/([A-Za-z0-9_-]+)"/g)].map((m) => m[1]!))];
}

/** Polls until `probe` returns something truthy. */
export async function eventually<T>(probe: () => Promise<T> | T, timeoutMs = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
