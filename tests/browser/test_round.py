"""A full negotiating round in real browsers: propose, co-sponsor, decide, circulate, see the outcome."""

from __future__ import annotations

import re

from playwright.sync_api import expect

SLUG = "coastal-resilience"
COMPILATION = f"/n/{SLUG}/r/1/compilation"


def test_demo_accounts_sign_in_and_read_the_zero_draft(visitor):
    anon = visitor(name="anon")
    anon.go("/login")
    expect(anon.page.get_by_text("amina@demo.drafter.example")).to_be_visible()
    anon.shot("login")
    for email in (
        "amina@demo.drafter.example",
        "secretariat@demo.drafter.example",
        "g77@demo.drafter.example",
        "observer@demo.drafter.example",
    ):
        v = visitor(email)
        v.go(f"/n/{SLUG}/")
        v.page.get_by_role("link", name="Zero draft").first.click()
        expect(v.page.locator("article.document")).to_contain_text("Decides to convene a high-level meeting")
        expect(v.page.locator("article.document")).to_contain_text("OP2 (a)")
        v.shot("zero-draft")


def test_a_wrong_password_keeps_the_user_out_with_a_generic_message(visitor):
    v = visitor(name="intruder")
    v.go("/login")
    v.page.fill("input[name=email]", "amina@demo.drafter.example")
    v.page.fill("input[name=password]", "not the password")
    v.page.click("form button[type=submit], form button.primary")
    expect(v.page.get_by_text(re.compile("password is not right", re.I))).to_be_visible()
    assert "/login" in v.page.url


def test_two_delegations_and_a_cofacilitator_run_a_round(visitor):
    # G77 and China amends OP1, watching the live diff as they type.
    g77 = visitor("g77@demo.drafter.example", "g77")
    g77.go(COMPILATION)
    op1 = g77.page.locator("section.para-row", has_text="Decides to convene a high-level meeting")
    op1.locator("summary").click()
    op1.get_by_role("link", name=re.compile(r"^Amend")).click()
    box = g77.page.locator("textarea#text")
    expect(box).to_have_value(re.compile("in 2028"))
    box.fill(
        box.input_value().replace("in 2028", "in 2027").replace("within existing resources", "with adequate resources")
    )
    live = g77.page.locator("#live-diff")
    expect(live.locator("ins").first).to_contain_text("2027")
    expect(live.locator("del").first).to_contain_text("2028")
    g77.shot("live-diff")
    g77.page.fill("textarea#justification", "Earlier is better for the most exposed communities.")
    g77.page.get_by_role("button", name="Submit the proposal").click()
    expect(g77.page.locator("h1")).to_contain_text("Proposal #")
    proposal_url = g77.page.url
    expect(g77.page.locator(".meta")).to_contain_text("G77 and China")

    # The European Union co-sponsors it.
    eu = visitor("eu@demo.drafter.example", "eu")
    eu.page.goto(proposal_url)
    eu.page.get_by_role("button", name="Co-sponsor").click()
    expect(eu.page.get_by_text("European Union has co-sponsored this proposal.")).to_be_visible()
    eu.go(COMPILATION)
    expect(eu.page.locator(f"#proposal-{proposal_url.rstrip('/').rsplit('/', 1)[-1]}")).to_contain_text(
        "European Union"
    )
    eu.shot("compilation")

    # A co-facilitator starts Rev.1 and incorporates the proposal into it.
    amina = visitor("amina@demo.drafter.example", "amina")
    amina.go(f"/n/{SLUG}/")
    amina.page.get_by_role("button", name=re.compile("Start the next revision")).click()
    amina.page.goto(proposal_url)
    amina.page.get_by_role("link", name="Decide").first.click()
    expect(amina.page.locator("body")).to_contain_text("Effect on the working revision")
    amina.page.get_by_label("Incorporated", exact=True).check()
    amina.page.fill("textarea#note", "Taken up.")
    amina.shot("decide")
    amina.page.get_by_role("button", name=re.compile("Record the decision|Save|Decide")).last.click()
    expect(amina.page.locator("body")).to_contain_text("Incorporated")

    # ... and circulates Rev.1 with a deadline.
    amina.go(f"/n/{SLUG}/")
    amina.page.get_by_role("link", name="Circulate…").click()
    amina.page.get_by_role("button", name="Circulate Rev.1").click()
    expect(amina.page.locator("body")).to_contain_text("Rev.1")
    amina.go(f"/n/{SLUG}/r/2/")
    expect(amina.page.locator("article.document")).to_contain_text("in 2027, with adequate resources")

    # The delegation sees its proposal taken up, on the proposal and on its own page.
    g77.page.goto(proposal_url)
    expect(g77.page.locator("#outcome")).to_contain_text("Taken up")
    g77.shot("outcome")
    g77.go(f"/n/{SLUG}/r/2/")
    expect(g77.page.locator("article.document")).to_contain_text("in 2027")


def test_another_delegation_cannot_edit_or_withdraw_a_proposal(visitor):
    g77 = visitor("g77@demo.drafter.example", "g77")
    g77.go(COMPILATION)
    op3 = g77.page.locator("section.para-row", has_text="Encourages the sharing of data")
    op3.locator("summary").click()
    op3.get_by_role("link", name=re.compile(r"^Delete")).click()
    g77.page.get_by_role("button", name="Submit the proposal").click()
    url = g77.page.url
    expect(g77.page.get_by_role("button", name="Withdraw")).to_be_visible()

    japan = visitor("japan@demo.drafter.example", "japan")
    japan.page.goto(url)
    expect(japan.page.get_by_role("button", name="Withdraw")).to_have_count(0)
    response = japan.page.goto(url.rstrip("/") + "/edit")
    assert response is not None and response.status in (403, 404)
