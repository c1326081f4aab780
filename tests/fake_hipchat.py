"""A small fake of the HipChat REST API v2 endpoints the connector uses, served over real HTTP on 127.0.0.1.

Paths follow ../shared/reference/hipchat_api_v2.yaml. State lives in memory; tests may script
responses (status, headers, body) that are served before the normal handling of a path.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

TOKEN = "s3cr3t-token-value"
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Recorded:
    method: str
    raw_path: str
    headers: dict[str, str]
    body: Any


@dataclass
class State:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    rooms: dict[str, dict[str, Any]] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    clock: int = 0

    def tick(self) -> str:
        self.clock += 1
        return (_EPOCH + timedelta(seconds=self.clock)).isoformat()


class FakeHipChat:
    def __init__(self, page_size: int = 3) -> None:
        self.state = State()
        self.page_size = page_size
        self.requests: list[Recorded] = []
        self.scripts: dict[str, deque[tuple[int, dict[str, str], Any]]] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v2"

    def start(self) -> FakeHipChat:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- test helpers

    def script(self, path: str, *responses: tuple[int, dict[str, str], Any]) -> None:
        """Serve these responses, in order, for requests to ``path`` before handling it normally."""
        self.scripts.setdefault(path, deque()).extend(responses)

    def add_room(self, room_id: int, name: str) -> None:
        self.state.rooms[str(room_id)] = {"id": room_id, "name": name, "privacy": "private", "is_archived": False}
        self.state.members.setdefault(str(room_id), [])
        self.state.messages.setdefault(str(room_id), [])

    def add_user(self, user_id: int, name: str, email: str) -> None:
        self.state.users[str(user_id)] = {
            "id": user_id, "name": name, "email": email, "mention_name": name.split()[0], "title": "Engineer",
        }

    def post(self, room: str, text: str, file: dict[str, Any] | None = None) -> dict[str, Any]:
        with self.lock:
            message = {
                "id": str(uuid.UUID(int=len(self.requests) * 1000 + self.state.clock + 1)),
                "date": self.state.tick(),
                "message": text,
                "from": {"id": 1, "name": "Fake"},
                "type": "message",
            }
            if file is not None:
                message["file"] = file
            self.state.messages[room].append(message)
            return message

    # -- the HTTP handler

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _reply(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, message: str) -> None:
                self._reply(status, {"error": {"code": status, "message": message, "type": self.responses[status][0]}})

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                split = urlsplit(self.path)
                with fake.lock:
                    fake.requests.append(Recorded(self.command, self.path, dict(self.headers), body))
                    scripted = fake.scripts.get(split.path)
                    step = scripted.popleft() if scripted else None
                if step is not None:
                    status, headers, payload = step
                    self._reply(status, payload, headers)
                    return
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    self._error(401, "Invalid OAuth session")
                    return
                segments = [unquote(s) for s in split.path.split("/")[1:]]
                query = {k: v[-1] for k, v in parse_qs(split.query).items()}
                self._route(self.command, segments, query, body)

            def _route(self, method: str, seg: list[str], query: dict[str, str], body: Any) -> None:
                state = fake.state
                match (method, seg):
                    case ("PUT", ["v2", "room", room, "member", member]):
                        if room not in state.rooms:
                            return self._error(404, "Room not found")
                        state.members[room].append(member)
                        return self._reply(204)
                    case ("GET", ["v2", "user", user]):
                        if user not in state.users:
                            return self._error(404, "User not found")
                        return self._reply(200, state.users[user])
                    case ("GET", ["v2", "room", room, "member"]):
                        if room not in state.rooms:
                            return self._error(404, "Room not found")
                        items = [
                            {k: state.users[m][k] for k in ("id", "mention_name", "name")} for m in state.members[room] if m in state.users
                        ]
                        return self._reply(200, {"items": items, "startIndex": 0, "maxResults": 100, "links": {}})
                    case ("POST", ["v2", "room", room, "message"]):
                        if room not in state.rooms:
                            return self._error(404, "Room not found")
                        if not isinstance(body, dict) or not isinstance(body.get("message"), str):
                            return self._error(400, "message is required")
                        message = fake.post(room, body["message"])
                        return self._reply(201, {"id": message["id"], "timestamp": message["date"]})
                    case ("GET", ["v2", "room", room, "history", "latest"]):
                        if room not in state.rooms:
                            return self._error(404, "Room not found")
                        return self._page(f"/v2/room/{room}/history/latest", state.messages[room], query)
                    case ("GET", ["v2", "room"]):
                        return self._page("/v2/room", list(state.rooms.values()), query)
                return self._error(404, f"No route for {method} /{'/'.join(seg)}")

            def _page(self, path: str, items: list[dict[str, Any]], query: dict[str, str]) -> None:
                start = int(query.get("start-index", 0))
                page = items[start : start + fake.page_size]
                links: dict[str, str] = {"self": fake.base_url.removesuffix("/v2") + path}
                if start + fake.page_size < len(items):
                    links["next"] = f"{fake.base_url.removesuffix('/v2')}{path}?start-index={start + fake.page_size}"
                self._reply(200, {"items": page, "startIndex": start, "maxResults": fake.page_size, "links": links})

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        return Handler
