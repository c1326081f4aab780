"""An OAuth 2 authorization server and the API it protects, over real HTTP, for the generated clients' tests.

The token endpoint is authlib's RFC 6749 ``AuthorizationServer`` with its ``ClientCredentialsGrant`` and
``RefreshTokenGrant`` (client authentication: HTTP basic or the form); the API beside it accepts the bearer
tokens that server issued (not expired, not revoked) and answers 401 otherwise.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self
from urllib.parse import parse_qsl

from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Payload, OAuth2Request, TokenMixin, grants
from authlib.oauth2.rfc6750 import BearerTokenGenerator

TOKEN_PATH = "/oauth/token"


class Client(ClientMixin):  # type: ignore[misc]
    def __init__(self, client_id: str, secret: str) -> None:
        self.client_id, self.secret = client_id, secret

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return "https://localhost/callback"

    def get_allowed_scope(self, scope: str) -> str:
        return scope

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("client_credentials", "refresh_token")


@dataclass
class Token(TokenMixin):  # type: ignore[misc]
    client_id: str
    access_token: str
    refresh_token: str | None
    scope: str
    expires_in: int
    issued_at: float = field(default_factory=time.time)
    revoked: bool = False  # the refresh token was used (or the whole grant revoked)
    access_revoked: bool = False  # the API refuses the access token

    def check_client(self, client: Client) -> bool:
        return client.client_id == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return time.time() > self.issued_at + self.expires_in

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> str:
        return "user"


class _Payload(OAuth2Payload):  # type: ignore[misc]
    def __init__(self, form: dict[str, str]) -> None:
        self._data = form
        self._datalist = defaultdict(list, {k: [v] for k, v in form.items()})

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class _Request(OAuth2Request):  # type: ignore[misc]
    def __init__(self, headers: dict[str, str], form: dict[str, str]) -> None:
        # authlib refuses http URLs: the server is local, the URL is only checked.
        super().__init__("POST", "https://localhost" + TOKEN_PATH, headers=headers)
        self.payload = _Payload(form)
        self._form = form

    @property
    def args(self) -> dict[str, str]:
        return {}

    @property
    def form(self) -> dict[str, str]:
        return self._form


class _ClientCredentials(grants.ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post"]


class OAuthService(AuthorizationServer):  # type: ignore[misc]
    """The authorization server, its clients and tokens; ``api`` answers the protected requests."""

    def __init__(self, api: Callable[[str, str, Any], tuple[int, Any]], expires_in: int = 3600) -> None:
        super().__init__()
        self.api = api
        self.expires_in = expires_in
        self.clients = {"app": Client("app", "s3cret-client-value")}
        self.tokens: dict[str, Token] = {}
        self.by_refresh: dict[str, Token] = {}
        self.token_requests: list[dict[str, str]] = []  # each token request's form (client secret left out)
        self.api_requests: list[tuple[str, str, str]] = []  # method, path, Authorization
        self.lock = threading.Lock()
        self.delay = 0.0  # seconds the token endpoint takes (concurrent first calls overlap)
        service = self

        class Refresh(grants.RefreshTokenGrant):  # type: ignore[misc]
            TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post", "none"]
            INCLUDE_NEW_REFRESH_TOKEN = True

            def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
                token = service.by_refresh.get(refresh_token)
                return token if token is not None and not token.revoked else None

            def authenticate_user(self, refresh_token: Token) -> str:
                return "user"

            def revoke_old_credential(self, refresh_token: Token) -> None:
                refresh_token.revoked = True

        self.register_grant(_ClientCredentials)
        self.register_grant(Refresh)
        self.register_token_generator(
            "default",
            BearerTokenGenerator(
                access_token_generator=lambda **_: secrets.token_urlsafe(24),
                refresh_token_generator=lambda **_: secrets.token_urlsafe(24),
                expires_generator=lambda client, grant_type: self.expires_in,
            ),
        )

    # authlib's hooks
    def query_client(self, client_id: str) -> Client | None:
        return self.clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        saved = Token(request.client.client_id, token["access_token"], token.get("refresh_token"), token.get("scope", ""), token["expires_in"])
        self.tokens[saved.access_token] = saved
        if saved.refresh_token:
            self.by_refresh[saved.refresh_token] = saved

    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        return request

    def handle_response(self, status: int, body: Any, headers: Any) -> tuple[int, Any, Any]:
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        pass

    # test helpers
    def issue_refresh_token(self, client_id: str = "app", scope: str = "items.read") -> str:
        """A refresh token as an authorization-code flow would have left the caller with."""
        token = Token(client_id, secrets.token_urlsafe(24), secrets.token_urlsafe(24), scope, self.expires_in)
        self.tokens[token.access_token] = token
        assert token.refresh_token is not None
        self.by_refresh[token.refresh_token] = token
        return token.refresh_token

    def revoke_access_tokens(self) -> None:
        for token in self.tokens.values():
            token.access_revoked = True

    def valid(self, authorization: str) -> bool:
        kind, _, value = authorization.partition(" ")
        token = self.tokens.get(value) if kind.lower() == "bearer" else None
        return token is not None and not token.access_revoked and not token.is_expired()

    def grant_types(self) -> list[str]:
        return [form.get("grant_type", "") for form in self.token_requests]


class OAuthServer:
    """``OAuthService`` served over HTTP on 127.0.0.1: the token endpoint at TOKEN_PATH, the API elsewhere."""

    def __init__(self, service: OAuthService) -> None:
        self.service = service

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items()}
                if self.path == TOKEN_PATH:
                    form = dict(parse_qsl(raw.decode()))
                    with service.lock:
                        service.token_requests.append({k: v for k, v in form.items() if k != "client_secret"})
                    time.sleep(service.delay)
                    with service.lock:
                        status, body, extra = service.create_token_response(_Request(headers, form))
                    self._send(status, body, dict(extra))
                    return
                authorization = self.headers.get("Authorization", "")
                with service.lock:
                    service.api_requests.append((self.command, self.path, authorization))
                    valid = service.valid(authorization)
                if not valid:
                    self._send(401, {"error": "invalid_token"}, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
                    return
                body = json.loads(raw) if raw and self.headers.get("Content-Type", "").startswith("application/json") else raw
                status, answer = service.api(self.command, self.path, body)
                self._send(status, answer, {})

            def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                for key, value in headers.items():
                    if key.lower() not in ("content-type", "content-length"):
                        self.send_header(key, value)
                if data:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
