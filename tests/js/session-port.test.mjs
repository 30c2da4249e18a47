// A page session over a fake engine port (no Wasm): the session's pass asks the port which page
// the URL is and which links are issues, and reaches the engine through nothing else.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { PageSession } from '../../www/trackers/annotate.js';

function fakeDocument(href) {
  const listeners = new Map();
  return {
    location: { href },
    defaultView: null,
    body: null,
    documentElement: null,
    querySelectorAll: () => [],
    addEventListener: (type, fn) => listeners.set(type, [...(listeners.get(type) ?? []), fn]),
    dispatchEvent: (ev) => {
      for (const fn of listeners.get(ev.type) ?? []) fn(ev);
      return true;
    },
  };
}

it('runs a pass over a fake port: detectPage and issueLinks come from the port', async () => {
  const calls = [];
  const port = {
    engine: { evaluate: () => [] },
    detectPage: (href) => {
      calls.push(['detectPage', href]);
      return { kind: 'issueList' };
    },
    issueLinks: (hrefs) => {
      calls.push(['issueLinks', hrefs]);
      return hrefs.map(() => '7');
    },
    map: () => assert.fail('nothing to map'),
    applies: () => null,
  };
  let seen = null;
  const adapter = {
    tracker: 'redmine',
    label: 'Redmine',
    targets: (_doc, ctx) => {
      seen = { page: ctx.page, links: ctx.issueLinks(['https://r.test/issues/7']) };
      return [];
    },
    auth: async () => ({}),
    load: async () => assert.fail('nothing to load'),
  };
  const document = fakeDocument('https://r.test/issues?sort=id');
  let annotated = null;
  document.addEventListener('sla-lens:annotated', (e) => {
    annotated = e.detail;
  });
  const session = new PageSession({ adapter, port, document, site: { basePath: '' } });
  await session.start();
  session.stop();
  assert.deepEqual(session.problems, []);
  assert.deepEqual(calls, [
    ['detectPage', 'https://r.test/issues?sort=id'],
    ['issueLinks', ['https://r.test/issues/7']],
  ]);
  assert.deepEqual(seen, { page: { kind: 'issueList' }, links: ['7'] });
  assert.equal(session.api, null, 'the Wasm module was not loaded');
  assert.equal(annotated?.passes, 1);
  assert.equal(annotated?.targets, 0);
});
