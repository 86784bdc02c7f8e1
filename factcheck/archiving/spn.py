"""A small client of the Internet Archive's Save Page Now 2 API: ask for a capture, wait for it.

Two calls: `POST <endpoint>/save` (form field `url`) answers `{"url", "job_id"}`, then
`GET <endpoint>/save/status/<job_id>` answers `{"status": "pending"}` until `"success"` (with
`timestamp` and `original_url`) or `"error"` (with `status_ext` and `message`). With access keys
every request carries `Authorization: LOW <access>:<secret>`; without, the capture is anonymous
(a lower rate). HTTP 429 means "slow down"; an answer about a daily limit of captures means
"stop for today". Only the standard library: see README, "Sources that last", for why this is
not the `savepagenow` package.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from factcheck import __version__

USER_AGENT = (
    f"factcheck-microsite/{__version__} (archiving cited sources; +https://github.com/factcheck-microsite/factcheck)"
)


class SpnError(Exception):
    """The capture of one address failed (the service's reason in the message); others may succeed."""


class SlowDown(Exception):
    """The service answered 429: wait `retry_after` seconds (None: it did not say) before the next request."""

    def __init__(self, retry_after: float | None) -> None:
        super().__init__(f"the service asks to slow down (HTTP 429, Retry-After: {retry_after})")
        self.retry_after = retry_after


class DailyQuota(Exception):
    """The account (or the anonymous address) has used today's captures: stop, and run again tomorrow."""


class ServiceUnavailable(Exception):
    """The service cannot be reached or answers nonsense: stop, nothing else will work either."""


@dataclass(frozen=True)
class Capture:
    timestamp: str  # YYYYMMDDhhmmss
    original_url: str


def _is_daily_quota(answer: dict[str, Any]) -> bool:
    """Whether an error answer is about the account's daily limit (not one address captured too often today)."""
    ext = str(answer.get("status_ext") or "")
    message = str(answer.get("message") or "").lower()
    if ext in ("error:daily-limit", "error:user-daily-limit", "error:daily-captures-limit"):
        return True
    if "this url" in message or "this page" in message:  # error:too-many-daily-captures is per address
        return False
    return "daily" in message and ("limit" in message or "quota" in message)


class SavePageNow:
    """Save Page Now 2 at an endpoint (https://web.archive.org, or a stand-in in tests)."""

    def __init__(
        self,
        endpoint: str,
        access_key: str | None = None,
        secret_key: str | None = None,
        *,
        poll_seconds: float = 5.0,
        max_wait_seconds: float = 600.0,
        timeout: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if access_key and secret_key:
            self.headers["Authorization"] = f"LOW {access_key}:{secret_key}"
        self.poll_seconds, self.max_wait, self.timeout, self.sleep = poll_seconds, max_wait_seconds, timeout, sleep

    @property
    def authenticated(self) -> bool:
        return "Authorization" in self.headers

    def archive_url(self, timestamp: str, url: str) -> str:
        """The address of a capture: `<endpoint>/web/<timestamp>/<url>`."""
        return f"{self.endpoint}/web/{timestamp}/{url}"

    def _request(self, method: str, path: str, form: dict[str, str] | None = None) -> dict[str, Any]:
        data = urllib.parse.urlencode(form).encode("ascii") if form is not None else None
        request = urllib.request.Request(  # noqa: S310 - the endpoint setting is checked to be http(s)
            self.endpoint + path, data=data, method=method, headers=self.headers
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - http(s) endpoint
                body = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 429:
                raw = exc.read()
                answer = _json(raw)
                if answer is not None and _is_daily_quota(answer):
                    raise DailyQuota(str(answer.get("message") or answer.get("status_ext"))) from None
                raise SlowDown(_retry_after(exc.headers.get("Retry-After"))) from None
            if exc.code in (401, 403):
                answer = _json(exc.read()) or {}
                if _is_daily_quota(answer):
                    raise DailyQuota(str(answer.get("message"))) from None
                raise ServiceUnavailable(
                    f"{self.endpoint} refused the request (HTTP {exc.code}): check IA_ACCESS_KEY and IA_SECRET_KEY"
                ) from None
            if exc.code >= 500:
                raise ServiceUnavailable(f"{self.endpoint} answered HTTP {exc.code}; try again later") from None
            answer = _json(exc.read())
            if answer is None:
                raise SpnError(f"HTTP {exc.code}") from None
            body = json.dumps(answer).encode()
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ServiceUnavailable(f"{self.endpoint} cannot be reached: {reason}") from None
        answer = _json(body)
        if answer is None:
            raise ServiceUnavailable(f"{self.endpoint}{path} did not answer JSON")
        return answer

    def submit(self, url: str) -> str:
        """Ask for a capture of url; return the job id."""
        answer = self._request("POST", "/save", {"url": url})
        if answer.get("job_id"):
            return str(answer["job_id"])
        self._raise(answer)
        raise SpnError(f"no job id in the answer: {answer}")

    def status(self, job_id: str) -> dict[str, Any]:
        return self._request("GET", "/save/status/" + urllib.parse.quote(job_id, safe=""))

    def wait(self, job_id: str) -> Capture:
        """Poll the job until it succeeds (return the capture) or fails (raise)."""
        waited = 0.0
        while True:
            try:
                answer = self.status(job_id)
            except SlowDown as exc:  # polling too fast for the service: wait as asked, then ask again
                pause = exc.retry_after if exc.retry_after is not None else max(self.poll_seconds, 5.0)
                if waited + pause > self.max_wait:
                    raise SpnError(f"still pending after {waited:.0f} s; it may finish later: run again") from None
                self.sleep(pause)
                waited += pause
                continue
            state = answer.get("status")
            if state == "success" and answer.get("timestamp"):
                return Capture(str(answer["timestamp"]), str(answer.get("original_url") or ""))
            if state != "pending":
                self._raise(answer)
                raise SpnError(f"unexpected answer: {answer}")
            if waited >= self.max_wait:
                raise SpnError(f"still pending after {waited:.0f} s; it may finish later: run again")
            self.sleep(self.poll_seconds)
            waited += self.poll_seconds

    def capture(self, url: str) -> Capture:
        return self.wait(self.submit(url))

    @staticmethod
    def _raise(answer: dict[str, Any]) -> None:
        if answer.get("status") == "error" or answer.get("status_ext") or answer.get("message"):
            if _is_daily_quota(answer):
                raise DailyQuota(str(answer.get("message") or answer.get("status_ext")))
            if answer.get("status_ext") == "error:user-session-limit":  # too many captures running at once
                raise SlowDown(None)
            ext = answer.get("status_ext") or "error"
            raise SpnError(f"{ext}: {answer.get('message') or 'no reason given'}")


def _json(raw: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
