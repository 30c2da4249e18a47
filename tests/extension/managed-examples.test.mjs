// The managed-deployment examples an administrator copies (docs/extension/chrome-policy.json,
// docs/extension/firefox-policies.json; README "Managed deployment" shows the Chrome one) are what
// the extension accepts: each value has the type extension/managed_schema.json declares (Chrome
// drops a policy value its schema lacks), the policy and every site file pass the engine's checks,
// and the extension's own reading of managed storage (config.js `effective`) locks the policy, the
// sites and the notification settings to them. The Firefox file uses the extension's real add-on id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig, effective, siteProblems } from '../../extension/src/lib/config.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (p) => JSON.parse(readFileSync(join(ROOT, p), 'utf8'));
const wasm = createRequire(import.meta.url)('../../www/pkg-node/sla_lens.js');
const SCHEMA = read('extension/managed_schema.json');
const CHROME = read('docs/extension/chrome-policy.json');
const FIREFOX = read('docs/extension/firefox-policies.json');

/**
 * The problems of `value` against Chrome's managed-storage schema (its JSON Schema subset: `type`,
 * `properties`, `items`); a property the schema does not declare is one, as Chrome ignores it.
 */
function schemaProblems(schema, value, path = '') {
  const types = { string: 'string', boolean: 'boolean', object: 'object', array: 'object', integer: 'number' };
  const here = path || '(top)';
  if (typeof value !== types[schema.type]) return [`${here}: not ${schema.type}`];
  if (schema.type === 'integer' && !Number.isInteger(value)) return [`${here}: not an integer`];
  if (schema.type === 'array') {
    if (!Array.isArray(value)) return [`${here}: not an array`];
    return value.flatMap((v, i) => schemaProblems(schema.items, v, `${path}[${i}]`));
  }
  if (schema.type !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    schema.properties?.[k]
      ? schemaProblems(schema.properties[k], v, path ? `${path}.${k}` : k)
      : [`${path ? `${path}.` : ''}${k}: not in the schema`],
  );
}

function checkManaged(managed) {
  assert.deepEqual(schemaProblems(SCHEMA, managed), []);
  const policy = wasm.validatePolicy(managed.policy);
  assert.equal(policy.ok, true, JSON.stringify(policy.diagnostics));
  assert.deepEqual(
    policy.diagnostics.map((d) => d.code),
    [],
    'not even a warning',
  );
  for (const s of managed.sites) {
    assert.deepEqual(siteProblems(s), [], s.origin);
    const site = wasm.validateSite({ tracker: s.tracker, origin: s.origin, ...JSON.parse(s.siteJson ?? '{}') });
    assert.equal(site.ok, true, `${s.origin}: ${JSON.stringify(site.diagnostics)}`);
  }
  const { config, locked, managed: isManaged } = effective(defaultConfig(), managed);
  assert.equal(isManaged, true);
  assert.equal(locked.policy, true);
  assert.equal(locked.sites, true);
  assert.deepEqual(locked.notifications, ['enabled', 'quietHours']);
  assert.equal(config.policy.text, managed.policy);
  assert.deepEqual(
    config.sites.map((s) => [s.origin, s.tracker, s.managed]),
    managed.sites.map((s) => [s.origin, s.tracker, true]),
  );
  assert.deepEqual(config.notifications.quietHours, { enabled: true, start: '19:00', end: '07:00' });
}

test('the Chrome policy file: force-installs the extension and manages its storage', () => {
  assert.match(
    CHROME.ExtensionInstallForcelist[0],
    /^<extension id>;https:\/\/clients2\.google\.com\/service\/update2\/crx$/,
  );
  const ids = Object.keys(CHROME['3rdparty'].extensions);
  assert.deepEqual(ids, ['<extension id>']);
  checkManaged(CHROME['3rdparty'].extensions[ids[0]]);
});

test("the Firefox policies.json: the add-on's real id, the same managed values", () => {
  const gecko = readFileSync(join(ROOT, 'scripts/build-extension.mjs'), 'utf8').match(/GECKO_ID = '([^']+)'/)[1];
  assert.deepEqual(Object.keys(FIREFOX.policies['3rdparty'].Extensions), [gecko]);
  assert.equal(FIREFOX.policies.ExtensionSettings[gecko].installation_mode, 'force_installed');
  checkManaged(FIREFOX.policies['3rdparty'].Extensions[gecko]);
  assert.deepEqual(FIREFOX.policies['3rdparty'].Extensions[gecko], CHROME['3rdparty'].extensions['<extension id>']);
});

test('the README shows the Chrome file as it is', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const text = readFileSync(join(ROOT, 'docs/extension/chrome-policy.json'), 'utf8');
  assert.ok(
    readme.includes(`\`\`\`json\n${text}\`\`\``),
    'README "Managed deployment" shows docs/extension/chrome-policy.json',
  );
});

test('a value the schema lacks is caught (the check is not vacuous)', () => {
  assert.deepEqual(schemaProblems(SCHEMA, { sites: [{ origin: 1 }], bogus: true }), [
    'sites[0].origin: not string',
    'bogus: not in the schema',
  ]);
});
