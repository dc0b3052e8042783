"""OpenAPI at /schema without any CDN: the JSON document, and a plain HTML index of the routes.

Litestar's Swagger/Redoc pages load their JavaScript from a CDN and stay blank offline; this
page is rendered on the server from the same schema and needs nothing but the app.
"""

from __future__ import annotations

import html
from typing import Any

from litestar import Request
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, OpenAPIRenderPlugin

from casefile import __version__


class LocalIndexPlugin(OpenAPIRenderPlugin):
    """A readable list of operations, with a link to the JSON schema."""

    def __init__(self) -> None:
        super().__init__(path=["/", "/index.html"], favicon="", style="")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        rows = []
        for path, operations in sorted(openapi_schema.get("paths", {}).items()):
            for method, operation in operations.items():
                if not isinstance(operation, dict):
                    continue
                summary = operation.get("summary") or operation.get("description") or ""
                rows.append(
                    f"<tr><td><code>{html.escape(method.upper())}</code></td>"
                    f"<td><code>{html.escape(path)}</code></td>"
                    f"<td>{html.escape(summary.splitlines()[0] if summary else '')}</td></tr>"
                )
        json_url = html.escape(self.get_openapi_json_route(request))
        page = f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>casefile — API</title>
<link rel="stylesheet" href="/static/casefile.css"></head>
<body><main><h1>casefile — API {html.escape(__version__)}</h1>
<p>Schéma OpenAPI : <a href="{json_url}">{json_url}</a>. Authentification :
<code>Authorization: Bearer &lt;jeton&gt;</code>
(<code>casefile user add NOM --role RÔLE --token</code>).</p>
<table><caption>Opérations</caption>
<thead><tr><th scope="col">Méthode</th><th scope="col">Chemin</th>
<th scope="col">Résumé</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></main></body></html>"""
        return page.encode()


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="casefile",
        version=__version__,
        description="Recouvrement contentieux : dossiers, événements, délais expliqués et sourcés.",
        path="/schema",
        render_plugins=[JsonRenderPlugin(path="/openapi.json"), LocalIndexPlugin()],
    )
