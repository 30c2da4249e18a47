#!/usr/bin/env python3
"""Local sinks for the escalation tests: an SMTP server and a webhook (HTTP) server on 127.0.0.1
that keep everything they receive, for the tests to read back.

    sinks.py --dir DIR [--smtp-port N] [--http-port N]

Port 0 (the default) takes a free port. Once both listen, DIR/ports.json is written (atomically):
{"pid", "smtp", "http"}. What arrives:

  DIR/mail/NNNN.eml    each message as received (the DATA bytes)
  DIR/mail.jsonl       one line per message: seq, mailFrom, rcptTos (the envelope), from, to,
                       subject, messageId, text (the text/plain part, decoded), file
  DIR/webhooks.jsonl   one line per request: seq, method, path, headers, json (the body parsed,
                       or null), body (the raw body as text)

The webhook server answers 200 with {"ok":true} (GET /health too). SIGTERM or SIGINT stops both
and removes DIR/ports.json. Run by scripts/sinks.sh, which starts it in the background and waits
for it; needs aiosmtpd (scripts/setup.sh mail installs it into a venv).
"""
import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import sys

from aiosmtpd.smtp import SMTP


class Store:
    def __init__(self, root):
        self.root = root
        os.makedirs(os.path.join(root, "mail"), exist_ok=True)
        self.mail_seq = 0
        self.hook_seq = 0

    def append(self, name, obj):
        with open(os.path.join(self.root, name), "a", encoding="utf-8") as f:
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")


def text_part(msg):
    """The first text/plain part of a message, decoded ('' if none)."""
    for part in msg.walk():
        if part.get_content_type() == "text/plain" and not part.is_multipart():
            try:
                return part.get_content().replace("\r\n", "\n")
            except (LookupError, ValueError):
                payload = part.get_payload(decode=True) or b""
                return payload.decode("utf-8", "replace").replace("\r\n", "\n")
    return ""


class MailHandler:
    def __init__(self, store):
        self.store = store

    async def handle_DATA(self, server, session, envelope):
        store = self.store
        store.mail_seq += 1
        seq = store.mail_seq
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        name = f"mail/{seq:04d}.eml"
        with open(os.path.join(store.root, name), "wb") as f:
            f.write(raw)
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        store.append("mail.jsonl", {
            "seq": seq,
            "mailFrom": envelope.mail_from,
            "rcptTos": list(envelope.rcpt_tos),
            "from": str(msg.get("From", "")),
            "to": str(msg.get("To", "")),
            "subject": str(msg.get("Subject", "")),
            "messageId": str(msg.get("Message-ID", "")).strip(),
            "text": text_part(msg),
            "file": name,
        })
        return "250 OK"


async def handle_http(store, reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            try:
                method, target, _ = line.decode("latin-1").split(" ", 2)
            except ValueError:
                return
            headers = {}
            while True:
                h = await reader.readline()
                if h in (b"\r\n", b"\n", b""):
                    break
                k, _, v = h.decode("latin-1").partition(":")
                headers[k.strip().lower()] = v.strip()
            length = int(headers.get("content-length", "0") or 0)
            body = await reader.readexactly(length) if length else b""
            if method == "GET" and target == "/health":
                out = b'{"ok":true}'
            else:
                store.hook_seq += 1
                text = body.decode("utf-8", "replace")
                try:
                    parsed = json.loads(text) if text else None
                except ValueError:
                    parsed = None
                store.append("webhooks.jsonl", {
                    "seq": store.hook_seq, "method": method, "path": target,
                    "headers": headers, "json": parsed, "body": text,
                })
                out = b'{"ok":true}'
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: " + str(len(out)).encode() + b"\r\n\r\n" + out)
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                return
    except (asyncio.IncompleteReadError, ConnectionError):
        return
    finally:
        writer.close()


async def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--smtp-port", type=int, default=0)
    ap.add_argument("--http-port", type=int, default=0)
    a = ap.parse_args()
    store = Store(a.dir)
    loop = asyncio.get_running_loop()
    handler = MailHandler(store)
    smtp = await loop.create_server(
        lambda: SMTP(handler, hostname="sink.localhost", enable_SMTPUTF8=True),
        host="127.0.0.1", port=a.smtp_port)
    http = await asyncio.start_server(lambda r, w: handle_http(store, r, w),
                                      host="127.0.0.1", port=a.http_port)
    ports = {"pid": os.getpid(),
             "smtp": smtp.sockets[0].getsockname()[1],
             "http": http.sockets[0].getsockname()[1]}
    path = os.path.join(a.dir, "ports.json")
    with open(path + ".tmp", "w") as f:
        json.dump(ports, f)
    os.replace(path + ".tmp", path)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    smtp.close()
    http.close()
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except OSError as e:  # a port in use
        sys.exit(f"sinks: {e}")
