// The badge knows (issue #14): a ticket whose notes record an escalation (`escalations`, as the
// adapters collect them from sla-lens's marker notes) shows it in the tooltip of <sla-badge> —
// "Escalated to Ingrid Vogt 10:05 (note #3)", the note a link to the tracker — as text, and a
// hostile record (markup, a javascript: URL) stays text and no link. Screenshot:
// target/screenshots/escalated-tooltip.png.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveWww } from './server.mjs';
import { CHROME, CHROMIUM_ARGS } from '../support/chromium.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = join(ROOT, 'target/screenshots');
mkdirSync(SHOTS, { recursive: true });

const NOW = '2026-12-07T12:00:00Z';
const POLICY = {
  version: 1,
  id: 'esc',
  name: 'Escalation demo',
  parties: { provider: { name: 'IT' }, customer: { name: 'Marketing' } },
  priorities: [{ id: 'critical', name: 'Critical' }],
  targets: [{ priority: 'critical', response: '4h' }],
  escalation: {
    levels: [
      {
        level: 1,
        role: 'IT manager',
        contacts: [{ name: 'Ingrid Vogt', email: 'ingrid@example.com' }],
        trigger: { metric: 'response', after: '0h' },
      },
      {
        level: 2,
        role: 'Head of Marketing',
        contacts: [{ name: 'Mo <b>Head</b>' }],
        trigger: { metric: 'response', after: '100%' },
      },
    ],
  },
};
const TICKETS = [
  {
    id: '12',
    title: 'VPN down',
    created: '2026-12-07T05:00:00Z',
    url: 'https://redmine.example/issues/12',
    fields: { priority: 'Critical' },
    escalations: [
      {
        cycle: 1,
        stage: '1',
        action: 'note#0',
        at: '2026-12-07T09:05:00Z',
        noteId: '31',
        noteNumber: 3,
        url: 'https://redmine.example/issues/12#note-3',
      },
    ],
  },
  {
    id: '13',
    title: 'Hostile',
    created: '2026-12-07T02:00:00Z',
    fields: { priority: 'Critical' },
    escalations: [
      {
        cycle: 1,
        stage: '2',
        action: 'note#0',
        at: '2026-12-07T10:30:00Z',
        noteId: '<img src=x onerror=alert(1)>',
        url: 'javascript:alert(1)',
      },
    ],
  },
];

let server;
let browser;
let page;
before(async () => {
  server = await serveWww();
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'sla-chromium-')), {
    executablePath: CHROME,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 760, height: 420 },
    deviceScaleFactor: 1,
    timezoneId: 'Europe/Berlin',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('dialog', (d) => {
    throw new Error(`a dialog opened: ${d.message()}`);
  });
  // A page of our own on www/'s origin: the shim and the engine from www/.
  await page.route(`${server.url}escalated-test.html`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html><body style="font: 14px system-ui; padding: 24px">
      <table style="border-spacing: 0 40px"><tr><td>#12 VPN down</td><td><sla-badge ticket-id="12"></sla-badge></td></tr>
      <tr><td>#13 Hostile</td><td><sla-badge ticket-id="13"></sla-badge></td></tr></table></body></html>`,
    }),
  );
  await page.goto(`${server.url}escalated-test.html`);
  await page.evaluate(
    async ({ policy, tickets, now }) => {
      const m = await import('/sla-lens.js');
      m.setClock(() => Date.parse(now));
      const { SlaEngine } = await m.load();
      const board = new m.Board(new SlaEngine(JSON.stringify(policy)));
      board.setTickets(tickets);
      board.mount(document);
      window.board = board;
    },
    { policy: POLICY, tickets: TICKETS, now: NOW },
  );
});
after(async () => {
  await browser?.close();
  await server?.close();
});

describe('escalations done in the badge tooltip', () => {
  it('says who, when and which note, the note a link to the tracker', async () => {
    const badge = page.locator('sla-badge[ticket-id="12"]');
    await badge.locator('.badge').hover();
    const tip = badge.locator('.tip');
    await tip.waitFor({ state: 'visible' });
    const esc = badge.locator('.tip li.tip-esc');
    assert.equal(await esc.count(), 1);
    assert.equal(await esc.innerText(), 'Escalated to Ingrid Vogt 10:05 (note #3)');
    const a = esc.locator('a');
    assert.equal(await a.innerText(), 'note #3');
    assert.equal(await a.getAttribute('href'), 'https://redmine.example/issues/12#note-3');
    assert.equal(await a.getAttribute('rel'), 'noopener noreferrer');
    // The engine's own sentence for it is not repeated; the other sentences stay.
    const lines = await badge.locator('.tip li:not(.tip-esc)').allInnerTexts();
    assert.ok(!lines.some((l) => l.startsWith('Escalated to')), lines.join(' | '));
    assert.ok(
      lines.some((l) => /escalated to level 1 — IT manager/.test(l)),
      lines.join(' | '),
    );
    assert.match(
      await badge.locator('.badge').getAttribute('aria-label'),
      /Escalated to Ingrid Vogt 10:05 \(note #3\)$/,
    );
    // The pointer can move onto the tooltip (straight down, then to the link) without it closing.
    const bb = await badge.locator('.badge').boundingBox();
    const tb = await tip.boundingBox();
    await page.mouse.move(bb.x + 10, tb.y + 12, { steps: 3 });
    const box = await a.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    await page.waitForTimeout(400);
    assert.ok(await tip.isVisible(), 'the tooltip stays open under the pointer');
    await page.screenshot({ path: join(SHOTS, 'escalated-tooltip.png') });
    await page.mouse.move(2, 2);
    await tip.waitFor({ state: 'hidden' });
  });

  it('a hostile record stays text: no markup, no javascript: link', async () => {
    const badge = page.locator('sla-badge[ticket-id="13"]');
    await badge.locator('.badge').hover();
    await badge.locator('.tip').waitFor({ state: 'visible' });
    const esc = badge.locator('.tip li.tip-esc');
    assert.equal(await esc.innerText(), 'Escalated to Mo <b>Head</b> 11:30 (comment <img src=x onerror=alert(1)>)');
    assert.equal(await esc.locator('a').count(), 0);
    assert.equal(await esc.locator('img, b').count(), 0);
    await page.mouse.move(2, 2);
  });
});
