import { TEST_PASSWORD } from './dashboard-server.js';

/** One answer of the dashboard, read as text. */
export interface HttpPage {
  status: number;
  location: string | null;
  text: string;
}

/**
 * A staff member's session with the dashboard over plain HTTP (no browser): it keeps the cookies
 * and the CSRF token of the last page it read, and posts forms as a browser would.
 */
export interface DashboardHttp {
  get(path: string): Promise<HttpPage>;
  /** Posts a form with the CSRF token of the last page read; redirects are not followed. */
  post(path: string, form: Record<string, string>): Promise<HttpPage>;
  signIn(email: string, password?: string): Promise<void>;
}

export function dashboardHttp(baseUrl: string): DashboardHttp {
  const cookies = new Map<string, string>();
  let csrf = '';
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const read = async (response: Response): Promise<HttpPage> => {
    remember(response);
    const text = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) csrf = token;
    return { status: response.status, location: response.headers.get('location'), text };
  };
  const http: DashboardHttp = {
    get: async (path) =>
      read(await fetch(`${baseUrl}${path}`, { headers: { cookie: cookieHeader() }, redirect: 'manual' })),
    post: async (path, form) =>
      read(
        await fetch(`${baseUrl}${path}`, {
          method: 'POST',
          headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
          redirect: 'manual',
        }),
      ),
    async signIn(email, password = TEST_PASSWORD) {
      await http.get('/dashboard/sign-in');
      const signedIn = await http.post('/dashboard/sign-in', { email, password });
      if (signedIn.status !== 303) throw new Error(`sign-in of ${email} answered ${signedIn.status}`);
    },
  };
  return http;
}
