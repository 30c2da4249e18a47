// The engine port of the page session (www/trackers/port.js) over a fake Wasm module: the seam
// a second implementation (the extension's worker over messages) is to fill. No Wasm here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wasmPort } from '../../www/trackers/port.js';
import { Fault } from '../../www/trackers/net.js';

function fakeApi(over = {}) {
  const calls = [];
  return {
    calls,
    detectPage: (tracker, path, site) => {
      calls.push(['detectPage', tracker, path, site]);
      return { kind: 'issueList' };
    },
    issueLinks: (tracker, hrefs) => {
      calls.push(['issueLinks', tracker, hrefs]);
      return hrefs.map((h) => h.match(/\/issues\/(\d+)$/)?.[1] ?? null);
    },
    mapResponses: (tracker, texts) => {
      calls.push(['mapResponses', tracker, texts]);
      return {
        tickets: [{ id: 1 }, { id: 2 }],
        errors: [
          { id: 3, message: 'bad status', path: 'issues[2].status' },
          { id: null, message: 'ignored' },
        ],
        rejected: [{ input: 1, kind: 'notJson', message: 'not JSON' }],
      };
    },
    ...over,
  };
}

const engine = {
  evaluate: (tickets, t) =>
    tickets.map((x) => ({ id: x.id, evaluation: { applicability: { kind: x.id === 1 ? 'applies' : 'excluded' } }, t })),
};
const port = (api, errors = []) =>
  wasmPort({
    api,
    engine,
    tracker: 'redmine',
    label: 'Redmine',
    site: 'https://r.test',
    now: () => 1000,
    onError: (w, e) => errors.push([w, String(e?.message ?? e)]),
  });

describe('wasmPort', () => {
  it('detects the page from the path and query of the href, with the site', () => {
    const api = fakeApi();
    assert.deepEqual(port(api).detectPage('https://r.test/issues?sort=id#top'), { kind: 'issueList' });
    assert.deepEqual(api.calls[0], ['detectPage', 'redmine', '/issues?sort=id', 'https://r.test']);
  });

  it('says null for a page it cannot detect, and reports the error', () => {
    const errors = [];
    const api = fakeApi({
      detectPage: () => {
        throw new Error('boom');
      },
    });
    assert.equal(port(api, errors).detectPage('https://r.test/x'), null);
    assert.deepEqual(errors, [['detect', 'boom']]);
  });

  it('resolves issue links in one call, none for no links, nulls when the engine throws', () => {
    const api = fakeApi();
    const p = port(api);
    assert.deepEqual(p.issueLinks([]), []);
    assert.equal(api.calls.length, 0);
    assert.deepEqual(p.issueLinks(['https://r.test/issues/7', 'https://r.test/news']), ['7', null]);
    const errors = [];
    const bad = port(
      fakeApi({
        issueLinks: () => {
          throw new Error('nope');
        },
      }),
      errors,
    );
    assert.deepEqual(bad.issueLinks(['a', 'b']), [null, null]);
    assert.deepEqual(errors, [['links', 'nope']]);
  });

  it('maps answers to tickets, per-issue faults and rejected answers by position', () => {
    const m = port(fakeApi()).map(['{"issues":[]}', 'oops']);
    assert.deepEqual([...m.tickets.keys()], ['1', '2']);
    assert.deepEqual([...m.errors.keys()], ['3']);
    assert.ok(m.errors.get('3') instanceof Fault);
    assert.match(
      m.errors.get('3').reason,
      /Redmine's data for this issue cannot be read: bad status \(at issues\[2\]\.status\)/,
    );
    assert.deepEqual([...m.rejected.keys()], [1]);
    assert.ok(m.rejected.get(1) instanceof Fault);
  });

  it('maps nothing without a call, and sets every answer aside when mapping throws', () => {
    const api = fakeApi();
    const empty = port(api).map([]);
    assert.equal(api.calls.length, 0);
    assert.equal(empty.tickets.size + empty.errors.size + empty.rejected.size, 0);
    const errors = [];
    const m = port(
      fakeApi({
        mapResponses: () => {
          throw new Error('wasm trap');
        },
      }),
      errors,
    ).map(['a', 'b']);
    assert.deepEqual([...m.rejected.keys()], [0, 1]);
    assert.equal(m.rejected.get(0).kind, 'unreadable');
    assert.match(m.rejected.get(1).reason, /could not map Redmine's answers: wasm trap/);
    assert.deepEqual(errors, [['map', 'wasm trap']]);
  });

  it('says which tickets the policy applies to at the port clock, null when evaluation throws', () => {
    const p = port(fakeApi());
    assert.deepEqual(p.applies([{ id: 1 }, { id: 2 }]), new Set(['1']));
    assert.equal(p.engine, engine);
    const broken = wasmPort({
      api: fakeApi(),
      engine: {
        evaluate: () => {
          throw new Error('x');
        },
      },
      tracker: 'redmine',
      label: 'Redmine',
      site: null,
      now: () => 0,
    });
    assert.equal(broken.applies([{ id: 1 }]), null);
  });
});
