// The version of sla-lens: Cargo.toml's `[package] version`, its one source. Every artifact takes
// it from here (the extension's manifest, the Redmine plugin, `make release`'s file names);
// `node scripts/version.mjs` prints it.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Cargo.toml's package version (the first `version = "…"` line, which is [package]'s). */
export function version() {
  const toml = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
  const m = /^\[package\][^[]*?^version\s*=\s*"([^"]+)"/ms.exec(toml);
  if (!m) throw new Error('Cargo.toml: no [package] version');
  return m[1];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(version());
