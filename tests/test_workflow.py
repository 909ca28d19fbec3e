"""The consultant's workflow in the app (issue 13), run by AppTest, and its pure helpers.

Renaming (file name and link carry it), sources that follow edits, the
baseline in links and files, the channel-mix control, messages in a manager's
words, and the Assumptions tab in the sidebar's units.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from widgets import downloaded, html_table_rows, open_groups, slider_value

from cxcost.evaluate import evaluate
from cxcost.i18n import format_money, t
from cxcost.presets import (
    DEFAULT_PRESET,
    LINK_PARAM,
    Problem,
    ScenarioPair,
    decode_link_pair,
    encode_link,
    link_pair,
    load_preset,
    pair_from_json,
    scenario_to_json,
    track_sources,
    user_source,
)
from cxcost.report.bundle import file_stem
from cxcost.report.content import scenario_title
from cxcost.scenario import Scenario
from cxcost.ui import share
from cxcost.ui.assumptions import (
    SOURCE_PATH_KEY,
    SOURCE_SAVE_KEY,
    SOURCE_TEXT_KEY,
    assumption_table,
)
from cxcost.ui.components import signed_money
from cxcost.ui.fields import mix_keys, problem_text, rebalance_mix, widget_key
from cxcost.ui.markdown import escape_markdown

APP = str(Path(__file__).resolve().parents[1] / "app.py")
REPS = widget_key("channels.0.representatives")
REVENUE = widget_key("business.revenue_per_customer")
SHARES = [widget_key(f"channels.{index}.share_of_contacts") for index in range(3)]
TODAY = user_source(date.today())


def _app(token: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if token is not None:
        at.query_params[LINK_PARAM] = token
    at.run()
    assert not at.exception
    return at


def _open_tab(at: AppTest, key: str) -> AppTest:
    at.session_state["ui.tab"] = t(key, "en")
    return at.run()


def _link_token(at: AppTest) -> str:
    at.session_state[share.LINK_KEY] = True
    at.run()
    token = at.query_params[LINK_PARAM]
    return token[0] if isinstance(token, list) else str(token)


# ---------------------------------------------------------------------------
# Renaming


def test_a_renamed_scenario_names_its_file_its_link_and_its_title(
    media: dict[str, bytes],
) -> None:
    at = open_groups(_app(), "scenario")
    at.text_input(key=widget_key("name")).set_value("Proposal 2027")
    at.text_input(key=widget_key("client")).set_value("ACME Retail")
    at.text_area(key=widget_key("description")).set_value("Shorter phone queues.")
    at.run()
    assert not at.exception
    saved = pair_from_json(downloaded(at, share.DOWNLOAD_KEY, media)).scenario
    assert (saved.name, saved.client, saved.description) == (
        "Proposal 2027",
        "ACME Retail",
        "Shorter phone queues.",
    )
    assert share.scenario_file_name(saved) == "acme-retail-proposal-2027.json"
    assert "Proposal 2027 for ACME Retail" in at.caption[0].value
    linked = decode_link_pair(_link_token(at)).scenario
    assert (linked.name, linked.client) == ("Proposal 2027", "ACME Retail")


def test_an_empty_name_is_named_in_the_main_area() -> None:
    at = open_groups(_app(), "scenario")
    at.text_input(key=widget_key("name")).set_value("   ").run()
    assert not at.exception
    (error,) = [e.value for e in at.main.error]
    assert escape_markdown(t("field.name", "en")) in error
    assert not at.sidebar.error


def test_file_stem_and_title() -> None:
    assert file_stem(Scenario(name="Kundeservice 2027")) == "kundeservice-2027"
    named = Scenario(name="Proposal", client="Nordbank ASA")
    assert file_stem(named) == "nordbank-asa-proposal"
    assert scenario_title(named, "en") == "Proposal for Nordbank ASA"
    assert scenario_title(Scenario(name="Proposal"), "nb") == "Proposal"


# ---------------------------------------------------------------------------
# Sources


def test_sources_follow_edits_in_the_file_and_the_assumptions_tab(
    media: dict[str, bytes],
) -> None:
    at = _app()
    path = "business.revenue_per_customer"
    open_groups(_open_tab(at, "tab.assumptions"), "business")
    at.number_input(key=REVENUE).set_value(310.0).run()
    saved = pair_from_json(downloaded(at, share.DOWNLOAD_KEY, media)).scenario
    assert saved.sources[path] == TODAY
    cells = [cell for html in at.html for row in html_table_rows(html.proto.body) for cell in row]
    assert TODAY in cells
    at.number_input(key=REVENUE).set_value(220.0).run()
    saved = pair_from_json(downloaded(at, share.DOWNLOAD_KEY, media)).scenario
    assert saved.sources[path] == load_preset(DEFAULT_PRESET).sources[path] == "illustrative"


def test_a_typed_source_travels_with_the_value(media: dict[str, bytes]) -> None:
    at = _open_tab(_app(), "tab.assumptions")
    path = "channels.0.representatives"
    at.slider(key=REPS).set_value(slider_value(at.slider(key=REPS)) + 3).run()
    at.selectbox(key=SOURCE_PATH_KEY).set_value(path)
    at.text_input(key=SOURCE_TEXT_KEY).set_value("ACME WFM plan 2027")
    at.button(key=SOURCE_SAVE_KEY).click().run()
    assert not at.exception
    saved = pair_from_json(downloaded(at, share.DOWNLOAD_KEY, media)).scenario
    assert saved.sources[path] == "ACME WFM plan 2027"


# ---------------------------------------------------------------------------
# Baseline in links and files


def _proposal(baseline: Scenario) -> Scenario:
    data = baseline.model_dump()
    data["name"] = "Proposal: more phone staff"
    data["channels"][0]["representatives"] += 6
    return track_sources(Scenario.model_validate(data), [baseline], {}, date(2026, 12, 5))


def test_a_link_with_its_baseline_restores_deltas_and_compare() -> None:
    baseline = load_preset(DEFAULT_PRESET)
    proposal = _proposal(baseline)
    at = _app(encode_link(proposal, baseline))
    now, base = evaluate(proposal), evaluate(baseline)
    revenue = at.metric[0]
    assert revenue.value == format_money(now.revenue_at_risk_per_year, "USD", "en")
    expected = signed_money(
        now.revenue_at_risk_per_year - base.revenue_at_risk_per_year, "USD", "en"
    )
    assert revenue.proto.delta == expected
    _open_tab(at, "tab.compare")
    texts = " ".join(str(m.value) for m in at.markdown)
    assert escape_markdown(t("compare.baseline_name", "en", name=baseline.name)) in texts
    assert not any(i.value == t("compare.same", "en") for i in at.info)
    # The sender's "proposal vs baseline" travels on: the next link carries both.
    assert decode_link_pair(_link_token(at)) == ScenarioPair(*link_pair(proposal, baseline))


def test_a_file_with_its_baseline_opens_both_and_an_old_link_still_opens() -> None:
    baseline = load_preset(DEFAULT_PRESET)
    proposal = _proposal(baseline)
    at = _app()
    content = scenario_to_json(proposal, baseline).encode()
    at.file_uploader(key=share.UPLOAD_KEY).set_value(("proposal.json", content, "application/json"))
    at.run()
    assert not at.exception
    assert slider_value(at.slider(key=REPS)) == proposal.channels[0].representatives
    assert any(escape_markdown(baseline.name) in i.value for i in at.main.info)
    assert at.metric[0].proto.delta
    _open_tab(at, "tab.compare")
    assert not any(i.value == t("compare.same", "en") for i in at.info)
    old = _app(encode_link(proposal))
    assert old.metric[0].proto.delta == ""
    _open_tab(old, "tab.compare")
    assert any(i.value == t("compare.same", "en") for i in old.info)


# ---------------------------------------------------------------------------
# Channel mix


def test_moving_one_share_rebalances_the_others_and_results_stay_live() -> None:
    at = open_groups(_app(), "mix")
    assert [slider_value(at.slider(key=key)) for key in SHARES] == [35, 40, 25]
    at.slider(key=SHARES[0]).set_value(40.0).run()
    assert not at.exception
    shares = [slider_value(at.slider(key=key)) for key in SHARES]
    assert shares == [40, 37, 23]
    assert sum(shares) == 100
    assert not at.error
    data = load_preset(DEFAULT_PRESET).model_dump()
    for channel, share_now in zip(data["channels"], (0.40, 0.37, 0.23), strict=True):
        channel["share_of_contacts"] = share_now
    moved = evaluate(Scenario.model_validate(data)).revenue_at_risk_per_year
    base = evaluate(load_preset(DEFAULT_PRESET)).revenue_at_risk_per_year
    assert at.metric[0].proto.delta == signed_money(moved - base, "USD", "en")
    assert at.metric[0].proto.delta
    caption = [c.value for c in at.sidebar.caption if "= 100 %" in c.value]
    assert caption
    assert caption[0].startswith("Phone 40 % · Chat 37 % · E\\-mail 23 %")


@pytest.mark.parametrize(
    ("shares", "moved", "expected"),
    [
        ({"a": 40.0, "b": 40.0, "c": 25.0}, "a", {"a": 40.0, "b": 37.0, "c": 23.0}),
        ({"a": 100.0, "b": 0.0, "c": 0.0}, "a", {"a": 100.0, "b": 0.0, "c": 0.0}),
        ({"a": 60.0, "b": 0.0, "c": 0.0}, "a", {"a": 60.0, "b": 20.0, "c": 20.0}),
        ({"a": 10.0, "b": 50.0}, "a", {"a": 10.0, "b": 90.0}),
        ({"a": 130.0, "b": 50.0}, "a", {"a": 100.0, "b": 0.0}),
        ({"a": 33.0}, "a", {"a": 100.0}),
    ],
)
def test_rebalance_mix(shares: dict[str, float], moved: str, expected: dict[str, float]) -> None:
    result = rebalance_mix(shares, moved)
    assert result == pytest.approx(expected)
    assert sum(result.values()) == pytest.approx(100.0, abs=1e-9)


def test_rebalance_mix_keeps_100_for_any_move() -> None:
    for moved_to in range(0, 101, 7):
        for step in (1.0, 0.5):
            shares = {"a": float(moved_to), "b": 33.0, "c": 33.0, "d": 34.0}
            result = rebalance_mix(shares, "a", step)
            assert sum(result.values()) == pytest.approx(100.0, abs=1e-9)
            assert min(result.values()) >= 0


def test_mix_keys_follow_the_input_metadata() -> None:
    assert mix_keys(load_preset(DEFAULT_PRESET)) == SHARES


# ---------------------------------------------------------------------------
# Messages a manager reads


def test_problems_use_the_sidebars_labels_and_units() -> None:
    scenario = load_preset(DEFAULT_PRESET)
    handle = Problem("channels.0.handle_time_seconds", "5 is below the minimum 10", 5.0)
    assert problem_text(handle, scenario, "en") == (
        "Phone: Handle time (minutes): 0.08 is outside the allowed range 0.17 to 120"
    )
    share_problem = Problem("channels.1.share_of_contacts", "1.5 is above the maximum 1", 1.5)
    assert problem_text(share_problem, scenario, "en") == (
        "Chat: share of contacts (%): 150 is outside the allowed range 0 to 100"
    )
    email = Problem("baseline.channels.2.answer_within_seconds", "too long", 10**9)
    text = problem_text(email, scenario, "nb")
    assert text.startswith(t("problem.baseline", "nb", problem=""))
    assert "(timer)" in text
    assert problem_text(Problem("", "not JSON"), scenario, "en") == "not JSON"
    # Not a number at all: the loader's words, the range in the sidebar's units.
    nan = Problem(
        "business.gross_margin", "NaN is not a finite number; allowed range 0 to 1", float("nan")
    )
    assert problem_text(nan, scenario, "en") == (
        "Gross margin (%): NaN is not a finite number; allowed range 0 to 100"
    )


def test_a_bad_upload_lists_every_problem_in_the_main_area() -> None:
    at = _app()
    content = (
        b'{"schema_version": 3, "business": {"customers": -4},'
        b' "channels": [{"kind": "phone", "handle_time_seconds": 5}]}'
    )
    at.file_uploader(key=share.UPLOAD_KEY).set_value(("bad.json", content, "application/json"))
    at.run()
    assert not at.exception
    (listed,) = [e.value for e in at.main.error]
    assert not at.sidebar.error
    handle = "Phone: Handle time (minutes): 0.08 is outside the allowed range 0.17 to 120"
    assert escape_markdown(handle) in listed
    assert escape_markdown(t("field.business.customers", "en")) in listed
    assert "channels.0" not in listed


# ---------------------------------------------------------------------------
# Assumptions tab


def test_assumptions_show_the_sidebars_units_and_only_fields_that_apply() -> None:
    scenario = load_preset(DEFAULT_PRESET)
    table = assumption_table(scenario, "en")
    rows = {row["Field"]: row for row in table.to_dict("records")}
    assert rows["channels.0.handle_time_seconds"]["Value"] == "7"
    assert "(minutes)" in rows["channels.0.handle_time_seconds"]["Parameter"]
    assert rows["channels.2.answer_within_seconds"]["Value"] == "24"
    assert rows["channels.0.share_of_contacts"]["Value"] == "35%"
    assert "channels.0.concurrency" not in rows  # phone: one call at a time
    assert "channels.1.concurrency" in rows
    assert "channels.2.patience_seconds" not in rows  # e-mail: nobody hangs up


# ---------------------------------------------------------------------------
# The complaint chart


def test_the_complaint_title_counts_the_silent_leavers_and_their_revenue() -> None:
    from cxcost.report.charts import churners_figure

    result = evaluate(load_preset(DEFAULT_PRESET))
    figure = churners_figure(result, "en")
    title = figure.layout.title.text.replace("<br>", " ")
    silent = result.silent_churners_per_year
    lost = silent + result.complaining_churners_per_year
    revenue = format_money(result.revenue_at_risk_per_year * silent / lost, "USD", "en")
    assert title == t("chart.churners.title", "en", count=f"{silent:,.0f}", revenue=revenue)
    # Wrapped for the narrow column it is drawn in (2 of 5 parts of the page).
    assert max(len(line) for line in figure.layout.title.text.split("<br>")) <= 34
    assert "24 leave silently" in figure.layout.title.subtitle.text.replace("<br>", " ")


# ---------------------------------------------------------------------------
# Exports carry the client and the tracked sources


def test_the_pdf_and_the_workbook_show_the_client_and_the_users_sources() -> None:
    import io

    import openpyxl
    from pypdf import PdfReader

    from cxcost.report.bundle import compute_report_inputs, report_finding
    from cxcost.report.pdf import executive_summary_pdf
    from cxcost.report.xlsx import workbook_bytes

    preset = load_preset(DEFAULT_PRESET)
    data = preset.model_dump()
    data["business"]["revenue_per_customer"] = 310.0
    data["client"] = "ACME Retail"
    edited = track_sources(Scenario.model_validate(data), [preset], {}, date(2026, 12, 5))
    inputs = compute_report_inputs(edited)
    pdf = executive_summary_pdf(
        inputs.scenario,
        inputs.result,
        inputs.recommendation,
        inputs.staffing_curves[0],
        "en",
        date(2026, 12, 5),
        finding=report_finding(inputs, "en"),
    )
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "US e-commerce retailer for ACME Retail" in text
    assert "USD 310 per year set by the user (2026-12-05)" in text
    assert "USD 310 per year illustrative" not in text
    book = openpyxl.load_workbook(
        io.BytesIO(
            workbook_bytes(
                inputs.scenario,
                inputs.result,
                inputs.recommendation,
                inputs.staffing_curves,
                inputs.training_curve,
                "en",
            )
        )
    )
    assert book.properties.title == "US e-commerce retailer for ACME Retail"
    rows = [[str(cell) for cell in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    (revenue,) = [row for row in rows if "business.revenue_per_customer" in row]
    assert "set by the user (2026-12-05)" in revenue


def test_the_full_summary_keeps_a_users_value_when_the_page_is_full() -> None:
    """With the action list the page has no room for the assumptions table; a value the
    user set is still named, with its source, above the pointer to the workbook."""
    import io

    from pypdf import PdfReader

    from cxcost.report.bundle import build_document, compute_report_inputs

    preset = load_preset("no-bank")
    data = preset.model_dump()
    data["business"]["revenue_per_customer"] = 3_100.0
    edited = track_sources(Scenario.model_validate(data), [preset], {}, date(2026, 12, 5))
    document = build_document(compute_report_inputs(edited), "pdf", "en", date(2026, 12, 5))
    reader = PdfReader(io.BytesIO(document.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert len(reader.pages) == 1
    assert "set by the user (2026-12-05)" in text
