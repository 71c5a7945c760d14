"""A first journey through the handlers."""


def test_save_submit(portfolio):
    status, body = portfolio.post_json("save_evidence", {"fields": {"title": "Séance", "situation_type": "authentic",
                                                                    "description": "d", "analysis": "a"}})
    assert status == 200, body
    uuid = body["evidence"]["uuid"]
    status, body = portfolio.upload(uuid, "notes.txt", b"hello world")
    assert status == 200, body
    status, body = portfolio.post_json("submit_evidence", {"uuid": uuid})
    assert status == 200, body
    assert body["evidence"]["status"] == "submitted"
    page = portfolio.render()
    assert page.status_code == 200
    assert "Séance" in page.content.decode()
