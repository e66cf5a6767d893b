"""The "At a glance" tab's pure parts: which facts the timeline draws (markers, phases, what it leaves
out), the table's rows in each interface language, and the escaped sources panel with its quotes marked."""

from __future__ import annotations

from datetime import date

from assistant.facts.model import Evidence, Fact
from assistant.web.glance_tab import chosen
from assistant.web.glance_view import (
    NO_LEVEL,
    Passage,
    caption,
    evidence_panel,
    label_places,
    language_label,
    statement,
    table_headers,
    table_rows,
    timeline,
    timeline_figure,
)  # fmt: skip
from assistant.web.texts_en import EN
from assistant.web.texts_vi import VI

PHASE = "Giai đoạn bứt phá từ ngày 1/7/2025 đến ngày 31/12/2025."
URGENT_VI = "Giai đoạn cấp bách kéo dài đến ngày 30/6/2025."
URGENT_UK = "Терміновий етап триває до 30 червня 2025 року."
HOSTILE = 'Sở <b>Tư pháp</b> <script>alert(1)</script> chủ trì trước ngày 30/11/2025 <img src=x onerror="alert(2)">.'


def ev(source: str, quote: str, language: str = "vi", **over) -> Evidence:
    return Evidence(source=source, title=over.pop("title", source), language=language, quote=quote,
                    chunk_id=over.pop("chunk_id", f"{source}#0"), **over)  # fmt: skip


def fact(kind: str, text: str, *evidence: Evidence, **over) -> Fact:
    language = over.pop("language", evidence[0].language if evidence else "vi")
    return Fact(kind=kind, text=text, language=language, evidence=list(evidence), verified=over.pop("verified", True),
                **over).with_id()  # fmt: skip


URGENT = fact("deadline", URGENT_VI, ev("so-tay.md", URGENT_VI), ev("uk.txt", URGENT_UK, "uk"),
              date="2025-06-30", date_role="by", levels=["province", "commune"])  # fmt: skip
START = fact("deadline", PHASE, ev("so-tay.md", PHASE), date="2025-07-01", date_role="from", levels=["central"])
END = fact("deadline", PHASE, ev("so-tay.md", PHASE), date="2025-12-31", date_role="by", levels=["central"])
LONE_START = fact("deadline", "Từ ngày 1/3/2026 áp dụng quy trình mới.", ev("khac.md", "Từ ngày 1/3/2026 áp dụng."),
                  date="2026-03-01", date_role="from")  # fmt: skip
NO_YEAR = fact("deadline", "Hoàn thành trước ngày 15/9.", ev("so-tay.md", "trước ngày 15/9"), date="--09-15",
               date_role="by", levels=["commune"])  # fmt: skip
DUTY = fact("responsibility", HOSTILE, ev("so-tay.md", HOSTILE, page=3), actor="Sở Tư pháp", levels=["province"],
            verified=False, problems=["actor not in quote"])  # fmt: skip
TARGET = fact("target", "100 % thủ tục được thực hiện trực tuyến.", ev("ds.csv", "100 %", sheet=None, row=4),
              value=100, unit="%", levels=["commune"])  # fmt: skip
UKRAINIAN = fact("deadline", URGENT_UK, ev("uk.txt", URGENT_UK, "uk"), date="2025-06-30", date_role="by",
                 renderings={"en": "The urgent phase lasts until 30 June 2025."})  # fmt: skip
ALL = [URGENT, START, END, LONE_START, NO_YEAR, DUTY, TARGET]


# -- the timeline ---------------------------------------------------------------------------------


def test_dated_deadlines_become_markers_one_per_level_and_yearless_ones_are_left_out() -> None:
    data = timeline(ALL)
    assert {(m.fact_id, m.lane) for m in data.markers} == {
        (URGENT.id, "province"), (URGENT.id, "commune"), (START.id, "central"), (END.id, "central"),
        (LONE_START.id, NO_LEVEL),
    }  # fmt: skip
    assert {m.fact_id: m.role for m in data.markers}[START.id] == "from"
    assert data.undated == [NO_YEAR.id]
    assert data.lanes == ["central", "province", "commune", NO_LEVEL]


def test_a_start_and_an_end_of_the_same_sentence_make_a_phase() -> None:
    [period] = timeline(ALL).periods
    assert (period.start_id, period.end_id, period.lane) == (START.id, END.id, "central")
    assert (period.start, period.end) == (date(2025, 7, 1), date(2025, 12, 31))
    other = fact("deadline", "x", ev("khac.md", "Đến ngày 31/12/2025 xong."), date="2025-12-31", date_role="by")
    assert timeline([START, other]).periods == [], "an end stated elsewhere is not the end of this phase"


def test_the_figure_draws_starts_ends_and_phases_with_escaped_hover_text() -> None:
    figure = timeline_figure("vi", ALL)
    traces = {trace.name: trace for trace in figure.data}
    assert set(traces) == {VI["glance.period"], VI["glance.role.by"], VI["glance.role.from"]}
    ends, starts = traces[VI["glance.role.by"]], traces[VI["glance.role.from"]]
    assert sorted(ends.x) == ["2025-06-30", "2025-06-30", "2025-12-31"]
    assert sorted(starts.x) == ["2025-07-01", "2026-03-01"]
    assert "--09-15" not in {*ends.x, *starts.x} and NO_YEAR.id not in {*ends.customdata, *starts.customdata}
    assert ends.marker.symbol != starts.marker.symbol
    assert list(traces[VI["glance.period"]].x) == ["2025-07-01", "2025-12-31", None]
    hover = ends.hovertext[list(ends.customdata).index(URGENT.id)]
    assert "30/06/2025" in hover and VI["glance.hover.sources"].format(n=2) in hover
    low, high = figure.layout.xaxis.range
    assert low < "2025-06-30" and high > "2026-03-01", "every marker in view, with room for its label"
    lanes = list(figure.layout.yaxis.categoryarray)
    assert lanes == [VI[f"glance.level.{k}"] for k in ("central", "province", "commune", "none")]


def test_a_target_due_by_a_date_is_a_marker_of_its_own_and_ends_no_phase() -> None:
    said = "Từ ngày 1/7/2025, đến ngày 31/12/2025 đạt 80% hồ sơ trực tuyến."
    due = fact("target", "đạt 80% hồ sơ trực tuyến", ev("so-tay.md", said), value=80, unit="%", date="2025-12-31",
               levels=["central"])  # fmt: skip
    yearly = fact("target", "đạt 90% văn bản ký số", ev("so-tay.md", "Năm 2027 đạt 90% văn bản ký số."), value=90,
                  unit="%", date="2027")  # fmt: skip
    start = fact("deadline", said, ev("so-tay.md", said), date="2025-07-01", date_role="from", levels=["central"])
    data = timeline([start, due, yearly, TARGET])
    assert {(m.fact_id, m.day, m.role) for m in data.markers} == {
        (start.id, date(2025, 7, 1), "from"), (due.id, date(2025, 12, 31), "target"),
        (yearly.id, date(2027, 12, 31), "target"),
    }, "an undated target is in the table only; a year is due by its last day"  # fmt: skip
    assert data.periods == [], "a target is no end of the phase its sentence starts"
    figure = timeline_figure("en", [start, due, yearly])
    targets = next(trace for trace in figure.data if trace.name == EN["glance.role.target"])
    assert sorted(targets.x) == ["2025-12-31", "2027-12-31"] and targets.marker.symbol == "circle"
    assert f"{EN['glance.role.target']}: 2025-12-31" in targets.hovertext[list(targets.customdata).index(due.id)]
    assert "2 targets due by a date" in caption("en", [start, due, yearly, TARGET], 4)


def test_hover_text_is_escaped() -> None:
    evil = fact("deadline", HOSTILE, ev("a.md", HOSTILE), date="2025-11-30", date_role="by", actor="<b>X</b>")
    [trace] = timeline_figure("vi", [evil]).data
    assert "<script>" not in trace.hovertext[0] and "&lt;script&gt;" in trace.hovertext[0]
    assert "<b>X</b>" not in trace.hovertext[0] and "&lt;b&gt;X&lt;/b&gt;" in trace.hovertext[0]


def test_close_markers_put_their_labels_on_either_side() -> None:
    data = timeline(ALL)
    places = label_places(data.markers)
    end_june = next(m for m in data.markers if m.fact_id == URGENT.id and m.lane == "province")
    assert places[end_june] == "top center"
    near = fact("deadline", "x", ev("b.md", "x"), date="2025-07-01", date_role="from", levels=["province"])
    far = fact("deadline", "y", ev("b.md", "y"), date="2025-12-31", date_role="by", levels=["province"])
    data = timeline([URGENT, near, far])
    places = {m.fact_id: label_places(data.markers)[m] for m in data.markers if m.lane == "province"}
    assert places == {URGENT.id: "top center", near.id: "bottom center", far.id: "top center"}
    same_day = fact("deadline", "z", ev("c.md", "z"), date="2025-07-01", date_role="from", levels=["province"])
    data = timeline([URGENT, near, same_day, far])
    places = {m.fact_id: label_places(data.markers)[m] for m in data.markers if m.lane == "province"}
    assert sorted(map(str, places.values())) == ["None", "bottom center", "top center", "top center"]


def test_a_cluster_of_close_markers_labels_one_day_above_and_one_below_and_leaves_the_rest_to_hover() -> None:
    cluster = [fact("deadline", f"việc {day}", ev("c.md", f"việc {day}"), date=f"2025-09-{day:02d}", date_role="by",
                    levels=["commune"]) for day in (1, 3, 5, 8, 10)]  # fmt: skip
    far = fact("deadline", "cuối năm", ev("c.md", "cuối năm"), date="2026-12-31", date_role="by", levels=["commune"])
    data = timeline([*cluster, far])
    places = {m.fact_id: p for m, p in label_places(data.markers).items()}
    assert [places[f.id] for f in cluster] == ["top center", "bottom center", None, None, None]
    assert places[far.id] == "top center"
    figure = timeline_figure("vi", [*cluster, far])
    [ends] = [trace for trace in figure.data if trace.name == VI["glance.role.by"]]
    assert [text for text in ends.text if text] == ["01/09", "03/09", "31/12"], "no two labels written over each other"


def test_one_phase_stated_twice_is_one_bar() -> None:
    again = fact("deadline", PHASE, ev("so-tay.md", PHASE), ev("de.txt", "x", "de"), date="2025-07-01",
                 date_role="from", levels=["central"])  # fmt: skip
    assert len(timeline([START, again, END]).periods) == 1


def test_nothing_dated_draws_an_empty_chart_that_says_so() -> None:
    figure = timeline_figure("en", [NO_YEAR, TARGET])
    assert not figure.data and EN["glance.no_dates"] in figure.layout.annotations[0].text


# -- the table --------------------------------------------------------------------------------------


def test_rows_in_vietnamese() -> None:
    rows = table_rows("vi", ALL)
    assert table_headers("vi")[0] == "#" and [r[0] for r in rows] == list(range(1, len(ALL) + 1))
    by_text = {r[5]: r for r in rows}
    urgent = by_text[URGENT_VI]
    assert urgent[1:5] == ["Thời hạn", "đến 30/06/2025", "", "Tỉnh, Xã"] and urgent[6:] == [2, "✓"]
    assert rows[ALL.index(START)][2] == "từ 01/07/2025"
    assert rows[ALL.index(NO_YEAR)][2] == "đến 15/09 (không ghi năm)"
    assert rows[ALL.index(TARGET)][1:3] == ["Chỉ tiêu", "100 %"]
    assert rows[ALL.index(DUTY)][3] == "Sở Tư pháp" and rows[ALL.index(DUTY)][7] == "⚠"


def test_rows_in_english_use_a_labelled_machine_rendering_else_say_the_source_language() -> None:
    [rendered] = table_rows("en", [UKRAINIAN])
    assert rendered[5].startswith("The urgent phase lasts until 30 June 2025. (machine wording of the Ukrainian")
    assert "meaning was not" in rendered[5] and rendered[2] == "by 2025-06-30"
    [vietnamese] = table_rows("en", [START])
    assert vietnamese[5] == f"{PHASE} (Vietnamese)"
    [ukrainian] = table_rows("vi", [UKRAINIAN])
    assert ukrainian[5] == f"{URGENT_UK} (tiếng Ukraina)"
    assert language_label("vi", "uk") == "(tiếng Ukraina)" and language_label("en", "uk") == "(Ukrainian)"


def test_a_merged_fact_speaks_through_its_source_in_the_interface_language() -> None:
    merged = fact("deadline", URGENT_UK, ev("uk.txt", URGENT_UK, "uk"), ev("so-tay.md", URGENT_VI),
                  date="2025-06-30", date_role="by")  # fmt: skip
    assert statement("vi", merged) == (URGENT_VI, None)
    assert statement("en", merged) == (URGENT_UK, "(Ukrainian)")


def test_long_statements_are_cut_but_keep_their_language_label() -> None:
    long = fact("responsibility", "слово " * 200, ev("uk.txt", "слово", "uk"), actor="X")
    [row] = table_rows("vi", [long])
    assert row[5].endswith("… (tiếng Ukraina)") and len(row[5]) < 320


def test_filters_choose_in_memory() -> None:
    assert {f.id for f in chosen(ALL, None, ["commune"], None, None, False)} == {URGENT.id, NO_YEAR.id, TARGET.id}
    assert [f.id for f in chosen(ALL, ["responsibility"], None, "tư PHAP", None, False)] == [DUTY.id]
    assert DUTY not in chosen(ALL, None, None, "", [], True)


def test_caption_counts_what_is_drawn_and_what_is_not() -> None:
    text = caption("vi", ALL, 10)
    assert text.startswith("7 / 10 dòng.") and VI["glance.caption"].format(dated=4, targets="") in text
    assert VI["glance.caption_undated"].format(undated=1) in text
    assert EN["glance.caption_undated"].format(undated=1) not in caption("en", [URGENT], 1)


# -- a row's sources ----------------------------------------------------------------------------------


def test_sources_panel_escapes_hostile_text_and_marks_the_quote() -> None:
    passage = f"Đoạn trước. {HOSTILE} Đoạn sau <i>nghiêng</i>."
    html = evidence_panel("vi", DUTY, {"so-tay.md#0": Passage(passage, "javascript:alert(3)")})
    assert "<script>" not in html and "<img" not in html and "<i>" not in html and "<b>Tư pháp" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "onerror=&quot;" in html
    assert html.count('<mark class="p2-quote">') == 1
    marked = html.split('<mark class="p2-quote">')[1].split("</mark>")[0]
    assert marked.startswith("Sở &lt;b&gt;Tư pháp&lt;/b&gt;") and "Đoạn sau" not in marked
    assert "Đoạn trước." in html and "p. 3" in html
    assert "javascript:" not in html, "only http(s) links"
    assert VI["glance.unverified"].format(why="actor not in quote") in html


def test_sources_panel_lists_every_quote_with_its_position_and_language() -> None:
    html = evidence_panel("en", URGENT, {"uk.txt#0": Passage(f"Вступ. {URGENT_UK}", "https://example.gov.vn/uk")})
    assert EN["glance.sources"].format(n=2, quotes=2) in html and html.count('class="p2-glance-source"') == 2
    assert f'<mark class="p2-quote">{URGENT_UK}</mark>' in html, "the passage, with the quote marked"
    assert f'<mark class="p2-quote">{URGENT_VI}</mark>' in html, "no passage at hand: the quote alone, marked"
    assert "Ukrainian" in html and 'href="https://example.gov.vn/uk"' in html
    assert EN["glance.verified"] in html
    assert EN["glance.pick"] in evidence_panel("en", None)
    row = evidence_panel("vi", TARGET)
    assert "ds.csv · row 4" in row


def test_a_list_items_source_shows_the_lead_in_that_names_the_actor_when_the_passage_lacks_it() -> None:
    lead, item = "UBND cấp xã có trách nhiệm <b>:</b>", "1) Thành lập Tổ công tác cấp xã;"
    duty = fact("responsibility", item, ev("so-tay.md", item, page=4).model_copy(update={"lead": lead}),
                actor="UBND cấp xã")  # fmt: skip
    html = evidence_panel("vi", duty, {"so-tay.md#0": Passage(f"{item} 2) Tiếp nhận hồ sơ.", None)})
    assert "UBND cấp xã có trách nhiệm &lt;b&gt;:&lt;/b&gt; …" in html and "<b>:" not in html
    assert html.index("có trách nhiệm") < html.index('<mark class="p2-quote">1) Thành lập')
    shown = evidence_panel("vi", duty, {"so-tay.md#0": Passage(f"{lead}\n{item}", None)})
    assert shown.count("có trách nhiệm") == 1, "the passage holds the lead-in already"
