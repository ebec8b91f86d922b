import re

from playwright.sync_api import expect


def test_runner_macro_goal_from_the_template_then_a_measurement_moves_progress(page, live_server, make_person, sign_in):
    runner = make_person(display_name="Sam")
    sign_in(page, runner)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Goals").click()
    page.get_by_role("link", name="New goal").click()
    page.get_by_label("Runner: 10k at a sub-8:00 pace").check()
    page.get_by_role("button", name="Use this starting point").click()
    expect(page.get_by_role("heading", level=1, name="10k at a sub-8:00 pace")).to_be_visible()
    expect(page.get_by_text("0 of 3 micro goals achieved")).to_be_visible()

    page.get_by_role("link", name="5k at a sub-7:00 pace").click()
    bar = page.locator("#measure-panel progress")
    expect(bar).to_have_attribute("value", "0")
    page.get_by_role("textbox", name="Value").fill("7:75")
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("seconds and minutes go up to 59")).to_be_visible()
    page.get_by_role("textbox", name="Value").fill("7:57")
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("Best 7:57 · target 7:00")).to_be_visible()
    # Baseline 8:30 (510 s) to target 7:00 (420 s): 7:57 (477 s) is 33 of 90 seconds, 37%.
    expect(bar).to_have_attribute("value", "37")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Goals").click()
    page.wait_for_url(re.compile(r"/goals/$"))
    expect(page.get_by_text("Best 7:57 · target 7:00")).to_be_visible()
