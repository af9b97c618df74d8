import { LitElement, html, nothing, type TemplateResult } from 'lit';
import './console.css';
import * as api from './api';
import type { CasePage, CaseSummary, Filters, Json } from './api';

const STATUSES = ['pending', 'incomplete', 'approved', 'rejected'];
const REASONS = [
  'Document unreadable or incomplete',
  'Selfie does not match the document',
  'Data differs from the document',
  'Document expired or not accepted',
  'Screening match confirmed',
  'Suspected fraud',
  'Other',
];

/** The codes of review reasons a case can wait for, as the decision rules write them, with their labels. */
const UNMET_RULES: [string, string][] = [
  ['auto_approve_off', 'Automatic approval turned off'],
  ['user_modified', 'User changed document fields'],
  ['mrz_not_verified', 'MRZ not verified'],
  ['mrz_field_unsure', 'MRZ fields unsure'],
  ['expiry_unknown', 'Expiry date unknown'],
  ['document_expired', 'Document expired'],
  ['face_not_matched', 'Face not compared'],
  ['face_similarity_low', 'Face similarity under threshold'],
  ['liveness_not_passed', 'No passed liveness check'],
  ['liveness_low', 'Liveness under threshold'],
  ['screening_missing', 'Not screened'],
  ['screening_not_clear', 'Screening not clear'],
  ['screening_unavailable', 'Screening unavailable'],
  ['too_many_retry', 'Too many attempts'],
  ['rejected_by_reviewer', 'Rejected by a reviewer'],
];
const SCREENINGS: [string, string][] = [
  ['none', 'Not screened'],
  ['clear', 'Clear'],
  ['pending', 'Possible match'],
  ['hit', 'Match'],
];

type View = 'loading' | 'signin' | 'queue' | 'case';

function pct(v: unknown): string {
  return typeof v === 'number' ? v.toFixed(1) : '—';
}

function when(v: unknown): string {
  return typeof v === 'string' && v ? v.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC') : '—';
}

function label(key: string): string {
  return key.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

function show(v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** How the case page names a reviewer's decision. */
const DECISIONS: Record<string, string> = {
  approved: 'approved',
  rejected: 'rejected',
  reset: 'reset to pending',
  resubmission_requested: 'resubmission requested',
};

/** The timestamps of a liveness action's deciding frames, in ms into its video. */
function frames(v: unknown): string {
  const list = Array.isArray(v) ? v.map((x) => Number(x)).filter((x) => Number.isFinite(x)) : [];
  return list.length ? list.map((ms) => `${ms} ms`).join(' · ') : '—';
}

/** The reviewer console: sign-in, the queue of cases, one case and its decision. */
class ConsoleApp extends LitElement {
  static properties = {
    view: { state: true },
    error: { state: true },
    notice: { state: true },
    page: { state: true },
    selected: { state: true },
    detail: { state: true },
    screeningData: { state: true },
    submissionData: { state: true },
    decision: { state: true },
    busy: { state: true },
  };

  view: View = 'loading';
  error = '';
  notice = '';
  session: api.Session | null = null;
  filters: Filters = {
    status: 'pending', userId: '', createdFrom: '', createdTo: '', oldestFirst: true, unmetRule: '', screening: '',
    page: 1, limit: 20,
  };
  /** The cursors of the pages before the current one (keyset paging): Previous goes back one. */
  cursors: (string | undefined)[] = [];
  page: CasePage | null = null;
  selected = 0;
  detail: Json | null = null;
  screeningData: Json | null = null;
  submissionData: Json | null = null;
  decision: 'approve' | 'reject' | 'resubmit' | '' = '';
  busy = false;

  // Light DOM: the page's stylesheet applies and the reviewer's tools (and tests) see one document.
  createRenderRoot() {
    return this;
  }

  connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKey);
    window.addEventListener('hashchange', this.route);
    void this.start();
  }

  disconnectedCallback(): void {
    window.removeEventListener('keydown', this.onKey);
    window.removeEventListener('hashchange', this.route);
    super.disconnectedCallback();
  }

  private async start() {
    try {
      this.session = await api.currentSession();
    } catch (e) {
      this.error = (e as Error).message;
    }
    if (!this.session) {
      this.view = 'signin';
      return;
    }
    await this.route();
  }

  private route = async () => {
    if (!this.session) {
      this.view = 'signin';
      return;
    }
    const m = /^#\/case\/([A-Za-z0-9_-]+)$/.exec(location.hash);
    if (m) {
      await this.openCase(m[1]);
    } else {
      this.view = 'queue';
      this.detail = null;
      await this.loadQueue();
    }
  };

  private fail(e: unknown) {
    if (e instanceof api.ApiError && e.status === 401) {
      this.session = null;
      this.view = 'signin';
    }
    this.error = (e as Error).message;
  }

  /** Loads a page of the queue; the filters and the cursors before it change only with the page they show. */
  private async loadQueue(filters: Filters = this.filters, cursors: (string | undefined)[] = this.cursors) {
    this.error = '';
    try {
      const page = await api.listCases(filters);
      this.filters = filters;
      this.cursors = cursors;
      this.page = page;
      this.selected = Math.min(this.selected, Math.max(0, page.list.length - 1));
    } catch (e) {
      this.fail(e);
    }
  }

  private async openCase(id: string) {
    this.error = '';
    this.view = 'case';
    this.detail = null;
    this.screeningData = null;
    this.submissionData = null;
    this.decision = '';
    try {
      const [detail, submission] = await Promise.all([api.caseDetail(id), api.submission(id).catch(() => null)]);
      this.detail = detail;
      this.submissionData = submission;
      const rid = this.detail.screeningResourceId as string | undefined;
      if (rid) {
        try {
          this.screeningData = await api.screening(rid);
        } catch {
          this.screeningData = null;
        }
      }
      const i = this.page?.list.findIndex((c) => c.profileId === id) ?? -1;
      if (i >= 0) this.selected = i;
      await this.updateComplete;
      this.querySelector<HTMLElement>('h1')?.focus();
    } catch (e) {
      this.fail(e);
    }
  }

  private onKey = (ev: KeyboardEvent) => {
    const t = ev.target as HTMLElement | null;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
    if (this.view !== 'queue' && this.view !== 'case') return;
    const list = this.page?.list ?? [];
    if (ev.key === 'j' || ev.key === 'k') {
      if (!list.length) return;
      const next = ev.key === 'j' ? Math.min(list.length - 1, this.selected + 1) : Math.max(0, this.selected - 1);
      this.selected = next;
      ev.preventDefault();
      if (this.view === 'case') {
        location.hash = '#/case/' + list[next].profileId;
      } else {
        void this.updateComplete.then(() => this.querySelector<HTMLElement>(`[data-row="${next}"] a`)?.focus());
      }
    } else if (this.view === 'case' && (ev.key === 'a' || ev.key === 'r')) {
      ev.preventDefault();
      this.decision = ev.key === 'a' ? 'approve' : 'reject';
      void this.updateComplete.then(() =>
        this.querySelector<HTMLElement>(ev.key === 'a' ? '#remark' : '#reason')?.focus(),
      );
    }
  };

  private async onSignIn(ev: Event) {
    ev.preventDefault();
    const form = ev.target as HTMLFormElement;
    const input = form.querySelector<HTMLInputElement>('#api-key')!;
    this.busy = true;
    this.error = '';
    try {
      this.session = await api.signIn(input.value);
      input.value = '';
      await this.route();
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private async onSignOut() {
    try {
      await api.signOut();
    } catch {
      /* signed out either way */
    }
    this.session = null;
    this.page = null;
    this.detail = null;
    this.view = 'signin';
    location.hash = '';
  }

  private async onFilter(ev: Event) {
    ev.preventDefault();
    const f = ev.target as HTMLFormElement;
    const v = (id: string) => f.querySelector<HTMLInputElement | HTMLSelectElement>('#' + id)!.value;
    const filters = {
      ...this.filters,
      status: v('f-status'),
      userId: v('f-user'),
      createdFrom: v('f-from'),
      createdTo: v('f-to'),
      oldestFirst: v('f-order') === 'oldest',
      unmetRule: v('f-rule'),
      screening: v('f-screening'),
      page: 1,
      cursor: undefined,
    };
    this.selected = 0;
    await this.loadQueue(filters, []);
  }

  /** Next page from the answer's cursor, previous from the cursor kept for it: no page is counted from 1 again. */
  private async goPage(delta: number) {
    this.selected = 0;
    if (delta > 0) {
      if (!this.page?.nextCursor) return;
      await this.loadQueue({ ...this.filters, cursor: this.page.nextCursor }, [...this.cursors, this.filters.cursor]);
    } else {
      if (!this.cursors.length) return;
      const back = this.cursors[this.cursors.length - 1];
      await this.loadQueue({ ...this.filters, cursor: back }, this.cursors.slice(0, -1));
    }
  }

  private async onDecide(ev: Event) {
    ev.preventDefault();
    if (!this.detail) return;
    const f = ev.target as HTMLFormElement;
    const remark = f.querySelector<HTMLTextAreaElement>('#remark')!.value.trim();
    const reason = f.querySelector<HTMLSelectElement>('#reason')?.value ?? '';
    if (!this.decision) {
      this.error = 'Choose approve, reject or request resubmission';
      return;
    }
    if (!remark) {
      this.error = 'A remark is required for every decision';
      f.querySelector<HTMLTextAreaElement>('#remark')!.focus();
      return;
    }
    const profile = this.detail.profile as CaseSummary;
    this.busy = true;
    this.error = '';
    try {
      const r = await api.decide(profile.profileId, {
        decision: this.decision,
        reason,
        remark,
        basedOn: profile.updatedAt,
      });
      const kind = DECISIONS[r.decision as string];
      this.notice = `Decision recorded${kind ? ` (${kind})` : ''}: ${r.fromStatus} → ${r.toStatus}`;
      await this.openCase(profile.profileId);
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
    }
  }

  render(): TemplateResult {
    return html`
      <header class="bar">
        <span class="brand">OpenKYC reviewer console</span>
        ${this.session
          ? html`<nav aria-label="Console">
              <a href="#/">Queue</a>
              <span class="key">Signed in with ${this.session.keyId}</span>
              <button type="button" @click=${this.onSignOut}>Sign out</button>
            </nav>`
          : nothing}
      </header>
      <main id="main">
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        ${this.notice && this.view === 'case' ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
        ${this.view === 'signin' ? this.renderSignIn() : nothing}
        ${this.view === 'queue' ? this.renderQueue() : nothing}
        ${this.view === 'case' ? this.renderCase() : nothing}
        ${this.view === 'loading' ? html`<p>Loading…</p>` : nothing}
      </main>
    `;
  }

  private renderSignIn() {
    return html`
      <h1>Sign in</h1>
      <form class="card signin" @submit=${this.onSignIn}>
        <label for="api-key">Admin API key</label>
        <input id="api-key" name="api-key" type="password" autocomplete="off" required spellcheck="false" />
        <p class="hint">The key stays on the gateway for this session; the browser keeps only a session cookie.</p>
        <button type="submit" ?disabled=${this.busy}>Sign in</button>
      </form>
    `;
  }

  private renderQueue() {
    const p = this.page;
    const f = this.filters;
    const counts = p?.statusCounts ?? {};
    const pages = p ? Math.max(1, Math.ceil(p.total / p.limit)) : 1;
    const pageNo = this.cursors.length + 1;
    return html`
      <h1 tabindex="-1">Cases to review</h1>
      <ul class="counts" aria-label="Cases per status">
        ${STATUSES.map((s) => html`<li><span class="badge ${s}">${s}</span> <strong data-count=${s}>${show(counts[s] ?? 0)}</strong></li>`)}
      </ul>
      <form class="card filters" @submit=${this.onFilter} aria-label="Filters">
        <div><label for="f-status">Status</label>
          <select id="f-status">
            <option value="" ?selected=${f.status === ''}>Any</option>
            ${STATUSES.map((s) => html`<option value=${s} ?selected=${f.status === s}>${s}</option>`)}
          </select></div>
        <div><label for="f-rule">Waiting because</label>
          <select id="f-rule">
            <option value="" ?selected=${f.unmetRule === ''}>Any reason</option>
            ${UNMET_RULES.map(([code, text]) => html`<option value=${code} ?selected=${f.unmetRule === code}>${text}</option>`)}
          </select></div>
        <div><label for="f-screening">Screening</label>
          <select id="f-screening">
            <option value="" ?selected=${f.screening === ''}>Any result</option>
            ${SCREENINGS.map(([code, text]) => html`<option value=${code} ?selected=${f.screening === code}>${text}</option>`)}
          </select></div>
        <div><label for="f-user">User id</label><input id="f-user" .value=${f.userId} autocomplete="off" /></div>
        <div><label for="f-from">Created from</label><input id="f-from" type="date" .value=${f.createdFrom} /></div>
        <div><label for="f-to">Created to</label><input id="f-to" type="date" .value=${f.createdTo} /></div>
        <div><label for="f-order">Order</label>
          <select id="f-order">
            <option value="oldest" ?selected=${f.oldestFirst}>Oldest first</option>
            <option value="newest" ?selected=${!f.oldestFirst}>Newest first</option>
          </select></div>
        <div class="actions"><button type="submit">Apply filters</button></div>
      </form>
      ${p
        ? html`
            <table class="queue">
              <caption>${p.total} case${p.total === 1 ? '' : 's'}, page ${pageNo} of ${pages}. Keys: j / k next / previous.</caption>
              <thead><tr><th scope="col">Case</th><th scope="col">User id</th><th scope="col">Country</th>
                <th scope="col">Status</th><th scope="col">Created</th><th scope="col">Updated</th></tr></thead>
              <tbody>
                ${p.list.map(
                  (c, i) => html`<tr data-row=${i} class=${i === this.selected ? 'selected' : ''}>
                    <td><a href=${'#/case/' + c.profileId}>${c.profileId}</a></td>
                    <td>${show(c.userId)}</td><td>${show(c.country)}</td>
                    <td><span class="badge ${c.status}">${c.status}</span></td>
                    <td>${when(c.createdAt)}</td><td>${when(c.updatedAt)}</td></tr>`,
                )}
                ${p.list.length === 0 ? html`<tr><td colspan="6">No case matches these filters.</td></tr>` : nothing}
              </tbody>
            </table>
            <nav class="pager" aria-label="Pages">
              <button type="button" ?disabled=${pageNo <= 1} @click=${() => this.goPage(-1)}>Previous page</button>
              <button type="button" ?disabled=${!p.nextCursor} @click=${() => this.goPage(1)}>Next page</button>
              ${p.countedAt ? html`<span class="hint" data-testid="counted-at">Counted at ${when(p.countedAt)}</span>` : nothing}
            </nav>`
        : html`<p>Loading…</p>`}
    `;
  }

  private renderCase() {
    const d = this.detail;
    if (!d) return html`<p>Loading…</p>`;
    const p = d.profile as CaseSummary;
    const st = (d.status ?? {}) as Json;
    const docs = (d.documents ?? []) as Json[];
    const history = (d.history ?? []) as Json[];
    const threshold = d.faceMatchThreshold as number | undefined;
    const attempts = ((this.submissionData?.kyc?.attempts ?? []) as Json[]);
    const last = attempts.length ? attempts[attempts.length - 1] : null;
    const score = (st.faceMatchScore ?? last?.faceSimilarityScore) as number | undefined;
    const liveness = (st.livenessConfidence ?? last?.livenessScore) as number | undefined;
    const matchDecision = (st.faceMatchDecision as string | undefined)
      ?? (typeof score === 'number' && typeof threshold === 'number' ? (score >= threshold ? 'match' : 'no_match') : undefined);
    const submitted = (this.submissionData?.data ?? null) as Json | null;
    const hidden = (ev: Event) => ((ev.target as HTMLElement).closest('figure')!.hidden = true);
    return html`
      <h1 tabindex="-1">Case ${p.profileId}</h1>
      <dl class="facts">
        <div><dt>Status</dt><dd><span class="badge ${p.status}" data-testid="case-status">${p.status}</span></dd></div>
        <div><dt>User id</dt><dd>${show(p.userId)}</dd></div>
        <div><dt>Country</dt><dd>${show(p.country)}</dd></div>
        <div><dt>Created</dt><dd>${when(p.createdAt)}</dd></div>
        <div><dt>Updated</dt><dd>${when(p.updatedAt)}</dd></div>
        <div><dt>Waiting because</dt><dd data-testid="waiting-because">${((st.reviewReasons ?? []) as string[]).map((r) => (r === 'resubmission_requested' ? 'resubmission requested: the user submits again' : r)).join(', ') || '—'}</dd></div>
      </dl>
      <div class="columns">
        <section class="card" aria-labelledby="h-faces">
          <h2 id="h-faces">Document and selfie</h2>
          <h3>Face match</h3>
          <div class="faces match">
            ${d.portraitAvailable
              ? html`<figure><img src=${api.imageUrl(p.profileId, 'portraitImage')} alt="Portrait cut from the document" @error=${hidden} /><figcaption>Portrait on the document (as compared)</figcaption></figure>`
              : html`<p class="hint" data-testid="no-portrait">No face match was measured: no document portrait was compared yet.</p>`}
            <figure><img src=${api.imageUrl(p.profileId, 'selfieImage')} alt="Selfie" @error=${hidden} /><figcaption>Selfie</figcaption></figure>
            <dl class="facts score">
              <div><dt>Face match score</dt><dd data-testid="face-score" class=${matchDecision === 'no_match' ? 'bad' : ''}>${pct(score)}</dd></div>
              <div><dt>Threshold</dt><dd data-testid="face-threshold">${pct(threshold)}</dd></div>
              <div><dt>Face match</dt><dd class=${matchDecision === 'no_match' ? 'bad' : ''}>${show(matchDecision)}</dd></div>
            </dl>
          </div>
          <h3>Document pages</h3>
          <div class="faces">
            <figure><img src=${api.imageUrl(p.profileId, 'idImage')} alt="Document front" @error=${hidden} /><figcaption>Document front</figcaption></figure>
            <figure><img src=${api.imageUrl(p.profileId, 'idBackImage')} alt="Document back" @error=${hidden} /><figcaption>Document back</figcaption></figure>
          </div>
          <dl class="facts">
            <div><dt>Liveness</dt><dd data-testid="liveness">${show(st.livenessResult)} (${pct(liveness)}; threshold ${pct(d.livenessThreshold)}) at ${when(st.livenessAt)}</dd></div>
          </dl>
          ${this.renderLiveness(d)}
        </section>
        ${this.renderDecide(p)}
      </div>
      ${docs.map((doc, i) => this.renderDocument(doc, i))}
      ${submitted
        ? html`<section class="card" aria-labelledby="h-submitted">
            <h2 id="h-submitted">Data the user submitted</h2>
            <dl class="facts">
              ${Object.entries(submitted).map(([k, v]) => html`<div><dt>${label(k)}</dt><dd>${show(v)}</dd></div>`)}
            </dl>
          </section>`
        : nothing}
      <section class="card" aria-labelledby="h-attempts">
        <h2 id="h-attempts">Attempts</h2>
        <table class="attempts">
          <thead><tr><th scope="col">Attempt</th><th scope="col">Face similarity</th><th scope="col">Liveness</th>
            <th scope="col">Result</th><th scope="col">Registry</th><th scope="col">Confirmed name</th><th scope="col">Message</th></tr></thead>
          <tbody>
            ${attempts.map((a) => html`<tr><td>${show(a.attemptCnt)}</td><td>${show(a.faceSimilarityScore)}</td><td>${show(a.livenessScore)}</td>
              <td>${show(a.verificationResult)}</td><td>${show(a.registryCheck)}</td><td>${show(a.verificationParams?.fullName)}</td><td>${show(a.retryMsg)}</td></tr>`)}
            ${attempts.length === 0 ? html`<tr><td colspan="7">No attempt recorded.</td></tr>` : nothing}
          </tbody>
        </table>
      </section>
      ${this.renderScreening(d)}
      <section class="card" aria-labelledby="h-audit">
        <h2 id="h-audit">Audit trail</h2>
        <table class="audit">
          <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Decision</th><th scope="col">Remark</th></tr></thead>
          <tbody>
            ${history.map((h) => html`<tr><td>${when(h.changedAt)}</td><td>${show(h.actor)}</td><td>${show(h.fromStatus)}</td><td>${show(h.toStatus)}</td><td>${show(DECISIONS[h.decision as string] ?? h.decision)}</td><td>${show(h.remark)}</td></tr>`)}
            ${history.length === 0 ? html`<tr><td colspan="6">No status change yet.</td></tr>` : nothing}
          </tbody>
        </table>
      </section>
    `;
  }

  private renderLiveness(d: Json) {
    const check = (d.liveness ?? null) as Json | null;
    if (!check) return html`<p class="hint" data-testid="no-liveness-actions">No challenge-video liveness check for this case.</p>`;
    const actions = (check.actions ?? []) as Json[];
    return html`
      <table class="liveness">
        <caption>Liveness check ${show(check.result)} (${pct(check.confidence)}) at ${when(check.checkedAt)}, action by action.
          Deciding frames are milliseconds into each video: baseline, peak of the action, return.</caption>
        <thead><tr><th scope="col">Video</th><th scope="col">Action</th><th scope="col">Result</th><th scope="col">Score</th><th scope="col">Deciding frames</th></tr></thead>
        <tbody>
          ${actions.map((a, n) => html`<tr data-action=${show(a.action)}><td>${n + 1}</td><td>${label(String(a.action ?? '').toLowerCase())}</td>
            <td class=${a.passed ? '' : 'bad'}>${a.passed ? 'passed' : `failed: ${label(String(a.reason ?? '').toLowerCase())}`}</td>
            <td>${pct(a.score)}</td><td data-testid="frames">${frames(a.decidingFramesMs)}</td></tr>`)}
          ${actions.length === 0 ? html`<tr><td colspan="5">This check was recorded without its actions.</td></tr>` : nothing}
        </tbody>
      </table>
    `;
  }

  private renderDocument(doc: Json, i: number) {
    const ocr = (doc.ocrFields ?? {}) as Json;
    const confirmed = (doc.confirmedFields ?? null) as Json | null;
    const keys = Array.from(new Set([...Object.keys(ocr), ...Object.keys(confirmed ?? {})]));
    const quality = (doc.quality ?? {}) as Json;
    const submission = doc.source === 'submission';
    const differing = keys.filter((k) => confirmed !== null && confirmed[k] !== undefined && show(ocr[k]) !== show(confirmed[k]));
    return html`
      <section class="card" aria-labelledby=${'h-doc-' + i} data-source=${show(doc.source)}>
        <h2 id=${'h-doc-' + i}>Document ${i + 1}: ${show(doc.docType)} (${show(doc.country)})${submission ? ' — read in step 1 of the submission' : ''}</h2>
        <p>MRZ: <strong>${show(doc.mrzStatus)}</strong> · status ${show(doc.status)} · uploaded ${when(doc.createdAt)}
          ${doc.userModified || differing.length ? html` · <strong class="bad" data-testid="fields-differ">the user changed fields read from the document (${differing.map(label).join(', ')})</strong>` : nothing}</p>
        <table class="fields">
          <thead><tr><th scope="col">Field</th><th scope="col">Read from the document</th>
            <th scope="col">${submission ? 'Confirmed by the user in step 2' : 'Confirmed by the user'}</th></tr></thead>
          <tbody>
            ${keys.map((k) => {
              const a = show(ocr[k]);
              const b = confirmed ? show(confirmed[k]) : '—';
              const differs = differing.includes(k);
              return html`<tr class=${differs ? 'differs' : ''} data-field=${k}><th scope="row">${label(k)}</th><td>${a}</td>
                <td>${b}${differs ? html` <span class="tag">differs</span>` : nothing}</td></tr>`;
            })}
            ${keys.length === 0 ? html`<tr><td colspan="3">No field was read from this document.</td></tr>` : nothing}
          </tbody>
        </table>
        ${confirmed === null ? html`<p class="hint">The user has not confirmed these fields yet.</p>` : nothing}
        <h3>Quality</h3>
        <dl class="facts">
          ${Object.entries(quality).map(([k, v]) => html`<div><dt>${label(k)}</dt><dd>${show(v)}</dd></div>`)}
        </dl>
      </section>
    `;
  }

  private renderScreening(d: Json) {
    const rid = d.screeningResourceId as string | undefined;
    const s = this.screeningData;
    const candidates = ((s?.candidates ?? []) as Json[]);
    return html`
      <section class="card" aria-labelledby="h-screening">
        <h2 id="h-screening">Screening</h2>
        <p>Result: <strong data-testid="screening-result">${show(d.screeningResult)}</strong>
          ${s ? html` · best score ${show(s.bestScore)} (hit at ${show(s.threshold)})` : nothing}
          ${rid ? html` · <a href=${api.reportUrl(rid)} download>PDF report</a>` : nothing}</p>
        ${candidates.length
          ? html`<table class="candidates">
              <thead><tr><th scope="col">Listed name</th><th scope="col">List</th><th scope="col">Score</th><th scope="col">Why</th></tr></thead>
              <tbody>${candidates.map((c) => html`<tr><td>${show(c.listedName)}</td><td>${show(c.listSource)}</td><td>${show(c.score)}</td>
                <td><ul>${((c.breakdown ?? []) as Json[]).map((b) => html`<li>${show(b.feature)}: ${show(b.contribution)} — ${show(b.explanation)}</li>`)}</ul></td></tr>`)}
              </tbody></table>`
          : html`<p>No candidate at or above the review floor.</p>`}
      </section>
    `;
  }

  private renderDecide(p: CaseSummary) {
    const choice = (v: 'approve' | 'reject' | 'resubmit', text: string, key: string) => html`
      <label class="choice"><input type="radio" name="decision" value=${v} .checked=${this.decision === v}
        @change=${() => (this.decision = v)} /> ${text} ${key ? html`<kbd>${key}</kbd>` : nothing}</label>`;
    return html`
      <section class="card decide" aria-labelledby="h-decide">
        <h2 id="h-decide">Decision</h2>
        <form @submit=${this.onDecide}>
          <fieldset>
            <legend>Outcome</legend>
            ${choice('approve', 'Approve', 'a')}
            ${choice('reject', 'Reject', 'r')}
            ${choice('resubmit', 'Request resubmission', '')}
          </fieldset>
          ${this.decision === 'reject'
            ? html`<label for="reason">Reason</label>
                <select id="reason" required>${REASONS.map((r) => html`<option>${r}</option>`)}</select>`
            : nothing}
          ${this.decision === 'resubmit'
            ? html`<p class="hint" data-testid="resubmit-hint">The case goes back to the user (incomplete) with your remark; the user submits again and the attempts count afresh.</p>`
            : nothing}
          <label for="remark">Remark (required)</label>
          <textarea id="remark" rows="3" required maxlength="900"></textarea>
          <p class="hint">Based on the case as updated ${when(p.updatedAt)}; if it changed since, the decision is refused.</p>
          <button type="submit" ?disabled=${this.busy}>Record decision</button>
        </form>
      </section>
    `;
  }
}

customElements.define('okyc-console', ConsoleApp);
