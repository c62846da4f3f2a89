"""The OpenAPI schema at its stable URL, and API docs served from our own static files."""

import re

from tests.api.conftest import API

EXPECTED_PATHS = {
    "/units": {"get", "post"},
    "/units/{unit_id}": {"get", "patch"},
    "/units/{unit_id}/children": {"get"},
    "/units/{unit_id}/history": {"get"},
    "/accounts": {"get", "post"},
    "/accounts/{account_id}": {"get", "patch"},
    "/accounts/{account_id}/file": {"post"},
    "/accounts/{account_id}/close": {"post"},
    "/accounts/{account_id}/history": {"get"},
    "/grid-groups": {"get", "post"},
    "/grid-groups/{group_id}": {"get", "patch"},
    "/grid-groups/{group_id}/history": {"get"},
    "/memberships": {"get", "post"},
    "/memberships/{membership_id}": {"delete"},
    "/registry/health": {"get"},
    "/me": {"get"},
}


def test_openapi_schema_lists_every_path(client, db):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["version"] == "1"
    paths = {path.removeprefix(API): set(ops) for path, ops in schema["paths"].items()}
    for path, methods in EXPECTED_PATHS.items():
        assert methods <= paths.get(path, set()), path
    assert set(schema["components"]["securitySchemes"]) == {
        "BearerToken",
        "HeaderToken",
        "SessionAuth",
    }
    operation_ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(operation_ids) == len(set(operation_ids)) and "list_accounts" in operation_ids


def test_openapi_schema_describes_pagination_and_errors(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    list_op = schema["paths"][f"{API}/accounts"]["get"]
    params = {p["name"] for p in list_op["parameters"]}
    assert {"platform", "category", "status", "level", "unit", "q", "page", "page_size"} <= params
    paged = schema["components"]["schemas"]["PagedAccountOut"]
    assert set(paged["properties"]) == {"items", "count"}
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"detail", "errors"}
    patch = schema["paths"][f"{API}/accounts/{{account_id}}"]["patch"]
    assert {"403", "404", "422"} <= set(patch["responses"])


def test_docs_use_only_local_assets(client, db):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]*)"', html)
    styles = re.findall(r'<link[^>]*\bhref="([^"]*)"', html)
    assert scripts and all(src.startswith("/static/ninja/") for src in scripts), scripts
    assert all(href.startswith("/static/") for href in styles), styles
    assert not re.search(r'src="https?:', html) and not re.search(r'href="https?:', html)
    # Swagger UI would otherwise show a badge loaded from validator.swagger.io.
    assert '"validatorUrl": null' in html


def test_docs_assets_are_served_by_us(client, db):
    html = client.get(f"{API}/docs").content.decode()
    for src in re.findall(r'<script[^>]*\bsrc="([^"]*)"', html):
        assert client.get(src).status_code == 200, src
