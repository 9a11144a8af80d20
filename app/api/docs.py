"""A readable page of the OpenAPI document, drawn on the server from the document itself (no CDN is
reachable from an office, and the page needs no script)."""
from __future__ import annotations

import json
from html import escape

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

STYLE = ("body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}"
         "h2{border-bottom:1px solid #ccc;padding-top:1rem}.op{border:1px solid #ddd;border-radius:6px;"
         "padding:.6rem 1rem;margin:.8rem 0}.m{font-weight:bold;padding:.1rem .5rem;border-radius:4px;"
         "color:#fff;background:#1e3a8a}.post{background:#166534}"
         "code,pre{background:#f3f4f6;padding:.1rem .3rem}"
         "pre{padding:.6rem;overflow:auto;font-size:.85rem}td,th{text-align:left;padding:.2rem .6rem}")


def docs_page(api: FastAPI) -> HTMLResponse:
    doc = api.openapi()
    info = doc.get("info", {})
    parts = [f"<!doctype html><html lang='vi'><meta charset='utf-8'><title>{escape(info.get('title', ''))}"
             f"</title><style>{STYLE}</style><h1>{escape(info.get('title', ''))} "
             f"<small>v{escape(info.get('version', ''))}</small></h1>",
             f"<p>{escape(info.get('description', ''))}</p>",
             "<p>Tài liệu máy đọc được: <a href='/api/v1/openapi.json'>/api/v1/openapi.json</a> (OpenAPI "
             f"{escape(doc.get('openapi', ''))}). Xác thực: tiêu đề "
             "<code>Authorization: Bearer &lt;khóa API&gt;</code>. Lỗi trả về theo RFC 9457 "
             "(<code>application/problem+json</code>).</p>"]
    by_tag: dict[str, list[str]] = {}
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            tag = (op.get("tags") or ["Khác"])[0]
            by_tag.setdefault(tag, []).append(_operation(path, method, op))
    for tag, ops in by_tag.items():
        parts.append(f"<h2>{escape(tag)}</h2>" + "".join(ops))
    parts.append("<h2>Lược đồ dữ liệu</h2>")
    for name, schema in doc.get("components", {}).get("schemas", {}).items():
        parts.append(f"<details><summary><code>{escape(name)}</code></summary><pre>"
                     f"{escape(json.dumps(schema, ensure_ascii=False, indent=2))}</pre></details>")
    return HTMLResponse("".join(parts))


def _operation(path: str, method: str, op: dict) -> str:
    rows = "".join(
        f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
        f"<td>{'bắt buộc' if p.get('required') else 'tùy chọn'}</td>"
        f"<td>{escape(p.get('description', '') or _type(p.get('schema', {})))}</td></tr>"
        for p in op.get("parameters", []))
    body = op.get("requestBody", {}).get("content", {})
    answers = "".join(f"<li><code>{escape(code)}</code> {escape(r.get('description', ''))}</li>"
                      for code, r in op.get("responses", {}).items())
    return (f"<div class='op'><p><span class='m {method}'>{method.upper()}</span> <code>/api/v1{escape(path)}"
            f"</code> — {escape(op.get('summary', ''))}</p><p>{escape(op.get('description', ''))}</p>"
            + (f"<table><tr><th>Tham số</th><th>Ở</th><th></th><th></th></tr>{rows}</table>" if rows else "")
            + (f"<p>Thân yêu cầu: {', '.join(f'<code>{escape(k)}</code>' for k in body)}</p>" if body else "")
            + f"<ul>{answers}</ul></div>")


def _type(schema: dict) -> str:
    return schema.get("type", "") or "/".join(s.get("type", "") for s in schema.get("anyOf", []))
