// axe-core over a playwright-core page, for every browser test that audits a UI (issue #18).
// `audit(page, { include })` runs axe on the document (open shadow roots included) or only on the
// nodes sla-lens owns on a tracker's page (whose own markup is not ours to judge);
// `assertAccessible(t, violations, label)` fails on serious or critical violations and lists the
// rest as node:test diagnostics.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const BLOCKING = new Set(['serious', 'critical']);

/**
 * @typedef {{ id: string, impact: string, help: string, targets: string[] }} Violation
 * @param {import('playwright-core').Page} page
 * @param {{ include?: string[] }} [options]  CSS selectors of the regions to audit (default: all)
 * @returns {Promise<Violation[]>}
 */
export async function audit(page, { include } = {}) {
  // Evaluated through the DevTools protocol rather than added as a <script>: extension pages'
  // Content-Security-Policy refuses inline scripts, and evaluation is not subject to it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async (include) => {
    const axe = /** @type {any} */ (window).axe;
    const context = include ? { include: include.map((s) => [s]) } : document;
    const result = await axe.run(context, { resultTypes: ['violations'] });
    return result.violations.map((/** @type {any} */ v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((/** @type {any} */ n) => JSON.stringify(n.target)),
    }));
  }, include ?? null);
}

/**
 * @param {import('node:test').TestContext} t
 * @param {Violation[]} violations
 * @param {string} label
 */
export function assertAccessible(t, violations, label) {
  for (const v of violations) t.diagnostic(`${label}: ${v.impact} ${v.id}: ${v.help} — ${v.targets.join(' ')}`);
  assert.deepEqual(
    violations
      .filter((v) => BLOCKING.has(v.impact))
      .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(' ')}`),
    [],
    `${label}: no serious or critical accessibility violations`,
  );
}
