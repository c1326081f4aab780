"""A fake of the Tasks API (tests/cases/tasks_mcp/tasks_mcp.yaml), served over real HTTP on 127.0.0.1.

The MCP server's tests call its tools, which call the generated client, which calls this. State lives in
memory; every request is recorded.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

KEY = "tasks-key-0123456789"
_EPOCH = datetime(2026, 3, 1, tzinfo=UTC)


class FakeTasks:
    def __init__(self) -> None:
        self.projects = [{"key": "home", "name": "Home"}, {"key": "work", "name": "Work \"quoted\""}]
        self.tasks: dict[int, dict[str, Any]] = {}
        self.labels: dict[int, list[str]] = {}
        self.attachments: dict[int, bytes] = {}
        self.done_seen = 0  # the polling protocol's position: tasks done before it were delivered
        self.requests: list[tuple[str, str, Any]] = []
        self.clock = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/api"

    def start(self) -> FakeTasks:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add(self, title: str, project: str = "home", **fields: Any) -> dict[str, Any]:
        with self.lock:
            self.clock += 1
            task = {
                "id": len(self.tasks) + 1,
                "title": title,
                "project": project,
                "status": "open",
                "created": (_EPOCH + timedelta(seconds=self.clock)).isoformat(),
                "labels": [],
                **fields,
            }
            self.tasks[task["id"]] = task
            return task

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

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                split = urlsplit(self.path)
                is_json = (self.headers.get("Content-Type") or "").startswith("application/json")
                body: Any = json.loads(raw) if raw and is_json else raw
                with fake.lock:
                    fake.requests.append((self.command, self.path, body))
                if self.headers.get("X-Api-Key") != KEY:
                    return self._reply(401, {"message": "a valid X-Api-Key is required"})
                segments = [unquote(s) for s in split.path.split("/")[1:]]
                query = {k: v[-1] for k, v in parse_qs(split.query).items()}
                with fake.lock:
                    self._route(self.command, segments, query, body)
                return None

            def _route(self, method: str, seg: list[str], query: dict[str, str], body: Any) -> None:
                tasks = fake.tasks
                match (method, seg):
                    case ("GET", ["api", "projects"]):
                        return self._reply(200, {"value": fake.projects})
                    case ("GET", ["api", "tasks"]):
                        chosen = [t for t in tasks.values() if t["project"] == query.get("project")]
                        if "status" in query:
                            chosen = [t for t in chosen if t["status"] == query["status"]]
                        chosen.sort(key=lambda t: t["created"], reverse=True)
                        return self._reply(200, chosen[: int(query.get("limit", 100))])
                    case ("POST", ["api", "tasks"]):
                        if not isinstance(body, dict) or not isinstance(body.get("title"), str):
                            return self._reply(400, {"message": "title is required"})
                        fake.clock += 1
                        task = {"id": len(tasks) + 1, "status": "open", "created": (_EPOCH + timedelta(seconds=fake.clock)).isoformat(), "labels": [], **body}
                        tasks[task["id"]] = task
                        return self._reply(201, task)
                    case (_, ["api", "tasks", raw_id, *_]) if not raw_id.isdigit() or int(raw_id) not in tasks:
                        return self._reply(404, {"message": f"no task {raw_id}"})
                    case ("GET", ["api", "tasks", raw_id]):
                        return self._reply(200, tasks[int(raw_id)])
                    case ("PUT", ["api", "tasks", raw_id]):
                        task = {**tasks[int(raw_id)], **(body if isinstance(body, dict) else {})}
                        tasks[int(raw_id)] = task
                        return self._reply(200, task)
                    case ("DELETE", ["api", "tasks", raw_id]):
                        del tasks[int(raw_id)]
                        return self._reply(204)
                    case ("GET", ["api", "tasks", raw_id, "labels"]):
                        return self._reply(200, tasks[int(raw_id)].get("labels", []))
                    case ("GET", ["api", "tasks", raw_id, "attachment"]):
                        data = fake.attachments.get(int(raw_id), b"")
                        self.send_response(200)
                        self.send_header("Content-Type", "application/octet-stream")
                        self.send_header("Content-Length", str(len(data)))
                        self.end_headers()
                        self.wfile.write(data)
                        return None
                    case ("PUT", ["api", "tasks", raw_id, "attachment"]):
                        fake.attachments[int(raw_id)] = bytes(body)
                        return self._reply(200, {"size": len(body)})
                    case ("GET", ["api", "trigger", "tasks"]):
                        chosen = [t for t in tasks.values() if t["project"] == query.get("project")]
                        return self._reply(200, sorted(chosen, key=lambda t: t["created"], reverse=True))
                    case ("GET", ["api", "trigger", "done"]):
                        done = sorted((t for t in tasks.values() if t["status"] == "done"), key=lambda t: t["id"])
                        fresh = done[fake.done_seen :]
                        location = {"Location": f"{fake.base_url}/trigger/done", "Retry-After": "1"}
                        if not fresh:
                            return self._reply(202, None, location)
                        fake.done_seen = len(done)
                        return self._reply(200, fresh, location)
                return self._reply(404, {"message": f"no route for {method} /{'/'.join(seg)}"})

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        return Handler
