"""The OpenAPI viewers at /schema (Redoc) and /schema/swagger, loading their scripts and
styles from the platform's own /static (vendored, pinned; see static/vendor/README.md), so
they work on a closed network; no CDN favicon, no web fonts."""

from __future__ import annotations

from litestar.openapi.plugins import (
    JsonRenderPlugin,
    OpenAPIRenderPlugin,
    RedocRenderPlugin,
    SwaggerRenderPlugin,
    YamlRenderPlugin,
)

from infra.web.routes import STATIC_PATH

REDOC = f"{STATIC_PATH}/vendor/redoc-2.5.4"
SWAGGER = f"{STATIC_PATH}/vendor/swagger-ui-dist-5.35.0"


def openapi_viewers() -> list[OpenAPIRenderPlugin]:
    return [
        RedocRenderPlugin(path=["/", "/redoc"], js_url=f"{REDOC}/redoc.standalone.js",
                          google_fonts=False, favicon=""),
        SwaggerRenderPlugin(path="/swagger", js_url=f"{SWAGGER}/swagger-ui-bundle.js",
                            css_url=f"{SWAGGER}/swagger-ui.css",
                            standalone_preset_js_url=f"{SWAGGER}/swagger-ui-standalone-preset.js",
                            favicon=""),
        JsonRenderPlugin(path="/openapi.json"),
        YamlRenderPlugin(path=["/openapi.yaml", "/openapi.yml"]),
    ]
