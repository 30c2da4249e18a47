// @ts-check
// Viewport-lazy mounting, for every JS host (the extension's content script today): badges for
// the issues on screen (and a screen's height around it) at once, the others when their rows
// scroll near, so a 1,000-row list costs the main thread what the visible rows cost. Rows are in
// page order, so the on-screen range is found by binary search: a few position reads (one
// layout, no writes in between), then the writes. Rows off screen wait in chunks of consecutive
// targets, watched by their first and last anchors: a 1,000-row list costs ~80 observations,
// not 1,000. The host places and renders (`show`) and keeps its own MutationObserver out of the
// writes (`writing`).
import { existing, reserve } from './placement.js';

const CHUNK = 25;

/** @typedef {{ id: string, anchor: Element, where: 'append'|'prepend'|'after', heading?: boolean, fixed?: boolean }} Target */

export class LazyMount {
  /**
   * @param {{ document: Document, show: (targets: Target[]) => void, writing: (fn: () => void) => void }} o
   *   `show`: places (and renders) the badges of these targets now; `writing`: runs DOM writes
   *   the host's own observer is not to see
   */
  constructor({ document, show, writing }) {
    this.document = document;
    this.show = show;
    this.writing = writing;
    /** @type {Map<Element, { targets: Target[], watch: Element[], done: boolean }>} watched anchor → its chunk */
    this.pending = new Map();
    /** @type {Set<Element>} anchors whose badge waits */
    this.waiting = new Set();
    /** The last `mount`'s reads and writes (ms), for the benchmark. */
    this.split = { readMs: 0, writeMs: 0 };
    const IO = /** @type {typeof IntersectionObserver} */ (
      /** @type {any} */ (document.defaultView)?.IntersectionObserver ?? globalThis.IntersectionObserver
    );
    this.near = new IO((entries) => this.#near(entries), { rootMargin: '100% 0px' });
  }

  /** @param {IntersectionObserverEntry[]} entries */
  #near(entries) {
    const now = [];
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      const chunk = this.pending.get(e.target);
      if (!chunk || chunk.done) continue;
      chunk.done = true;
      for (const t of chunk.targets) this.waiting.delete(t.anchor);
      for (const a of chunk.watch) {
        this.pending.delete(a);
        this.near.unobserve(a);
      }
      now.push(...chunk.targets.filter((t) => t.anchor.isConnected));
    }
    if (now.length) this.show(now);
  }

  /**
   * Badges for the targets on screen (and a screen around it), the heading and the targets that
   * already have one now; every row's slot now; the other rows' badges when they come near.
   * @param {Target[]} found
   */
  mount(found) {
    const doc = this.document;
    const r0 = performance.now();
    const win = doc.defaultView ?? globalThis.window;
    const vh = win.innerHeight || doc.documentElement.clientHeight;
    const any = !!doc.querySelector('sla-badge.sla-lens');
    const now = [];
    /** @type {Target[]} */
    const rows = [];
    for (const f of found) {
      if (f.heading || (any && existing(f))) now.push(f);
      else if (!this.waiting.has(f.anchor)) rows.push(f);
    }
    const rect = (/** @type {number} */ i) => rows[i].anchor.getBoundingClientRect();
    // First row whose bottom is below -vh, last row whose top is above 2·vh.
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rect(mid).bottom < -vh) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rect(mid).top <= 2 * vh) lo = mid + 1;
      else hi = mid;
    }
    const last = lo; // exclusive
    const r1 = performance.now();
    // Writes: every row's slot (one relayout of the tracker's table, now), the on-screen badges.
    this.writing(() => reserve(doc, rows));
    now.push(...rows.slice(first, last));
    for (const part of [rows.slice(0, first), rows.slice(last)]) {
      for (let i = 0; i < part.length; i += CHUNK) {
        const targets = part.slice(i, i + CHUNK);
        const watch = [...new Set([targets[0].anchor, targets[targets.length - 1].anchor])];
        const chunk = { targets, watch, done: false };
        for (const t of targets) this.waiting.add(t.anchor);
        for (const a of watch) {
          this.pending.set(a, chunk);
          this.near.observe(a);
        }
      }
    }
    this.show(now);
    this.split = { readMs: r1 - r0, writeMs: performance.now() - r1 };
  }

  /** No watching (the page waits in the back/forward cache). */
  pause() {
    this.near.disconnect();
  }

  /** Watching again the rows still waiting for their badges. */
  resume() {
    for (const a of this.pending.keys()) this.near.observe(a);
  }
}
