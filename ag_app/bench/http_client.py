"""A lean HTTP/1.1 keep-alive client for the load bench.

A general client (httpx) spends 3–4 ms of CPU per request in Python; on a 2-core machine the bench
then measures itself, not the app (an empty route topped out near 200 req/s, the client's core
full, the server's half idle). This one writes the request line and headers by hand and reads
``Content-Length`` or chunked bodies from a pool of keep-alive connections: well under a
millisecond per request. Only what the bench needs: JSON bodies, query strings, plain answers.
"""

import asyncio
import json
from typing import Any
from urllib.parse import urlencode, urlsplit


class TransportError(OSError):
    """The connection failed or closed before a whole answer came."""


class Response:
    """Status and body of one answer."""

    def __init__(self, status_code: int, body: bytes) -> None:
        self.status_code = status_code
        self.content = body

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    def close(self) -> None:
        self.writer.close()


class LeanClient:
    """Requests to one ``http://host:port`` over at most ``connections`` keep-alive connections."""

    def __init__(self, base_url: str, *, connections: int, timeout: float) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.timeout = timeout
        self._idle: list[_Connection] = []
        self._slots = asyncio.Semaphore(connections)

    async def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        json: Any = None,  # noqa: A002 - the same keyword as httpx
    ) -> Response:
        """One request; raises TimeoutError after ``timeout`` seconds, TransportError on a broken
        connection (the connection is dropped in both cases)."""
        target = f"{path}?{urlencode(params)}" if params else path
        body = b"" if json is None else _dumps(json)
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if json is not None:
            lines.append("Content-Type: application/json")
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body)}")
        payload = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        async with self._slots:
            conn = self._idle.pop() if self._idle else None
            try:
                async with asyncio.timeout(self.timeout):
                    if conn is None:
                        conn = _Connection(*await asyncio.open_connection(self.host, self.port))
                    conn.writer.write(payload)
                    response, keep = await _read_response(conn.reader)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                if conn is not None:
                    conn.close()
                raise TransportError(str(exc)) from exc
            except TimeoutError:
                if conn is not None:
                    conn.close()
                raise
            if keep:
                self._idle.append(conn)
            else:
                conn.close()
            return response

    async def aclose(self) -> None:
        """Close every idle connection."""
        for conn in self._idle:
            conn.close()
        self._idle.clear()


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


async def _read_response(reader: asyncio.StreamReader) -> tuple[Response, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split(" ", 2)[1])
    headers: dict[str, str] = {}
    for line in header_lines:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        await reader.readuntil(b"\r\n")
        body = b"".join(chunks)
    else:
        body = b""
    keep = headers.get("connection", "").lower() != "close"
    return Response(status, body), keep
