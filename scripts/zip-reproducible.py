#!/usr/bin/env python3
"""A zip of a directory's files that is the same bytes every time: sorted names, every entry
dated SOURCE_DATE_EPOCH (default: the commit's time; zip's DOS dates start in 1980), mode 0644
(0755 for executables), deflate at level 9, no extra fields. The extension's store zips
(scripts/build-extension.mjs); web-ext's own zip carried the files' build times.

    scripts/zip-reproducible.py DIR OUT.zip
"""
import os
import subprocess
import sys
import time
import zipfile


def main(src: str, out: str) -> None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        git = subprocess.run(["git", "log", "-1", "--format=%ct"], capture_output=True, text=True)
        epoch = git.stdout.strip() if git.returncode == 0 else "0"
    epoch = max(int(epoch), 315532800)
    stamp = time.gmtime(epoch)[:6]
    paths = []
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for f in files:
            paths.append(os.path.join(root, f))
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for p in sorted(paths, key=lambda p: os.path.relpath(p, src).split(os.sep)):
            info = zipfile.ZipInfo(os.path.relpath(p, src).replace(os.sep, "/"), stamp)
            mode = 0o755 if os.access(p, os.X_OK) else 0o644
            info.external_attr = (0o100000 | mode) << 16
            info.create_system = 3  # Unix, whatever the host
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(p, "rb") as f:
                z.writestr(info, f.read(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    os.replace(tmp, out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
