"""The archive's captures, as pages and as the web-archive standards speak of them.

/ban-luu                the capture view ("Bản lưu"): a banner over a sandboxed frame
/ban-luu/khung          the framed document: the stored page, rewritten (capture_html)
/ban-luu/tep            a captured image or stylesheet, for the framed page only
/memento/timegate       RFC 7089 TimeGate (Accept-Datetime → 302 to the closest capture)
/memento/timemap        RFC 7089 TimeMap (application/link-format)
/cdx                    pywb's CDX server API over the CDXJ index (crawler.cdxj)

The records come from the CaptureArchive the app is given (config CAPTURES, built by
tracuu.pipeline.archive_views): this module shapes pages and headers, never opens a WARC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from search_app.capture_html import rewrite_css, rewrite_html
from search_app.capture_query import cdx_response
from search_app.errors import error_response

bp = Blueprint("captures", __name__)

# The framed page may show images and styles from tracuu only; nothing runs, nothing else
# loads, and the CSP sandbox also covers the document when opened outside its frame.
FRAME_CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "font-src 'self' data:; media-src 'self'; frame-ancestors 'self'; base-uri 'none'; "
    "form-action 'none'; sandbox allow-top-navigation-by-user-activation"
)
RESOURCE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'self'; sandbox"
RESOURCE_TYPES = ("image/", "text/css", "font/", "application/font", "audio/", "video/")
HTML_TYPES = ("text/html", "application/xhtml+xml")
NO_ARCHIVE = "Máy chủ này không có kho bản lưu (WARC)."
NO_CAPTURE = "Kho lưu trữ không có bản lưu nào của địa chỉ này."


def _archive():
    return current_app.config.get("CAPTURES")


@bp.app_template_global()
def captures_of(url: str) -> list:
    """The URL's captures, newest first ([] without an archive or for imported articles)."""
    archive = _archive()
    return list(reversed(archive.captures(url))) if archive is not None and url else []


def capture_dicts(url: str) -> list[dict]:
    """/api/article's ``captures``: newest first, each with the capture view's URL."""
    return [
        {
            "fetched_at": c.fetched_at.isoformat(),
            "status": c.status,
            "warc_record_id": c.record_id,
            "view": url_for("captures.view", url=url, t=c.timestamp, _external=True),
        }
        for c in captures_of(url)
    ]


def _requested():
    """(archive, url, captures oldest first) or an error response (JSON for the machine
    endpoints: search_app.errors.JSON_PATHS)."""
    archive = _archive()
    url = request.args.get("url", "").strip()
    if archive is None:
        return None, error_response(404, NO_ARCHIVE)
    if not url:
        return None, error_response(400, "Thiếu tham số url.")
    captures = archive.captures(url)
    if not captures:
        return None, error_response(404, NO_CAPTURE)
    return (archive, url, captures), None


def closest(captures: list, moment: datetime):
    """The capture nearest in time to ``moment`` (ties: the earlier), as a TimeGate picks."""
    return min(captures, key=lambda c: abs((c.fetched_at - moment).total_seconds()))


def _chosen(archive, captures: list, stamp: str):  # noqa: ANN001
    """The capture at timestamp ``stamp`` (4–20 digits), or the closest to it."""
    return closest(captures, archive.parse_timestamp(stamp)) if stamp else captures[-1]


def _pick():
    found, error = _requested()
    if error is not None:
        return None, error
    archive, url, captures = found
    try:
        capture = _chosen(archive, captures, request.args.get("t", "").strip())
    except ValueError as exc:
        return None, error_response(400, str(exc))
    return (archive, url, captures, capture), None


# -- the capture view ------------------------------------------------------------------
@bp.get("/ban-luu")
def view():
    picked, error = _pick()
    if error is not None:
        return error
    archive, url, captures, capture = picked
    if request.args.get("t") != capture.timestamp:  # one address per capture (a URI-M)
        return redirect(url_for("captures.view", url=url, t=capture.timestamp))
    html = render_template(
        "capture.html",
        url=url,
        capture=capture,
        warc_file=_short_file_name(capture.filename),
        captures=list(reversed(captures)),
        frame=url_for("captures.frame", url=url, t=capture.timestamp),
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    _memento_headers(response, url, capture, captures)
    return response


@bp.get("/ban-luu/khung")
def frame():
    picked, error = _pick()
    if error is not None:
        return error
    archive, url, captures, capture = picked
    mime = capture.mime.lower()
    if capture.kind == "response" and not mime.startswith(HTML_TYPES):
        page = render_template("capture_other.html", capture=capture, url=url)
    else:
        moment = capture.fetched_at
        page = rewrite_html(
            archive.read_html(capture),
            url,
            resolve=lambda u: _resource_link(archive, u, moment),
            link=lambda u: _page_link(archive, u, moment),
        )
    response = Response(page, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = FRAME_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    _memento_headers(response, url, capture, captures)
    return response


@bp.get("/ban-luu/tep")
def resource():
    """A captured image, stylesheet or font, as stored (stylesheets rewritten)."""
    picked, error = _pick()
    if error is not None:
        return error
    archive, url, _captures, capture = picked
    stored = archive.read(capture)
    content_type = stored.headers.get("content-type", capture.mime) or "application/octet-stream"
    if not content_type.lower().startswith(RESOURCE_TYPES):
        return error_response(404, "Bản lưu này không phải hình ảnh hay tệp trình bày (CSS).")
    body: bytes | str = stored.body
    if content_type.lower().startswith("text/css"):
        css = stored.body.decode("utf-8", errors="replace")
        body = rewrite_css(css, url, lambda u: _resource_link(archive, u, capture.fetched_at))
        content_type = "text/css; charset=utf-8"
    response = Response(body, content_type=content_type)
    response.headers["Content-Security-Policy"] = RESOURCE_CSP
    response.headers["Cache-Control"] = "public, max-age=86400"  # a capture never changes
    return response


def _short_file_name(filename: str) -> str:
    """The WARC's name without its folder; inside a WACZ, ``NAME.wacz#archive/…``."""
    path, mark, member = filename.partition("#")
    return path.rsplit("/", 1)[-1] + mark + member


def _resource_link(archive, url: str, moment: datetime) -> str | None:  # noqa: ANN001
    """The capture of an image/stylesheet closest to the page's own capture, if any."""
    found = [c for c in archive.captures(url) if c.status == 200]
    if not found:
        return None
    return url_for("captures.resource", url=url, t=closest(found, moment).timestamp)


def _page_link(archive, url: str, moment: datetime) -> str | None:  # noqa: ANN001
    if not url.startswith(("http://", "https://")) or not archive.captures(url):
        return None
    return url_for("captures.view", url=url, t=moment.strftime("%Y%m%d%H%M%S"))


# -- Memento (RFC 7089) ----------------------------------------------------------------
def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _memento_links(url: str, captures: list, *, rels: dict | None = None) -> list[str]:
    links = [
        f'<{url}>; rel="original"',
        f'<{url_for("captures.timegate", url=url, _external=True)}>; rel="timegate"',
        f'<{url_for("captures.timemap", url=url, _external=True)}>; rel="timemap"; '
        'type="application/link-format"',
    ]
    for capture, rel in (rels or {}).items():
        href = url_for("captures.view", url=url, t=capture.timestamp, _external=True)
        links.append(f'<{href}>; rel="{rel}"; datetime="{_http_date(capture.fetched_at)}"')
    return links


def _neighbour_rels(captures: list, capture, *, neighbours: bool = True) -> dict:  # noqa: ANN001
    """capture -> its rel ("first memento", "prev memento", "memento"…) as seen from
    ``capture`` among all the URL's captures (oldest first)."""
    named = [("first", captures[0]), ("last", captures[-1])]
    position = captures.index(capture)
    if neighbours and position:
        named.append(("prev", captures[position - 1]))
    if neighbours and position + 1 < len(captures):
        named.append(("next", captures[position + 1]))
    words: dict = {capture: []}
    for word, other in named:
        words.setdefault(other, []).append(word)
    return {c: " ".join([*w, "memento"]) for c, w in words.items()}


def _memento_headers(response: Response, url: str, capture, captures: list) -> None:  # noqa: ANN001
    response.headers["Memento-Datetime"] = _http_date(capture.fetched_at)
    links = _memento_links(url, captures, rels=_neighbour_rels(captures, capture))
    response.headers["Link"] = ", ".join(links)


@bp.get("/memento/timegate")
def timegate():
    found, error = _requested()
    if error is not None:
        return error
    _archive_, url, captures = found
    asked = request.headers.get("Accept-Datetime", "").strip()
    capture = captures[-1]
    if asked:
        try:
            moment = parsedate_to_datetime(asked)
        except (TypeError, ValueError):
            moment = None
        if moment is None or moment.tzinfo is None:
            return error_response(
                400, f"Accept-Datetime không hợp lệ: {asked[:60]!r} (dạng RFC 1123, giờ GMT)."
            )
        capture = closest(captures, moment)
    response = redirect(url_for("captures.view", url=url, t=capture.timestamp, _external=True))
    response.headers["Vary"] = "accept-datetime"
    rels = _neighbour_rels(captures, capture, neighbours=False)
    response.headers["Link"] = ", ".join(_memento_links(url, captures, rels=rels))
    return response


@bp.get("/memento/timemap")
def timemap():
    found, error = _requested()
    if error is not None:
        return error
    _archive_, url, captures = found
    self_link = url_for("captures.timemap", url=url, _external=True)
    first, last = captures[0].fetched_at, captures[-1].fetched_at
    lines = [
        f'<{url}>; rel="original"',
        f'<{self_link}>; rel="self"; type="application/link-format"; '
        f'from="{_http_date(first)}"; until="{_http_date(last)}"',
        f'<{url_for("captures.timegate", url=url, _external=True)}>; rel="timegate"',
    ]
    for capture in captures:
        href = url_for("captures.view", url=url, t=capture.timestamp, _external=True)
        lines.append(f'<{href}>; rel="memento"; datetime="{_http_date(capture.fetched_at)}"')
    return Response(",\n".join(lines) + "\n", content_type="application/link-format")


# -- pywb's CDX server API -------------------------------------------------------------
@bp.get("/cdx")
def cdx():
    archive = _archive()
    if archive is None:
        return error_response(404, NO_ARCHIVE)
    return cdx_response(archive, request.args, error_response)
