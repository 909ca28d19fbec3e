"""The Practices tab, the practice levers in the sidebar, the Overview's best move and the
exports' action list (issue 12), through Streamlit's AppTest and the export builders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest
from widgets import open_groups

from cxcost import cli
from cxcost.actions import rank_actions
from cxcost.i18n import format_money, t
from cxcost.optimize import optimize
from cxcost.presets import load_preset
from cxcost.report.actions import best_move, best_move_sentence, header, rows
from cxcost.report.levers import lever_label
from cxcost.ui.fields import widget_key, widget_values
from cxcost.ui.markdown import escape_markdown
from cxcost.ui.practices import action_widget_values

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PRESET = "us-ecommerce"


def _app(language: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception
    if language == "nb":
        at.radio[0].set_value("nb").run()
    at.session_state["ui.tab"] = t("tab.practices", language)  # type: ignore[arg-type]
    at.run()
    assert not at.exception
    return at


@pytest.mark.waits_for_plan
def test_the_tab_shows_the_ranked_list_best_first_with_its_sentence() -> None:
    at = _app()
    assert not at.error
    actions = rank_actions(load_preset(PRESET))
    sentence = escape_markdown(best_move_sentence(actions, "USD", "en"))
    texts = [m.value for m in at.markdown]
    assert any(sentence in text for text in texts), texts
    table = at.dataframe[0].value
    assert list(table.columns) == header("en")
    assert table.iloc[:, 0].tolist() == [r[0] for r in rows(actions, "USD", "en")]
    assert len(at.get("plotly_chart")) == 2


@pytest.mark.waits_for_plan
def test_the_overview_finding_names_the_best_move() -> None:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    actions = rank_actions(load_preset(PRESET))
    move = best_move(actions)
    assert move is not None
    label = escape_markdown(lever_label(move.lever, "en"))
    finding = next(m.value for m in at.markdown if label in m.value)
    assert escape_markdown(format_money(move.net_benefit_per_year, "USD", "en")) in finding


@pytest.mark.waits_for_plan
def test_apply_sets_the_best_lever_in_the_sidebar_and_the_numbers_follow() -> None:
    at = _app()
    move = best_move(rank_actions(load_preset(PRESET)))
    assert move is not None
    before = at.markdown[0].value  # today's practices and what they cost
    at.button(key="ui.practices.apply").click().run()
    assert not at.exception
    for key, value in action_widget_values(move).items():
        assert at.session_state[key] == value
    assert at.markdown[0].value != before


def test_practice_levers_are_in_the_sidebar_and_move_the_results() -> None:
    at = open_groups(_app(), "practices")
    key = widget_key("practices.follow_up_share")
    slider = at.slider(key=key)
    assert slider.label.startswith(t("field.practices.follow_up_share", "en"))
    before = at.session_state[key]
    slider.set_value(before + 50).run()
    assert not at.exception
    assert not at.error


@pytest.mark.waits_for_plan
def test_norwegian_tab_has_norwegian_words() -> None:
    at = _app("nb")
    table = at.dataframe[0].value
    assert list(table.columns) == header("nb")
    assert all("(nå " in cell for cell in table.iloc[:, 1])


def test_deflection_with_nobody_staffed_is_refused_with_the_reason() -> None:
    at = open_groups(_app(), "practices")
    at.slider(key=widget_key("practices.self_service_share")).set_value(50).run()
    for index in range(3):
        at.slider(key=widget_key(f"channels.{index}.representatives")).set_value(0.0)
    at.run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error) + " ".join(w.value for w in at.warning)
    assert "self" in shown.lower() or "selv" in shown.lower(), shown


# ---------------------------------------------------------------------------
# CLI and exports


def test_cli_actions_json_is_the_ranked_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["actions", PRESET, "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    actions = rank_actions(load_preset(PRESET))
    assert [row["lever"] for row in listed] == [a.lever for a in actions]
    assert listed == [json.loads(json.dumps(a.contract())) for a in actions]
    benefits = [row["net_benefit_per_year"] for row in listed]
    assert benefits == sorted(benefits, reverse=True)


def test_cli_actions_table_names_the_best_move(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["actions", "no-car-dealer"]) == 0
    out = capsys.readouterr().out
    assert "Do first:" in out
    assert all(title in out for title in header("en"))


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["actions", "no-such-preset"], "no-such-preset"),
        (["actions", PRESET, "--set", "practices.follow_up_share=2"], "allowed range 0 to 1"),
        (["actions", PRESET, "--format", "xml"], "invalid choice"),
    ],
)
def test_cli_actions_bad_input_exits_2_with_the_reason(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err


def test_exports_carry_the_action_list(tmp_path: Path) -> None:
    assert (
        cli.main(["report", "no-car-dealer", "--out", str(tmp_path), "--formats", "html,xlsx"]) == 0
    )
    actions = rank_actions(load_preset("no-car-dealer"))
    page = (tmp_path / "no-car-dealer-report.html").read_text(encoding="utf-8")
    assert t("tab.practices", "en") in page
    for row in rows(actions, "NOK", "en"):
        assert row[0] in page
    book = load_workbook(tmp_path / "no-car-dealer-workbook.xlsx")
    sheet = book[t("report.sheet.actions", "en")]
    levers = [sheet.cell(row=r, column=1).value for r in range(2, 2 + len(actions))]
    assert levers == [lever_label(a.lever, "en") for a in actions]
    benefits = [sheet.cell(row=r, column=7).value for r in range(2, 2 + len(actions))]
    assert benefits == pytest.approx([a.net_benefit_per_year for a in actions], rel=1e-12)


def test_applying_the_overview_plan_sets_its_practice_levers_too() -> None:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.run()  # the page's third run: the plan's table and its "apply" button
    plan = optimize(load_preset(PRESET))
    assert plan.practices, "the default scenario's plan changes some practices"
    at.button(key="ui.apply_plan").click().run()
    assert not at.exception
    shown = widget_values(plan.scenario)
    for path in plan.practices:
        assert at.session_state[widget_key(path)] == shown[widget_key(path)], path
