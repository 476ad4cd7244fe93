"""Real local stand-ins for the outside world: an SMTP server (aiosmtpd) that counts
Message-IDs, and an HTTP server that checks each robot vendor's signature and counts
delivery keys. Used by the tests and by bench/outbox_bench.py."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from collections import Counter
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingSMTPHandler:
    """Accepts every message and remembers its Message-ID; can refuse on demand."""

    def __init__(self, *, keep_messages: bool = True):
        self.lock = threading.Lock()
        self.message_ids: Counter[str] = Counter()
        self.messages: list = []
        self.keep_messages = keep_messages
        self.temporary_failures = 0  # answer 451 to this many messages first
        self.refused_recipients: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused_recipients:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.temporary_failures:
                self.temporary_failures -= 1
                return "451 4.3.0 Try again later"
            raw = envelope.content
            if self.keep_messages:
                message = message_from_bytes(raw, policy=policy.default)
                self.messages.append(message)
                message_id = message["Message-ID"]
            else:
                # Counting 10,000 messages: find the header without parsing the whole message.
                head = raw.split(b"\r\n\r\n", 1)[0]
                message_id = next(
                    line.split(b":", 1)[1].strip().decode()
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"message-id:")
                )
            self.message_ids[message_id] += 1
        return "250 OK"

    @property
    def total(self) -> int:
        with self.lock:
            return sum(self.message_ids.values())


class SMTPServer:
    def __init__(self, *, keep_messages: bool = True, port: int | None = None):
        self.handler = RecordingSMTPHandler(keep_messages=keep_messages)
        self.port = port or free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def expected_dingtalk_sign(secret: str, timestamp: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def expected_feishu_sign(secret: str, timestamp: str) -> str:
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class RobotServer:
    """Answers like the vendors: /dingtalk/<token>, /wecom/<key>, /feishu/<hook>. Secrets per
    path are registered with ``secrets``; a bad signature gets the vendor's error answer."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received: list[tuple[str, dict]] = []
        self.keys: Counter[str] = Counter()
        self.secrets: dict[str, str] = {}
        self.fail_next = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                answer = server.answer(self.path, body)
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def answer(self, path: str, body: dict) -> dict:
        parts = urlsplit(path)
        kind = parts.path.strip("/").split("/")[0]
        secret = self.secrets.get(parts.path)
        with self.lock:
            if self.fail_next:
                self.fail_next -= 1
                return {"errcode": 130101, "errmsg": "send too fast"} if kind != "feishu" else {"code": 9499}
        if kind == "dingtalk":
            if secret:
                query = parse_qs(parts.query)
                timestamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
                if abs(time.time() * 1000 - int(timestamp or 0)) > 3600_000 or sign != expected_dingtalk_sign(
                    secret, timestamp
                ):
                    return {"errcode": 310000, "errmsg": "sign not match"}
            if body.get("msgtype") != "markdown" or not body.get("markdown", {}).get("text"):
                return {"errcode": 40035, "errmsg": "missing markdown"}
            ok = {"errcode": 0, "errmsg": "ok"}
        elif kind == "wecom":
            if body.get("msgtype") != "markdown" or not body.get("markdown", {}).get("content"):
                return {"errcode": 40008, "errmsg": "invalid message type"}
            ok = {"errcode": 0, "errmsg": "ok"}
        elif kind == "feishu":
            if secret:
                timestamp = body.get("timestamp", "")
                if abs(time.time() - int(timestamp or 0)) > 3600 or body.get("sign") != expected_feishu_sign(
                    secret, timestamp
                ):
                    return {"code": 19021, "msg": "sign match fail or timestamp is not within one hour"}
            if body.get("msg_type") != "interactive" or "card" not in body:
                return {"code": 9499, "msg": "Bad Request"}
            ok = {"code": 0, "msg": "success"}
        else:
            return {"errcode": 404, "errmsg": "unknown robot"}
        with self.lock:
            self.received.append((parts.path, body))
            self.keys[body.get("crossdesk_delivery_key", "")] += 1
        return ok

    def __enter__(self) -> RobotServer:
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
