// How every browser test, benchmark and screenshot script starts Chromium (playwright-core):
// Debian's `chromium` (or $CHROME_BIN), headless, no sandbox (CI runs as root), no GPU, and
// nothing that reaches the network on its own.

export const CHROME = process.env.CHROME_BIN ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
