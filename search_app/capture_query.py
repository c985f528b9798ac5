"""/cdx: the CDX server API as pywb answers it, over tracuu's CDXJ index.

``url`` (required), ``matchType`` exact|prefix, ``from``/``to`` (timestamp prefixes, 4–14
digits: ``to=2024`` includes all of 2024), ``limit``, ``sort=reverse``, ``output`` json
(one JSON object per line, pywb's NDJSON) or cdxj (the index lines, the default).
A bad parameter is a 400 in the one JSON error shape.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import Response
from werkzeug.datastructures import MultiDict

MATCH_TYPES = ("exact", "prefix")
OUTPUTS = ("json", "cdxj")
MAX_LIMIT = 100_000


class CdxParamError(ValueError):
    pass


def _bound(args: MultiDict, name: str, pad: str) -> str | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 4 <= len(raw) <= 14:
        raise CdxParamError(f"Tham số {name} phải là 4–14 chữ số (YYYYMMDDhhmmss).")
    return raw + pad[len(raw) :]


def _limit(args: MultiDict) -> int:
    raw = args.get("limit", "").strip()
    if not raw:
        return MAX_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise CdxParamError(f"Tham số limit phải từ 1 đến {MAX_LIMIT}.")
    return int(raw)


def _choice(args: MultiDict, name: str, allowed: tuple[str, ...]) -> str:
    value = args.get(name, "").strip() or allowed[0]
    if value not in allowed:
        raise CdxParamError(f"Tham số {name} phải là một trong: {', '.join(allowed)}.")
    return value


def cdx_rows(archive, args: MultiDict) -> tuple[list[dict], str]:  # noqa: ANN001
    """The matching index rows and the output format asked for."""
    url = args.get("url", "").strip()
    if not url:
        raise CdxParamError("Thiếu tham số url.")
    match = _choice(args, "matchType", MATCH_TYPES)
    output = _choice(args, "output", OUTPUTS)
    low = _bound(args, "from", "00000000000000")
    high = _bound(args, "to", "99991231235959")
    limit = _limit(args)
    rows = archive.query(url, prefix=match == "prefix")
    rows = [
        r
        for r in rows
        if (low is None or r["timestamp"] >= low) and (high is None or r["timestamp"] <= high)
    ]
    if args.get("sort", "") == "reverse":
        rows.reverse()
    return rows[:limit], output


def _cdxj_line(row: dict) -> str:
    fields = {k: v for k, v in row.items() if k not in ("urlkey", "timestamp")}
    return f"{row['urlkey']} {row['timestamp']} {json.dumps(fields, ensure_ascii=False)}\n"


def cdx_response(archive, args: MultiDict, json_error: Callable) -> Response:  # noqa: ANN001
    try:
        rows, output = cdx_rows(archive, args)
    except CdxParamError as exc:
        return json_error(400, str(exc))
    if output == "json":
        body = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        return Response(body, content_type="text/x-ndjson; charset=utf-8")
    return Response("".join(map(_cdxj_line, rows)), content_type="text/x-cdxj; charset=utf-8")
