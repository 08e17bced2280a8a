"""Accounts, sessions in Redis, API tokens and the OpenAPI document."""

from __future__ import annotations

from tests.conftest import PASSWORD

RYW = {"prefer": "read-your-writes"}


def test_an_org_admin_creates_a_practitioner_who_can_then_log_in(org, login, anonymous):
    admin = login(org, "admin")
    created = admin.post("/accounts", headers=RYW, json={
        "login": "julie", "display_name": "Julie", "role": "practitioner", "password": PASSWORD})
    assert created.status_code == 201, created.text
    assert [a["login"] for a in admin.get("/accounts", params={"role": "practitioner"}).json()] == ["julie"]
    julie = login(org, "julie")
    assert julie.get("/auth/me").json()["role"] == "practitioner"


def test_a_taken_login_and_a_weak_password_are_refused(org, login):
    admin = login(org, "admin")
    body = {"login": "sam", "display_name": "Sam", "role": "person", "password": PASSWORD}
    assert admin.post("/accounts", json=body).status_code == 201
    assert admin.post("/accounts", json=body).status_code == 409
    weak = admin.post("/accounts", json={**body, "login": "sam2", "password": "short"})
    assert weak.status_code == 422 and "12 characters" in weak.json()["detail"]


def test_a_practitioner_cannot_create_accounts(org, login):
    client = login(org, org.open("practitioner").login)
    response = client.post("/accounts", json={"login": "x-y-z", "display_name": "X", "role": "person",
                                              "password": PASSWORD})
    assert response.status_code == 403


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(org, anonymous):
    response = anonymous.post("/auth/login", json={"organization": org.slug, "login": "admin",
                                                   "password": "wrong-password-1"})
    unknown = anonymous.post("/auth/login", json={"organization": org.slug, "login": "nobody",
                                                  "password": "wrong-password-1"})
    assert response.status_code == unknown.status_code == 401
    assert response.json()["detail"] == unknown.json()["detail"]


def test_logout_ends_the_session(org, login):
    client = login(org, "admin")
    assert client.post("/auth/logout").status_code == 204
    client.cookies.clear()
    assert client.get("/auth/me").status_code == 401


def test_the_session_cookie_no_longer_works_after_logout(org, login):
    client = login(org, "admin")
    token = client.cookies["barometre_session"]
    client.post("/auth/logout")
    client.cookies.set("barometre_session", token)
    assert client.get("/auth/me").status_code == 401


def test_an_api_token_works_as_a_bearer_until_it_is_revoked(org, login, anonymous):
    person = org.open("person")
    client = login(org, person.login)
    issued = client.post("/auth/tokens", json={"name": "mon script"}).json()
    bearer = {"authorization": f"Bearer {issued['token']}"}
    assert anonymous.get("/auth/me", headers=bearer).json()["user_id"] == str(person.user_id)
    assert [t["name"] for t in client.get("/auth/tokens").json()] == ["mon script"]
    assert client.delete(f"/auth/tokens/{issued['id']}").status_code == 204
    assert anonymous.get("/auth/me", headers=bearer).status_code == 401


def test_a_forged_api_token_is_refused(anonymous):
    assert anonymous.get("/auth/me", headers={"authorization": "Bearer bm.nope"}).status_code == 401


def test_the_openapi_document_describes_every_operation_with_schemas(base_url):
    import httpx

    document = httpx.get(base_url + "/schema/openapi.json").json()
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert len(operations) >= 20
    assert all(op.get("operationId") for op in operations)
    assert len({op["operationId"] for op in operations}) == len(operations)
    for op in operations:
        ok = [code for code in op["responses"] if code.startswith("2")]
        assert ok, op["operationId"]
    schemas = document["components"]["schemas"]
    for name in ("RatingsRequest", "CommandView", "AssessmentDetail", "CurrentRating", "ThemeHistoryEntry"):
        assert name in schemas
    assert {"session", "bearer"} <= set(document["components"]["securitySchemes"])
