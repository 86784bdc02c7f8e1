"""The editor's local backend: Decap CMS's proxy protocol over the local checkout, for `serve`.

Decap CMS talks to a local server (`local_backend` in config.yml) with one POST per action to
/api/v1: list a collection's folder, read entries, write an entry. Decap's own server for this,
`decap-server`, is a Node.js program; a newsroom's site has Python only, so the preview server
answers the same protocol itself. It listens on 127.0.0.1 only, reads and writes only the
collections' files (claims/*.yaml, <docs>/entities/*.md, <docs>/sources/*.md: no other path,
no uploads, no deletions) and writes each file whole, through a temporary file and a rename.
A saved file is picked up by the preview's live reload like any edit.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.plugins.factcheck")

# A file name the CMS may make from a statement (Decap keeps _ . ~); `check` then holds it to the
# format's id pattern, as for a pull request. No folder, no leading dot.
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*\.(?:yaml|md)$")
MAX_BODY = 2_000_000
LOCAL_RE = re.compile(r"^http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$")


class Refused(Exception):
    """A request the local backend does not carry out (the message says why)."""


class LocalBackend:
    """The collections' folders of one checkout, as Decap CMS's local backend serves them."""

    def __init__(self, root: Path, folders: dict[str, str]) -> None:
        self.root = root.resolve()
        self.folders = folders  # folder relative to root -> the extension of its files

    def _path(self, rel: str) -> Path:
        """The file a request names, if it is one of the collections' files; else Refused."""
        rel = str(rel).replace("\\", "/")
        folder, _, name = rel.rpartition("/")
        extension = self.folders.get(folder)
        if extension is None or not NAME_RE.match(name) or not name.endswith("." + extension):
            raise Refused(f"{rel!r} is not a file the editor may read or write")
        return self.root / folder / name

    def _entry(self, rel: str) -> dict[str, Any]:
        data = self._path(rel).read_bytes()
        return {"data": data.decode("utf-8"), "file": {"path": rel, "id": hashlib.sha256(data).hexdigest()}}

    def _list(self, folder: str) -> list[str]:
        folder = folder.strip("/")
        if folder not in self.folders:
            raise Refused(f"{folder!r} is not a folder of the editor")
        base = self.root / folder
        if not base.is_dir():
            return []
        return sorted(f"{folder}/{p.name}" for p in base.iterdir() if p.is_file() and NAME_RE.match(p.name))

    def _write(self, rel: str, raw: str) -> None:
        path = self._path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".editor-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(raw)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        log.info("Editor saved %s", rel)

    def handle(self, action: str, params: dict[str, Any]) -> Any:
        """Carry out one action of Decap's protocol; return what it answers."""
        if action == "info":
            return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            return [self._entry(rel) for rel in self._list(params["folder"])]
        if action == "entriesByFiles":
            return [self._entry(f["path"]) for f in params["files"]]
        if action == "getEntry":
            return self._entry(params["path"])
        if action == "persistEntry":
            if params.get("assets"):
                raise Refused("uploads are not accepted: fact-check files carry no images")
            entries = params.get("dataFiles") or [params["entry"]]
            for entry in entries:
                if entry.get("newPath"):
                    raise Refused("renaming a file is not supported: its name is its address")
                self._path(entry["path"])  # every path is checked before anything is written
            for entry in entries:
                self._write(entry["path"], entry["raw"])
            return {"message": "entry persisted"}
        if action in ("getMedia",):
            return []
        if action == "getDeployPreview":
            return None
        raise Refused(f"the local editor does not {action}")


class _Handler(BaseHTTPRequestHandler):
    backend: LocalBackend
    origin: str = ""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _local(self) -> bool:
        """A request from a page of this machine's preview: Host is the loopback address (no DNS
        rebinding), any Origin is a loopback one (no other site's page), and the body is JSON
        (a form or a plain-text post from elsewhere would otherwise need no permission)."""
        host = self.headers.get("Host", "")
        origin = self.headers.get("Origin")
        return (
            bool(LOCAL_RE.match("http://" + host))
            and (origin is None or bool(LOCAL_RE.match(origin)))
            and self.headers.get("Content-Type", "").split(";")[0].strip().lower() == "application/json"
        )

    def _cors(self) -> None:
        origin = self.headers.get("Origin", "")
        if origin and LOCAL_RE.match(origin):
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")
            self.send_header("Access-Control-Allow-Headers", "Content-Type")
            self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self._cors()
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_OPTIONS(self) -> None:  # noqa: N802
        self.send_response(204)
        self._cors()
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:  # noqa: N802
        if self.path.rstrip("/") != "/api/v1":
            self._send(404, {"error": "not found"})
            return
        if not self._local():
            self._send(403, {"error": "only the local preview's editor may use this server"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(413, {"error": "too large"})
            return
        try:
            request = json.loads(self.rfile.read(length) or b"{}")
            answer = self.backend.handle(str(request.get("action")), request.get("params") or {})
        except Refused as exc:
            log.warning("Editor: %s", exc)
            self._send(422, {"error": str(exc)})
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            self._send(422, {"error": f"bad request: {exc}"})
        except FileNotFoundError:
            self._send(404, {"error": "no such file"})
        else:
            self._send(200, answer)


class LocalServer:
    """The local backend on a free port of 127.0.0.1, in a thread, until `stop`."""

    def __init__(self, backend: LocalBackend, port: int = 0) -> None:
        handler = type("Handler", (_Handler,), {"backend": backend})
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, name="factcheck-editor", daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/api/v1"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
