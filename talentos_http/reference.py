"""Render the OpenAPI document as one self-contained, readable HTML reference page (`GET /docs`).

The page carries no script and loads nothing from anywhere: one inline ``<style>`` block,
allowed by its hash in the returned Content-Security-Policy. Every string taken from the
document is escaped, because the page must stay safe even if a description ever carries
user-controlled text.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import escape
from typing import Any

__all__ = ["render_reference"]

_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
_MAX_DEPTH = 8
_CONSTRAINTS = (
    "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf", "pattern", "minItems", "maxItems", "minProperties", "maxProperties", "default",
)  # fmt: skip
_FLAGS = ("uniqueItems", "readOnly", "writeOnly", "deprecated")
_HEAD = (
    "<tr><th>Field</th><th>Type</th><th>Required</th><th>Constraints</th><th>Description</th></tr>"
)

_CSS = """
:root{--fg:#1d2430;--muted:#5b6574;--line:#d9dee5;--bg:#fff;--code:#f3f5f8}
*{box-sizing:border-box}
body{margin:0 auto;max-width:70rem;padding:1.5rem;font:15px/1.5 system-ui,sans-serif;
color:var(--fg);background:var(--bg)}
h1{margin:.2rem 0}h2{border-bottom:2px solid var(--line);padding-bottom:.3rem;margin-top:2.5rem}
h3{margin:0;font-size:1.05rem;word-break:break-all}h4{margin:1rem 0 .3rem;font-size:.95rem}
code{font:13px/1.4 ui-monospace,monospace;background:var(--code);padding:0 .25rem;
border-radius:3px}
article{border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem;margin:1rem 0}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;border-top:1px solid var(--line);padding:.3rem .5rem}
th{color:var(--muted);font-weight:600}
.m{display:inline-block;min-width:4.2rem;text-align:center;border-radius:3px;color:#fff;
font:700 12px/1.6 ui-monospace,monospace;margin-right:.4rem;background:#5b6574}
.m-get{background:#1f6feb}.m-post{background:#1a7f37}.m-patch,.m-put{background:#9a6700}
.m-delete{background:#cf222e}
.who,.muted,nav .sum{color:var(--muted)}.req{color:#cf222e;font-weight:600}
nav ul{list-style:none;padding-left:1rem;margin:.2rem 0}nav li{margin:.1rem 0}
a{color:#0b57d0}.top{float:right;font-size:.85rem}
"""


def render_reference(document: dict[str, Any]) -> tuple[str, str]:
    """Render ``document`` (OpenAPI 3.1) as HTML; return ``(html, content_security_policy)``.

    Never raises on an odd document: unknown or unresolvable parts are shown as they are.
    """
    info = _dict(document.get("info"))
    title = str(info.get("title") or "API reference")
    groups: dict[str, list[tuple[str, str, dict[str, Any], list[Any]]]] = {}
    for path, item in _dict(document.get("paths")).items():
        item = _dict(_resolve(document, item))
        for method in _METHODS:
            if isinstance(op := item.get(method), dict):
                tags = op.get("tags") or ["Other"]
                groups.setdefault(str(tags[0]), []).append(
                    (method, str(path), op, _list(item.get("parameters")))
                )
    ids = _Ids()
    errors = _Errors(ids)
    toc, body = [], []
    for tag, ops in groups.items():
        tag_id = ids.new("tag-" + tag)
        links, articles = [], []
        for method, path, op, shared in ops:
            op_id = ids.new("op-" + str(op.get("operationId") or f"{method}-{path}"))
            links.append(
                f'<li><a href="#{op_id}"><span class="m m-{method}">{method.upper()}</span>'
                f"<code>{_e(path)}</code></a> "
                f"<span class=sum>{_e(op.get('summary', ''))}</span></li>"
            )
            articles.append(_operation(document, method, path, op, shared, op_id, errors))
        toc.append(f'<li><a href="#{tag_id}">{_e(tag)}</a><ul>{"".join(links)}</ul></li>')
        body.append(
            f'<section id="{tag_id}"><h2>{_e(tag)}<a class=top href="#top">top</a></h2>'
            + "".join(articles)
            + "</section>"
        )
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f'<header id="top"><h1>{_e(title)}</h1>'
        f'<p class="muted">Version {_e(info.get("version", ""))}</p>'
        f"{_paragraphs(info.get('description'))}{_security_schemes(document)}"
        f"{errors.render(document)}</header>"
        f"<nav><h2>Contents</h2><ul>{''.join(toc)}</ul></nav><main>{''.join(body)}</main>"
        "</body></html>"
    )
    csp = (
        f"default-src 'none'; style-src '{csp_hash(_CSS)}'; img-src 'none'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return page, csp


def csp_hash(text: str) -> str:
    """Return the CSP source expression (``sha256-…``) allowing an inline block of ``text``."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def _operation(
    doc: dict[str, Any],
    method: str,
    path: str,
    op: dict[str, Any],
    shared: list[Any],
    op_id: str,
    errors: _Errors,
) -> str:
    parts = [
        f'<article id="{op_id}"><h3><span class="m m-{method}">{method.upper()}</span>'
        f"<code>{_e(path)}</code></h3>"
    ]
    if op.get("summary"):
        parts.append(f"<p><strong>{_e(op['summary'])}</strong></p>")
    parts.append(_paragraphs(op.get("description")))
    parts.append(f'<p class="who">Who may call: {_who(doc, op)}</p>')
    params: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*shared, *_list(op.get("parameters"))]:  # operation overrides path level
        p = _dict(_resolve(doc, raw))
        params[(str(p.get("in")), str(p.get("name")))] = p
    if params:
        rows = []
        for p in params.values():
            schema = _dict(p.get("schema"))
            rows.append(
                f"<tr><td><code>{_e(p.get('name', ''))}</code></td><td>{_e(p.get('in', ''))}</td>"
                f"<td>{_e(_type(doc, schema))}</td>{_required(bool(p.get('required')))}"
                f"<td>{_constraints(doc, schema)}</td>"
                f"<td>{_e(p.get('description') or _dict(_resolve(doc, schema)).get('description'))}"
                "</td></tr>"
            )
        parts.append(
            "<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Type</th>"
            f"<th>Required</th><th>Constraints</th><th>Description</th></tr>{''.join(rows)}</table>"
        )
    if body := _dict(_resolve(doc, op.get("requestBody"))):
        parts.append("<h4>Request body" + ("" if body.get("required") else " (optional)") + "</h4>")
        parts.append(_paragraphs(body.get("description")) + _content(doc, body))
    failures = []
    for status, raw in _dict(op.get("responses")).items():
        resp = _dict(_resolve(doc, raw))
        failing = str(status) == "default" or str(status)[:1] in ("4", "5")
        if failing and (shared_error := errors.link(doc, resp)):
            failures.append(f"<li><code>{_e(status)}</code> {_e(resp.get('description'))} — ")
            failures.append(f"{shared_error}</li>")
            continue
        parts.append(f"<h4>Response <code>{_e(status)}</code> {_e(resp.get('description'))}</h4>")
        parts.append(_content(doc, resp))
    if failures:
        parts.append(f"<h4>Errors</h4><ul>{''.join(failures)}</ul>")
    return "".join(parts) + "</article>"


def _who(doc: dict[str, Any], op: dict[str, Any]) -> str:
    security = op.get("security", doc.get("security"))
    roles = _list(op.get("x-roles"))
    if not security and not roles:
        return "<strong>public</strong> (no credential needed)"
    schemes = sorted({str(k) for req in _list(security) for k in _dict(req)})
    via = f" via {_e(' or '.join(schemes))}" if schemes else ""
    if not roles:
        return f"<strong>any signed-in role</strong>{via}"
    listed = ", ".join(f"<code>{_e(r)}</code>" for r in roles)
    return f"roles {listed}{via}"


def _content(doc: dict[str, Any], holder: dict[str, Any]) -> str:
    out = []
    for media, entry in _dict(holder.get("content")).items():
        schema = _dict(_dict(entry).get("schema"))
        rows = _fields(doc, schema, "", frozenset(), 0)
        out.append(f'<p class="muted">{_e(media)} — {_e(_type(doc, schema))}</p>')
        if rows:
            out.append(f"<table>{_HEAD}{''.join(rows)}</table>")
    return "".join(out)


def _fields(
    doc: dict[str, Any], schema: dict[str, Any], prefix: str, seen: frozenset[str], depth: int
) -> list[str]:
    """Table rows for an object's properties, nested objects flattened as ``a.b`` / ``a[].b``."""
    schema, seen, cyclic = _walk(doc, schema, seen)
    if cyclic or depth > _MAX_DEPTH:
        return []
    if schema.get("type") == "array" or "items" in schema:
        items = _dict(schema.get("items"))
        return _fields(doc, items, prefix + "[]", seen, depth + 1)
    props: dict[str, Any] = {}
    required: set[str] = set(map(str, _list(schema.get("required"))))
    for part in [schema, *_list(schema.get("allOf"))]:  # allOf merges its members' fields
        part = _walk(doc, _dict(part), seen)[0]
        props.update(_dict(part.get("properties")))
        required.update(map(str, _list(part.get("required"))))
    rows = []
    for name, raw in props.items():
        sub = _dict(raw)
        desc = sub.get("description") or _walk(doc, sub, seen)[0].get("description")
        rows.append(
            f"<tr><td><code>{_e(f'{prefix}.{name}' if prefix else name)}</code></td>"
            f"<td>{_e(_type(doc, sub))}</td>"
            f"{_required(name in required)}<td>{_constraints(doc, sub)}</td>"
            f"<td>{_e(desc)}</td></tr>"
        )
        rows += _fields(doc, sub, f"{prefix}.{name}" if prefix else str(name), seen, depth + 1)
    return rows


def _walk(
    doc: dict[str, Any], schema: dict[str, Any], seen: frozenset[str]
) -> tuple[dict[str, Any], frozenset[str], bool]:
    """Resolve refs and strip a nullable wrapper; report whether a ref loops back on itself."""
    for _ in range(_MAX_DEPTH):
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref in seen:
                return schema, seen, True
            seen, schema = seen | {ref}, _dict(_resolve(doc, schema))
            continue
        options = [
            o
            for o in _list(schema.get("anyOf") or schema.get("oneOf"))
            if _dict(o) != {"type": "null"}
        ]
        if len(options) != 1:
            break
        schema = _dict(options[0])
    return schema, seen, False


def _resolve(doc: dict[str, Any], node: Any) -> Any:
    """Follow one local ``$ref`` (``#/a/b``); return its target, ``{}`` if missing, else node."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return node
    target: Any = doc
    for key in ref[2:].split("/"):
        key = key.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or key not in target:
            return {}
        target = target[key]
    return target


def _type(doc: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> str:
    """A short type label: ``string (email)``, ``array of Vacancy``, ``integer | null``."""
    if depth > _MAX_DEPTH:
        return "…"
    if isinstance(schema.get("$ref"), str):
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "const" in schema:
        return "const " + _json(schema["const"])
    for key, sep in (("oneOf", " | "), ("anyOf", " | "), ("allOf", " & ")):
        if isinstance(schema.get(key), list):
            return sep.join(_type(doc, _dict(s), depth + 1) for s in schema[key])
    kind = schema.get("type")
    names = [str(t) for t in kind] if isinstance(kind, list) else [str(kind)] if kind else []
    if not names:
        names = ["object" if "properties" in schema else "any"]
    label = " | ".join(
        f"array of {_type(doc, _dict(schema.get('items')), depth + 1)}" if n == "array" else n
        for n in names
    )
    return f"{label} ({schema['format']})" if schema.get("format") else label


def _constraints(doc: dict[str, Any], schema: dict[str, Any], label: str = "") -> str:
    schema = _walk(doc, schema, frozenset())[0]
    found = [f"{label}{k}: {_json(schema[k])}" for k in _CONSTRAINTS if k in schema]
    found += [f"{label}{k}" for k in _FLAGS if schema.get(k)]
    if isinstance(schema.get("enum"), list):
        found.append(f"{label}one of: " + ", ".join(_json(v) for v in schema["enum"]))
    html = "<br>".join(f"<code>{_e(c)}</code>" for c in found)
    if not label and isinstance(schema.get("items"), dict):
        items = _constraints(doc, schema["items"], "items ")
        html = "<br>".join(h for h in (html, items) if h)
    return html


def _security_schemes(doc: dict[str, Any]) -> str:
    schemes = _dict(_dict(doc.get("components")).get("securitySchemes"))
    if not schemes:
        return ""
    items = []
    for name, raw in schemes.items():
        s = _dict(raw)
        how = " ".join(str(s[k]) for k in ("type", "scheme", "in", "name") if s.get(k))
        desc = f" — {_e(s['description'])}" if s.get("description") else ""
        items.append(f"<li><code>{_e(name)}</code>: {_e(how)}{desc}</li>")
    return f"<h2>Authentication</h2><ul>{''.join(items)}</ul>"


def _required(flag: bool) -> str:
    return '<td class="req">yes</td>' if flag else "<td>no</td>"


def _paragraphs(text: Any) -> str:
    if not text:
        return ""
    chunks = [c.strip() for c in re.split(r"\n\s*\n", str(text)) if c.strip()]
    return "".join(f"<p>{_e(c)}</p>" for c in chunks)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _e(value: Any) -> str:
    return "" if value is None else escape(str(value), quote=True)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class _Errors:
    """Error responses sharing one referenced schema: listed per endpoint, described once."""

    def __init__(self, ids: _Ids) -> None:
        self._ids = ids
        self._refs: dict[str, str] = {}  # $ref -> anchor id

    def link(self, doc: dict[str, Any], response: dict[str, Any]) -> str:
        """A link to the shared description of ``response``'s schema, or "" if it has none."""
        media = list(_dict(response.get("content")).values())
        ref = _dict(_dict(media[0]).get("schema")).get("$ref") if len(media) == 1 else None
        if not isinstance(ref, str) or not _resolve(doc, {"$ref": ref}):
            return ""
        name = ref.rsplit("/", 1)[-1]
        if ref not in self._refs:
            self._refs[ref] = self._ids.new("schema-" + name)
        anchor = self._refs[ref]
        return f'<a href="#{anchor}">{_e(name)}</a>'

    def render(self, doc: dict[str, Any]) -> str:
        parts = [
            f'<h3 id="{anchor}">{_e(ref.rsplit("/", 1)[-1])}</h3><table>{_HEAD}'
            f"{''.join(_fields(doc, {'$ref': ref}, '', frozenset(), 0))}</table>"
            for ref, anchor in self._refs.items()
        ]
        return "<h2>Error responses</h2>" + "".join(parts) if parts else ""


class _Ids:
    """Unique, attribute-safe anchor ids derived from document strings."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def new(self, text: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-").lower() or "x"
        anchor, n = base, 1
        while anchor in self._used:
            n += 1
            anchor = f"{base}-{n}"
        self._used.add(anchor)
        return anchor
