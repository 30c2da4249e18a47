// @ts-check
// The toolbar popup: for the current tab, the issues found, the counts by state, the nearest
// deadline, the policy's name, and the policy's review cadence ("SLA review due on …").
import { ext, ask } from './lib/chrome.js';
import { escalationItems, escalationLi, shortDuration, stateWord, STATE_ORDER } from '../../www/badge-view.js';

/** An element of popup.html, which has every id asked for here. @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const ORDER = [...STATE_ORDER, 'error'];
const word = (/** @type {string} */ k) => (k === 'error' ? 'error' : stateWord(k));

async function main() {
  const params = new URLSearchParams(location.search);
  /** @type {number | undefined} */
  let tabId = Number(params.get('tab'));
  if (!tabId)
    [{ id: tabId } = /** @type {{ id?: number }} */ ({})] = await ext.tabs.query({ active: true, currentWindow: true });
  const r = await ask({ type: 'tabSummary', tabId });
  $('policy').textContent = r.policy.name;
  $('policy').title = r.policy.name;
  const s = r.summary;
  const found = $('found');
  if (!s) {
    found.className = 'found none';
    found.textContent = r.sites ? 'No SLA badges on this tab.' : 'No tracker configured yet: add one in the options.';
  } else {
    found.textContent = `${s.total + (s.unavailable ?? 0)} issue${s.total + (s.unavailable ?? 0) === 1 ? '' : 's'} on this page`;
    const items = ORDER.filter((k) => s.counts[k]).map((k) => {
      const li = document.createElement('li');
      li.className = `t-${k}`;
      li.textContent = `${s.counts[k]} ${word(k)}`;
      return li;
    });
    if (s.unavailable) {
      const li = document.createElement('li');
      li.className = 't-unavailable';
      li.textContent = `${s.unavailable} unavailable`;
      items.push(li);
    }
    $('counts').replaceChildren(...items);
    if (s.nearest) {
      const left = (s.nearest.at - r.nowMs) / 1000;
      const when = new Date(s.nearest.at).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' });
      $('nearest').textContent =
        `Nearest deadline: #${s.nearest.id}, ${left > 0 ? `in ${shortDuration(left)}` : 'now'} (${when})`;
    } else $('nearest').textContent = 'No running deadline on this page.';
    // Escalations done (their notes record them): `#12: Escalated to Ingrid Vogt 10:05 (note #3)`,
    // the note a link when it has an http(s) URL. Text only.
    const esc = (s.escalated ?? []).flatMap((/** @type {{ id: string, done: unknown }} */ { id, done }) =>
      escalationItems(done, r.nowMs).map((e) => escalationLi(e, { prefix: `#${id}: ` })),
    );
    $('escalated').replaceChildren(...esc);
    $('escalated').hidden = !esc.length;
  }
  const rv = r.policy.review;
  const review = $('review');
  if (rv) {
    review.className = `review${rv.overdue ? ' overdue' : ''}`;
    review.textContent = rv.overdue
      ? `SLA review overdue since ${rv.nextReview}`
      : `SLA review due on ${rv.nextReview}`;
  } else review.hidden = true;
  document.body.dataset.ready = 'true';
}

$('options').addEventListener('click', () => ext.runtime.openOptionsPage());
main();
