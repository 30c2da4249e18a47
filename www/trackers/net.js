// @ts-check
// Fetching a tracker's REST API from inside its pages: bounded retries with backoff for 429 and
// 5xx (honouring Retry-After), a timeout per attempt (AbortController), teardown through an
// AbortSignal, and every failure turned into a `Fault` — a short reason a tooltip can show.
// Nothing here throws for an HTTP or network problem; only an abort by the caller's signal
// rejects (with the signal's reason), so a torn-down page stops quietly.
//
// No DOM and no Wasm: the page integration, the extension and the tests (with a fake `fetch`)
// all use it.

/** Why an issue has no SLA badge: `kind` for code, `reason` (one sentence) for people. */
export class Fault {
  /**
   * @param {'unauthorized'|'forbidden'|'not-found'|'rate-limited'|'server'|'timeout'|'network'|
   *   'malformed'|'shape'|'missing'|'unreadable'|'http'|'redirect'|'too-large'} kind
   * @param {string} reason
   * @param {{ status?: number | null, tries?: number, transient?: boolean }} [extra]
   */
  constructor(kind, reason, extra = {}) {
    this.kind = kind;
    this.reason = reason;
    this.status = extra.status ?? null;
    this.tries = extra.tries ?? 1;
    /** Worth asking again later in the same page view (429, 5xx, timeouts, network). */
    this.transient = extra.transient ?? false;
  }
}

/**
 * The fault of an answer the Rust mapping set aside (`mapResponses().rejected[i]`): every issue it
 * held reads why. The page (annotate.js) and the extension's worker say it the same way.
 * @param {string} label  the tracker's name (`Redmine`)
 * @param {{ code?: string, message?: string }} r
 */
export function rejectedFault(label, r) {
  return new Fault(
    r?.code === 'json-syntax' ? 'malformed' : 'shape',
    `${label}'s answer could not be read: ${r?.message ?? 'unknown shape'}`,
  );
}

/** The request headers that carry a tracker key (Redmine, GitLab, GitHub and Jira tokens). */
export const TOKEN_HEADERS = Object.freeze(['authorization', 'private-token', 'x-redmine-api-key']);

/**
 * The largest answer read, in bytes (32 MiB): a few times the biggest answer sla-lens asks for (a
 * Jira search of 100 issues with their changelogs). A longer one is cut off unread, not parsed.
 */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

class TooLarge extends Error {}

/**
 * The body of `res` as text, read as a stream and given up (the stream cancelled) once it passes
 * `max` bytes, or at once when Content-Length says it will.
 * @param {Response} res
 * @param {number} max
 */
async function readCapped(res, max) {
  const declared = Number(res.headers?.get?.('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel?.().catch(() => {});
    throw new TooLarge();
  }
  const reader = res.body?.getReader?.();
  if (!reader) {
    const text = await res.text();
    if (text.length > max) throw new TooLarge();
    return text;
  }
  const decoder = new TextDecoder();
  let n = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
    if (n > max) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** @type {Record<number, string>} */
const STATUS_TEXT = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** @param {number} n */
const tries = (n) => (n > 1 ? ` (${n} tries)` : '');

/**
 * The fault for an HTTP status that is not a success.
 * @param {number} status
 * @param {string} [tracker]
 * @param {number} [n]  tries
 */
export function statusFault(status, tracker = 'The tracker', n = 1) {
  const line = `${status} ${STATUS_TEXT[status] ?? ''}`.trim();
  if (status === 401) {
    return new Fault(
      'unauthorized',
      `${tracker} asked for a login (${line}): sign in, or give sla-lens an API token in the site settings`,
      { status, tries: n },
    );
  }
  if (status === 403) {
    return new Fault(
      'forbidden',
      `${tracker} refused access (${line}): its REST API may be disabled, or you may not see this issue`,
      { status, tries: n },
    );
  }
  if (status === 404) {
    return new Fault(
      'not-found',
      `${tracker} does not know this issue (${line}): it was deleted or you cannot see it`,
      { status, tries: n },
    );
  }
  if (status === 429) {
    return new Fault(
      'rate-limited',
      `${tracker} is rate limiting requests (${line})${tries(n)}; sla-lens tries again when the page changes`,
      { status, tries: n, transient: true },
    );
  }
  if (status >= 500) {
    return new Fault('server', `${tracker} answered ${line}${tries(n)}; sla-lens tries again when the page changes`, {
      status,
      tries: n,
      transient: true,
    });
  }
  return new Fault('http', `${tracker} answered ${line}`, { status, tries: n });
}

/**
 * Seconds or an HTTP date in `Retry-After` → milliseconds to wait, or null.
 * @param {string | null | undefined} value
 * @param {number} [nowMs]
 */
export function retryAfterMs(value, nowMs = Date.now()) {
  if (value == null || value === '') return null;
  const s = Number(value);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : Math.max(0, t - nowMs);
}

/**
 * Waits `ms`, or rejects with the signal's reason once it aborts.
 * @param {number} ms
 * @param {AbortSignal | null} signal
 * @returns {Promise<void>}
 */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/**
 * A client for one tracker origin: `get(url)` resolves `{ ok: true, text, status }` or
 * `{ ok: false, fault }`. It records the server's clock (`Date` header) against the local one,
 * and counts requests.
 *
 * @typedef {{ ok: true, text: string, status: number, fault?: undefined } | { ok: false, fault: Fault }} Answer
 *   (`fault?: undefined` on the first: the extension's non-strict tsc narrows no `!a.ok`, and
 *   reads `a.fault` then as the second's)
 */
export class Client {
  /**
   * @param {{
   *   fetch?: typeof fetch, headers?: Record<string, string>, signal?: AbortSignal,
   *   timeoutMs?: number, retries?: number, backoffMs?: number, maxBackoffMs?: number,
   *   tracker?: string, now?: () => number, credentials?: RequestCredentials, maxBytes?: number,
   * }} [options]
   */
  constructor(options = {}) {
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.headers = { Accept: 'application/json', ...options.headers };
    this.signal = options.signal ?? null;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.retries = options.retries ?? 2;
    this.backoffMs = options.backoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 8_000;
    this.tracker = options.tracker ?? 'The tracker';
    this.credentials = options.credentials ?? 'same-origin';
    this.localNow = options.now ?? (() => Date.now());
    /** Answers longer than this (bytes) are refused unread (`too-large`). */
    this.maxBytes = options.maxBytes ?? MAX_RESPONSE_BYTES;
    /** Requests sent (each retry counts), and by kind of URL for the benchmark. */
    this.requests = 0;
    /** Server clock minus local clock (ms) from the latest `Date` header, or null. */
    this.skewMs = null;
  }

  /**
   * Adds headers (an API key found later) to every later request.
   * @param {Record<string, string>} headers
   */
  setHeaders(headers) {
    Object.assign(this.headers, headers);
  }

  /**
   * GET `url`. 429 and 5xx are retried after `Retry-After` or an exponential backoff (at most
   * `retries` times); a timeout or a network error once more. Never rejects except on abort.
   * A request carrying a tracker key (`TOKEN_HEADERS`) follows no redirect: the redirect is a
   * `redirect` fault (a cross-origin redirect would take `X-Redmine-API-Key` or `PRIVATE-TOKEN`
   * along; the Fetch standard drops only `Authorization`). An answer over `maxBytes` is a
   * `too-large` fault, its body not read further.
   * @param {string} url
   * @param {{ accept?: string, headers?: Record<string, string>, retries?: number }} [opt]
   * @returns {Promise<Answer>}
   */
  async get(url, opt = {}) {
    const retries = opt.retries ?? this.retries;
    /** @type {Fault | null} */
    let lastFault = null;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (this.signal?.aborted) throw this.signal.reason;
      const ctl = new AbortController();
      const onAbort = () => ctl.abort(this.signal?.reason);
      this.signal?.addEventListener('abort', onAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        ctl.abort(new DOMException('timeout', 'TimeoutError'));
      }, this.timeoutMs);
      let res;
      let text;
      const sent = this.localNow();
      try {
        this.requests += 1;
        const base = opt.accept ? { ...this.headers, Accept: opt.accept } : this.headers;
        const headers = opt.headers ? { ...base, ...opt.headers } : base;
        const keyed = Object.entries(headers).some(([k, v]) => v && TOKEN_HEADERS.includes(k.toLowerCase()));
        res = await this.fetch(url, {
          method: 'GET',
          headers,
          credentials: this.credentials,
          signal: ctl.signal,
          cache: 'no-store',
          ...(keyed ? { redirect: 'manual' } : {}),
        });
        this.#clock(res, sent);
        if (keyed && (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400))) {
          await res.body?.cancel?.().catch(() => {});
          return {
            ok: false,
            fault: new Fault(
              'redirect',
              `${this.tracker} answered with a redirect, which sla-lens does not follow with your key: check the tracker's address (https, base path)`,
              { status: res.status || null },
            ),
          };
        }
        text = await readCapped(res, this.maxBytes);
      } catch (e) {
        if (this.signal?.aborted) throw this.signal.reason;
        if (e instanceof TooLarge) {
          return {
            ok: false,
            fault: new Fault(
              'too-large',
              `${this.tracker}'s answer is larger than ${Math.round(this.maxBytes / 1048576)} MB; sla-lens does not read it`,
              { status: res?.status ?? null },
            ),
          };
        }
        lastFault = timedOut
          ? new Fault(
              'timeout',
              `${this.tracker} did not answer within ${Math.round(this.timeoutMs / 1000)} s${tries(attempt + 1)}`,
              { tries: attempt + 1, transient: true },
            )
          : new Fault(
              'network',
              `${this.tracker} could not be reached (${String(/** @type {{ message?: unknown } | null | undefined} */ (e)?.message ?? e)})${tries(attempt + 1)}`,
              { tries: attempt + 1, transient: true },
            );
        // A timeout or a dropped connection: one more try at most.
        if (attempt < Math.min(retries, 1)) {
          await sleep(this.#backoff(attempt), this.signal);
          continue;
        }
        return { ok: false, fault: lastFault };
      } finally {
        clearTimeout(timer);
        this.signal?.removeEventListener('abort', onAbort);
      }
      if (res.ok) return { ok: true, text, status: res.status };
      lastFault = statusFault(res.status, this.tracker, attempt + 1);
      const again = res.status === 429 || res.status >= 500;
      if (!again || attempt === retries) return { ok: false, fault: lastFault };
      const wait = retryAfterMs(res.headers.get('retry-after'), this.localNow());
      await sleep(Math.min(wait ?? this.#backoff(attempt), this.maxBackoffMs), this.signal);
    }
    // Reached only when no attempt was made (`retries` below 0): a fault, not null.
    return {
      ok: false,
      fault: lastFault ?? new Fault('network', `${this.tracker} was not asked (retries ${retries})`),
    };
  }

  /** @param {number} attempt */
  #backoff(attempt) {
    // Exponential with ±20 % jitter, so that many pages do not retry in step.
    const base = this.backoffMs * 2 ** attempt;
    return Math.min(this.maxBackoffMs, Math.round(base * (0.8 + 0.4 * Math.random())));
  }

  /**
   * The server's clock less ours, from the answer's Date header. The server wrote it somewhere
   * between our request and its answer, truncated to the second: so its clock then read
   * `t + 0.5 s` give or take half a second, and ours the midpoint of the round trip. The estimate
   * is good to half the round trip plus half a second.
   * @param {Response} res
   * @param {number} sent  the local clock when the request went out
   */
  #clock(res, sent) {
    const d = res.headers?.get?.('date');
    if (!d) return;
    const t = Date.parse(d);
    if (Number.isNaN(t)) return;
    const received = this.localNow();
    this.skewMs = Math.round(t + 500 - (sent + received) / 2);
  }
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; results in order. A rejection
 * (only an abort, by this module's contract) stops the rest and rejects.
 * @template T, R
 * @param {T[]} items
 * @param {number} limit
 * @param {(item: T, i: number) => Promise<R>} fn
 * @returns {Promise<R[]>}
 */
export async function pool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  let failed = false;
  async function worker() {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i], i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/**
 * Splits `items` into arrays of at most `size`.
 * @template T
 * @param {T[]} items
 * @param {number} size
 * @returns {T[][]}
 */
export function chunks(items, size) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The ids of `ids` that have the adapter's shape (`adapter.idShape`); each other one is failed on
 * `io` (`malformed`) and never reaches a URL. Adapters call this first in `load`, so neither a
 * page nor the extension's worker (which also refuses a message naming such ids) puts an id that
 * is not a plain issue number or key into a request path.
 * @param {string[]} ids
 * @param {RegExp} shape
 * @param {{ fail: (id: string, fault: Fault) => void }} io
 * @param {string} tracker  its label, for the reason
 */
export function wellFormed(ids, shape, io, tracker) {
  return ids.filter((id) => {
    if (typeof id === 'string' && shape.test(id)) return true;
    io.fail(
      String(id),
      new Fault('malformed', `${JSON.stringify(String(id)).slice(0, 40)} is not a ${tracker} issue id`),
    );
    return false;
  });
}

/**
 * A project path (`owner/repo`, `group/sub/project`) whose every segment is a plain name: letters,
 * digits, `-`, `_` and `.`, and not `.` or `..` (which URL parsing would resolve, leaving the
 * API path the adapter meant). `segments`: how many there must be (GitHub: 2), or at least 1.
 * @param {unknown} path
 * @param {number} [segments]
 * @returns {path is string}
 */
export function isProjectPath(path, segments = 0) {
  if (typeof path !== 'string' || path.length > 1024) return false;
  const parts = path.split('/');
  if (segments && parts.length !== segments) return false;
  return parts.every((p) => /^[A-Za-z0-9_.-]{1,255}$/.test(p) && p !== '.' && p !== '..');
}

/**
 * Parses JSON text, or returns null (the Wasm mapper reports the precise syntax error).
 * @param {string} text
 */
export function tryJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
