#!/usr/bin/env bash
# A tar.gz that is the same bytes every time: `scripts/tgz.sh OUT DIR NAME` archives DIR/NAME with
# sorted names, root as owner, fixed modes (u+rwX,go+rX,go-w), every entry dated
# SOURCE_DATE_EPOCH (default: the commit's time), and no name or time in the gzip header. The
# one way the Redmine plugin, the RT extension and `make release` pack their archives (the store
# zips: scripts/zip-reproducible.py).
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: scripts/tgz.sh OUT DIR NAME" >&2; exit 2; }
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
tar --sort=name --owner=0 --group=0 --numeric-owner --mode='u+rwX,go+rX,go-w' \
  --mtime="@$epoch" -C "$2" -cf - "$3" | gzip -n -9 >"$1"
