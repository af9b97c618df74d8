// The console's calls to the gateway. The session lives in an HttpOnly cookie the page cannot read; the CSRF
// token is kept in memory only and repeated in a header on every state-changing request.

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface Session {
  keyId: string;
  csrfToken: string;
  expiresAt: string;
}

export interface CaseSummary {
  profileId: string;
  userId: string;
  country?: string;
  status: string;
  reviewStatus: number;
  createdAt: string;
  updatedAt: string;
}

export interface CasePage {
  list: CaseSummary[];
  total: number;
  page: number;
  limit: number;
  statusCounts: Record<string, string | number>;
  /** The cursor of the next page; empty on the last page. */
  nextCursor?: string;
  /** When total and statusCounts were counted (large counts are kept a few seconds). */
  countedAt?: string;
}

export interface Filters {
  status: string;
  userId: string;
  createdFrom: string;
  createdTo: string;
  oldestFirst: boolean;
  /** A code of the cases' review reasons, e.g. face_similarity_low; '' for any. */
  unmetRule: string;
  /** none | clear | pending | hit; '' for any. */
  screening: string;
  page: number;
  limit: number;
  /** The nextCursor of the page before: keyset paging, each page as cheap as the first. */
  cursor?: string;
}

export type Json = Record<string, any>;

let csrf = '';

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch('/console/api' + path, {
    method,
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    let message = `The gateway answered ${res.status}`;
    try {
      const e = await res.json();
      if (e && typeof e.error === 'string') message = e.error;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, message);
  }
  return res;
}

export async function currentSession(): Promise<Session | null> {
  try {
    const s = (await (await call('GET', '/session')).json()) as Session;
    csrf = s.csrfToken;
    return s;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function signIn(apiKey: string): Promise<Session> {
  const s = (await (await call('POST', '/session', { apiKey })).json()) as Session;
  csrf = s.csrfToken;
  return s;
}

export async function signOut(): Promise<void> {
  await call('DELETE', '/session');
  csrf = '';
}

export async function listCases(f: Filters): Promise<CasePage> {
  return (await (await call('POST', '/cases', f)).json()) as CasePage;
}

export async function caseDetail(id: string): Promise<Json> {
  return (await (await call('GET', '/cases/' + encodeURIComponent(id))).json()) as Json;
}

export async function submission(id: string): Promise<Json> {
  return (await (await call('GET', '/cases/' + encodeURIComponent(id) + '/submission')).json()) as Json;
}

export async function screening(resourceId: string): Promise<Json> {
  return (await (await call('GET', '/screenings/' + encodeURIComponent(resourceId))).json()) as Json;
}

export interface Decision {
  decision: 'approve' | 'reject' | 'resubmit';
  reason: string;
  remark: string;
  basedOn: string;
}

export async function decide(id: string, d: Decision): Promise<Json> {
  return (await (await call('POST', '/cases/' + encodeURIComponent(id) + '/decision', d)).json()) as Json;
}

/** A case's image through the console's session: the document pages, the selfie, and the portrait the face engine cuts
 * from the document for the face match (never a URL with personal data in it). */
export function imageUrl(id: string, type: 'idImage' | 'idBackImage' | 'selfieImage' | 'portraitImage'): string {
  return '/console/api/cases/' + encodeURIComponent(id) + '/images/' + type;
}

export function reportUrl(resourceId: string): string {
  return '/console/api/screenings/' + encodeURIComponent(resourceId) + '/report.pdf';
}
