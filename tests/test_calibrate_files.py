"""Reading contact logs (issue 11): formats, headers, and every malformed file a person meets.

A bad file is refused whole, with one problem per column and check that names
the column, the value and the first file rows (the header is row 1), in
English and Norwegian; a file that is fine but written the Norwegian Excel way
(semicolons, decimal commas, Windows-1252, a byte order mark) reads the same
as a plain one.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from cxcost.calibrate import (
    CalibrationError,
    calibrate,
    guess_mapping,
    read_complaints,
    read_contacts,
)
from cxcost.scenario import Scenario

HEADER = "timestamp,channel,wait_seconds,abandoned,handle_seconds,resolved,rude,customer_id,churned"
ROWS = [
    "2026-01-05T08:00:00,phone,30,0,300,1,0,C1,0",
    "2026-01-05T08:10:00,chat,0,0,420.5,0,1,C2,1",
    "2026-01-05T08:20:00,email,7200,0,200,1,0,C3,0",
    "2026-01-05T08:30:00,phone,95,1,,,,C4,0",
]


def _csv(rows: list[str] = ROWS, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _problems(
    error: pytest.ExceptionInfo[CalibrationError],
) -> dict[tuple[str, str], tuple[int, ...]]:
    return {(p.key, p.column): p.rows for p in error.value.problems}


def test_a_plain_csv_reads_with_types() -> None:
    log = read_contacts(_csv(), name="contacts.csv")
    frame = log.frame
    assert log.rows == 4
    assert log.file_format == "csv"
    assert frame["wait_seconds"].tolist() == [30.0, 0.0, 7200.0, 95.0]
    assert frame["handle_seconds"].iloc[1] == pytest.approx(420.5)
    assert np.isnan(frame["handle_seconds"].iloc[3])
    assert frame["abandoned"].tolist() == [0, 0, 0, 1]
    assert str(frame["timestamp"].iloc[1]) == "2026-01-05 08:10:00"
    assert frame["channel"].astype(str).tolist() == ["phone", "chat", "email", "phone"]


def test_norwegian_excel_csv_reads_like_the_plain_one() -> None:
    """Semicolons, decimal commas, a space as thousands separator, ja/nei, dd.mm.yyyy,
    Windows-1252 and Norwegian headers."""
    header = (
        "Tidspunkt;Kanal;Ventetid (sek);Avbrutt;Behandlingstid;Løst;Frekk/uhøflig;Kunde-ID;Sluttet"
    )
    rows = [
        "05.01.2026 08:00;phone;30;nei;300;ja;nei;C1;0",
        "05.01.2026 08:10;chat;0;nei;420,5;nei;ja;C2;1",
        "05.01.2026 08:20;email;7 200;nei;200;ja;nei;C3;0",
        "05.01.2026 08:30;phone;95;ja;;;;C4;0",
    ]
    data = ("\n".join([header, *rows]) + "\n").encode("cp1252")
    norwegian = read_contacts(data, name="kontakter.csv").frame
    plain = read_contacts(_csv()).frame
    pd.testing.assert_frame_equal(norwegian, plain)


def test_a_byte_order_mark_is_not_part_of_the_first_header() -> None:
    log = read_contacts(b"\xef\xbb\xbf" + _csv())
    assert log.frame.columns[0] == "timestamp"
    assert log.rows == 4


def test_parquet_xlsx_and_a_table_read_the_same(tmp_path: pytest.TempPathFactory) -> None:
    plain = read_contacts(_csv()).frame
    table = pd.read_csv(io.BytesIO(_csv()))
    parquet = tmp_path / "contacts.parquet"  # type: ignore[operator]
    table.to_parquet(parquet)
    workbook = io.BytesIO()
    table.to_excel(workbook, index=False)
    for source, name in (
        (parquet, "contacts.parquet"),
        (parquet.read_bytes(), "upload.parquet"),
        (workbook.getvalue(), "contacts.xlsx"),
        (table, "table"),
    ):
        frame = read_contacts(source, name=name).frame
        pd.testing.assert_frame_equal(frame, plain, check_dtype=False)


def test_utc_offsets_are_dropped_to_the_wall_clock() -> None:
    rows = [ROWS[0].replace("08:00:00", "08:00:00+01:00"), ROWS[1].replace("08:10:00", "08:10:00Z")]
    frame = read_contacts(_csv(rows)).frame
    assert frame["timestamp"].dt.hour.tolist() == [8, 8]


def test_a_courtesy_score_makes_the_rude_flag() -> None:
    header = HEADER.replace(",rude,", ",courtesy_score,")
    rows = [r.split(",") for r in ROWS]
    for row, score in zip(rows, ["5", "1", "2.5", ""], strict=True):
        row[6] = score
    data = _csv([",".join(r) for r in rows], header)
    frame = read_contacts(data, courtesy_threshold=2.0).frame
    assert frame["rude"].tolist()[:3] == [0.0, 1.0, 0.0]
    assert np.isnan(frame["rude"].iloc[3])


def test_guess_mapping_reads_english_and_norwegian_headers() -> None:
    headers = ["Tidspunkt", "Kanal", "ventetid_sek", "avbrutt", "behandlingstid", "løst",
               "frekk/uhøflig", "kunde_id", "sluttet", "klaget", "Queue time", "Notes"]  # fmt: skip
    assert guess_mapping(headers) == {
        "Tidspunkt": "timestamp",
        "Kanal": "channel",
        "ventetid_sek": "wait_seconds",
        "avbrutt": "abandoned",
        "behandlingstid": "handle_seconds",
        "løst": "resolved",
        "frekk/uhøflig": "rude",
        "kunde_id": "customer_id",
        "sluttet": "churned",
        "klaget": "complained",
    }


def test_a_mapping_names_the_columns_a_guess_cannot() -> None:
    header = "when,via,queue_s,gave_up,aht,fixed,impolite,who,gone"
    mapping = {"when": "timestamp", "via": "channel", "queue_s": "wait_seconds",
               "fixed": "resolved", "who": "customer_id", "gone": "churned"}  # fmt: skip
    log = read_contacts(_csv(header=header), mapping=mapping)
    assert log.rows == 4
    assert log.mapping["gave_up"] == "abandoned"  # guessed names still count
    with pytest.raises(CalibrationError) as error:
        read_contacts(_csv(header=header), mapping={**mapping, "via": "kanal", "nope": "rude"})
    keys = {p.key for p in error.value.problems}
    assert keys == {"calibrate.error.mapping_target", "calibrate.error.mapping_header"}


def test_missing_columns_are_named_together() -> None:
    with pytest.raises(CalibrationError) as error:
        read_contacts(b"timestamp,channel,Notes\n2026-01-05,phone,x\n", name="log.csv")
    missing = {p.column for p in error.value.problems}
    assert missing == {"wait_seconds", "abandoned", "handle_seconds", "resolved",
                       "customer_id", "churned", "rude"}  # fmt: skip
    text = str(error.value)
    assert (
        "log.csv: column wait_seconds is missing (headers found: timestamp, channel, Notes)" in text
    )
    assert "kolonnen wait_seconds mangler" in error.value.message("nb")


def test_wrong_types_and_ranges_name_column_value_and_rows() -> None:
    rows = [*ROWS, "yesterday,phone,abc,2,300,1,0,C5,0", "2026-01-06T09:00,phone,-5,0,300,,0,C6,0"]
    rows += ["2026-01-06T09:10,phone,10,0,99999,1,0,C7,0"] * 7
    with pytest.raises(CalibrationError) as error:
        read_contacts(_csv(rows), name="log.csv")
    found = _problems(error)
    assert found == {
        ("calibrate.error.not_timestamp", "timestamp"): (6,),
        ("calibrate.error.not_number", "wait_seconds"): (6,),
        ("calibrate.error.not_flag", "abandoned"): (6,),
        ("calibrate.error.out_of_range", "wait_seconds"): (7,),
        ("calibrate.error.resolved_missing", "resolved"): (7,),
        ("calibrate.error.out_of_range", "handle_seconds"): (8, 9, 10, 11, 12),
    }
    lines = str(error.value).splitlines()
    assert 'log.csv, column wait_seconds: 1 value is not a number: "abc". (row 6)' in lines
    assert (
        "log.csv, column handle_seconds: 7 values are outside 0 to 86,400, e.g. 99999. "
        "(rows 8, 9, 10, 11, 12 and 2 more)"
    ) in lines
    assert "(rad 8, 9, 10, 11, 12 og 2 til)" in error.value.message("nb")


def test_a_value_of_the_wrong_type_is_not_also_reported_empty() -> None:
    with pytest.raises(CalibrationError) as error:
        read_contacts(_csv([*ROWS, "2026-01-06T09:00,phone,lang,0,300,1,0,C6,0"]))
    assert [p.key for p in error.value.problems] == ["calibrate.error.not_number"]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "calibrate.error.empty"),
        (HEADER.encode() + b"\n", "calibrate.error.empty"),
        (b"PK\x03\x04 not really a workbook", "calibrate.error.unreadable"),
        (b'timestamp,channel\n"2026-01-05,phone\n', "calibrate.error.unreadable"),
    ],
)
def test_empty_and_damaged_files_say_so(data: bytes, key: str) -> None:
    with pytest.raises(CalibrationError) as error:
        read_contacts(data, name="log.csv" if not data.startswith(b"PK") else "log.xlsx")
    assert [p.key for p in error.value.problems][:1] == [key]


def test_a_file_over_the_caps_is_refused_before_it_is_used() -> None:
    with pytest.raises(CalibrationError, match="more than 3 rows"):
        read_contacts(_csv(), max_rows=3)
    with pytest.raises(CalibrationError, match="more than the limit of 100 bytes"):
        read_contacts(_csv(), max_bytes=100)
    assert read_contacts(_csv(), max_rows=4).rows == 4


def test_an_old_excel_file_is_named_as_such(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "log.xls"  # type: ignore[operator]
    path.write_bytes(b"\xd0\xcf\x11\xe0 old workbook")
    with pytest.raises(CalibrationError, match=r"\.xls"):
        read_contacts(path)


def test_a_missing_path_is_a_problem_not_a_traceback(tmp_path: pytest.TempPathFactory) -> None:
    with pytest.raises(CalibrationError, match="could not be read"):
        read_contacts(tmp_path / "nowhere.csv")  # type: ignore[operator]


def test_a_file_full_of_errors_is_counted_not_listed_row_by_row() -> None:
    rows = [f"2026-01-05T08:00,phone,x{i},0,300,1,0,C{i},0" for i in range(5000)]
    with pytest.raises(CalibrationError) as error:
        read_contacts(_csv(rows))
    (problem,) = error.value.problems
    assert problem.count == 5000
    assert problem.rows == (2, 3, 4, 5, 6)


def test_calibrate_reports_every_problem_of_logs_and_arguments_at_once() -> None:
    rows = [*ROWS, "2026-01-05T09:00,fax,30,0,300,1,0,C9,0"]
    with pytest.raises(CalibrationError) as error:
        calibrate(
            _csv(rows),
            complaints=b"reason\n\n",
            base=Scenario(),
            follow_up_days=0,
            keywords={"waiting": ["queue"]},
        )
    keys = [p.key for p in error.value.problems]
    assert keys == [
        "calibrate.error.parameter",
        "calibrate.error.empty",
        "calibrate.error.keyword_driver",
        "calibrate.error.unknown_channel",
    ]
    channel = error.value.problems[-1]
    assert channel.rows == (6,)
    assert '"fax" is not a channel of the scenario' in channel.message("en")


def test_channels_match_by_name_or_by_kind_in_either_language() -> None:
    rows = [r.replace("phone", "Telefon").replace("email", "E-post") for r in ROWS]
    result = calibrate(_csv(rows), base=Scenario())
    shares = [result.value(f"channels.{i}.share_of_contacts") for i in range(3)]
    assert [s.n for s in shares if s] == [4, 4, 4]
    assert shares[0] is not None
    assert shares[0].value == pytest.approx(0.5)


def test_a_complaint_log_reads_with_norwegian_headers_and_reports_empty_reasons() -> None:
    log = read_complaints("Årsak;Kunde\nLang ventetid;K1\nFrekk;K2\n".encode("cp1252"))
    assert log.frame["reason"].tolist() == ["Lang ventetid", "Frekk"]
    with pytest.raises(CalibrationError) as error:
        read_complaints(b"reason,customer\nslow,1\n,2\n", name="complaints.csv")
    assert _problems(error) == {("calibrate.error.missing_value", "reason"): (3,)}
