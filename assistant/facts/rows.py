"""Facts from list rows: a procedure or task list's row with a lead agency and a deadline.

Rows reach the index rendered as ``"Header: value; …"`` (:func:`assistant.ingest.tables.render_row`).
Each column gets a role from its header (``lexicon.yaml`` ``columns``). A row with a task column
gives a deadline when its deadline column holds a date (or a month or quarter of a year), a
responsibility when it names a lead agency, and a target when a target column (or a column stating a goal) holds
a number, the last two due by the row's deadline. A row
with no task column gives targets only when its columns are years ("Chỉ tiêu: Tỷ lệ …; Năm 2025:
85%; Năm 2026: 100%", a plan's table of figures by year): one per year with a number, due by that year. Otherwise
(a contact list: unit, person, phone) it assigns nothing, unless it is a member table's row (a
position and a role in the group: "Position: <title>; Role: <head, deputy, secretary>").
"""

from __future__ import annotations

from assistant.facts import lexicon
from assistant.facts.figures import evidence_of, levels_of
from assistant.facts.model import Fact
from assistant.ingest.tables import split_row
from assistant.retrieval.dates import DateMention, date_mentions, quarters
from assistant.retrieval.keys import extract_keys, number_mentions
from assistant.retrieval.text_norm import fold
from assistant.types import Chunk


def is_row(chunk: Chunk) -> bool:
    """A chunk that is one table row (spreadsheet, CSV or a DOCX table)."""
    return chunk.meta.row is not None and len(split_row(chunk.text)) >= 2


def _date(value: str) -> str | None:
    """A deadline cell's date: a day ("2027-09-30", "30/9/2027"), or a month of a year when it names no day
    ("Tháng 9/2027", "09/2027": a task list's deadline is often the month), or a quarter ("Quý III/2027")."""
    folded = fold(value)
    mentions = [m for m in date_mentions(folded) if not m.ambiguous]
    if mentions:
        return _day(mentions[0]) if len(mentions) == 1 else None
    named = quarters(folded)  # before months: the "3/2027" of "Q3/2027" is no March
    if len(named) == 1:
        quarter, year = next(iter(named))
        return f"{year}-Q{quarter}"
    keys = extract_keys(value)
    months = [k for k in keys if k.startswith("month:")]
    years = [k for k in keys if k.startswith("year:")]
    if len(months) == 1 and len(years) == 1:
        return f"{years[0].removeprefix('year:')}-{months[0].removeprefix('month:')}"
    return None


def row_facts(chunk: Chunk) -> list[Fact]:
    """The deadline, responsibility and target facts of one rendered row."""
    cells = split_row(chunk.text)
    roles = {name: lexicon.header_role(name) for name, _ in cells}
    language = chunk.meta.language
    deadline = next((day for name, v in cells if roles[name] == "deadline" and (day := _date(v))), None)
    actor = _cell(cells, roles, "actor")
    # The task is the wordiest column whose header names a task ("Tên thủ tục" over "Mã thủ tục"). A row
    # with none (a contact list: unit, person, phone) assigns nothing, whatever its other columns hold.
    tasks = [v for name, v in cells if roles[name] == "task"]
    if not tasks and actor and _states_duty(next(n for n, _ in cells if roles[n] == "actor"), language):
        # A list of indicators or of courses ("Tên chỉ tiêu: Số hồ sơ quá hạn; Cơ quan kiểm tra: Sở Du lịch",
        # "Tên lớp: …; Đơn vị chủ trì: …"): the body its header gives a duty answers for what the row names, a
        # title column, or a target column in words with no figure. A bare "Đơn vị" column (a daily report's
        # rows: who reported a value) gives no duty.
        tasks = [v for name, v in cells if (roles[name] == "target" and _words_only(v)) or roles[name] == "title"]
    task = max(tasks, key=lambda v: sum(ch.isalpha() for ch in v), default=None)
    if task is None or (actor is None and "position" in roles.values()):  # a member table: "Nhiệm vụ trong Ban"
        return _member_role(chunk, cells, roles) or _by_year(chunk, cells)
    levels = levels_of(actor, language) if actor else []
    evidence = [evidence_of(chunk, chunk.text)]
    facts = []
    start = next((day for name, v in cells if roles[name] == "start" and (day := _date(v))), None)
    if deadline is None and start is None:  # only a column of dates ("Ngày tổ chức: 14/9/2027 – 15/9/2027"): when
        start, deadline = next((span for name, v in cells if roles[name] == "when" and (span := _span(v))[1]),
                               (None, None))  # fmt: skip
    if start:  # a start column ("Ngày bắt đầu", "Ngày khai giảng"): from when
        facts.append(Fact(kind="deadline", date=start, date_role="from", actor=actor, levels=levels, text=task,
                          language=language, evidence=evidence))  # fmt: skip
    if deadline:
        facts.append(Fact(kind="deadline", date=deadline, date_role="by", actor=actor, levels=levels, text=task,
                          language=language, evidence=evidence))  # fmt: skip
    # A row naming a person (a duty roster) gives the task to the person, not to the office they work in.
    person = _cell(cells, roles, "person")
    bearer = _holder(person, _cell(cells, roles, "position")) if person else actor
    if bearer:
        facts.append(Fact(kind="responsibility", actor=bearer, levels=levels, text=task, language=language,
                          date=deadline, date_role="by" if deadline else None, evidence=evidence))  # fmt: skip
    # A second body whose column states a duty of its own ("Cơ quan kiểm tra") answers for the task too.
    for name, value in cells:
        if roles[name] == "actor" and value != actor and any(ch.isalpha() for ch in value) and _states_duty(name, language):
            facts.append(Fact(kind="responsibility", actor=value, levels=levels_of(value, language), text=task,
                              language=language, evidence=evidence))  # fmt: skip
    for name, value in cells:
        if roles[name] not in ("target", None) or value == task:
            continue
        if roles[name] is None and not lexicon.find(lexicon.words(value), lexicon.phrases("goal", language), language):
            continue  # a number in a plain column (a count in a task's name, a code) sets no goal
        numbers = [n for n in number_mentions(fold(value)) if not n.year]
        if len(numbers) == 1:
            unit = next((v for n, v in cells if roles[n] == "unit"), None)
            facts.append(Fact(kind="target", value=float(numbers[0].value), unit="%" if numbers[0].percent else unit,
                              actor=actor, levels=levels, text=task, language=language, date=deadline,
                              date_role="by" if deadline else None, evidence=evidence))  # fmt: skip
    return facts


def _cell(cells: list[tuple[str, str]], roles: dict[str, str | None], *wanted: str) -> str | None:
    """The first value with a letter in a column of one of the ``wanted`` roles (not a blank form's "……")."""
    return next((v for name, v in cells if roles[name] in wanted and any(ch.isalpha() for ch in v)), None)


def _holder(person: str | None, position: str | None) -> str | None:
    """Who holds a duty: the person named, with the position when the row gives one ("Lò Văn Hải, Giám đốc")."""
    return ", ".join(part for part in (person, position) if part) or None


def _span(value: str) -> tuple[str | None, str | None]:
    """A cell's one date as (None, date), or its range of two ("14/9/2027 – 15/9/2027") as (start, end)."""
    mentions = [m for m in date_mentions(fold(value)) if not m.ambiguous and m.year]
    if len(mentions) == 2:
        return _day(mentions[0]), _day(mentions[1])
    return None, _date(value)


def _day(mention: DateMention) -> str:
    """A date mention as an ISO day, or "--MM-DD" without its year."""
    month_day = mention.key.removeprefix("date:")
    return f"{mention.year}-{month_day}" if mention.year else f"--{month_day}"


def _states_duty(header: str, language: str | None) -> bool:
    """An actor column's header states a duty ("Cơ quan kiểm tra", "Đơn vị chủ trì"), not a bare "Đơn vị"."""
    return bool(lexicon.find(lexicon.words(header), lexicon.phrases("obligation", language or ""), language or ""))


def _words_only(value: str) -> bool:
    return any(ch.isalpha() for ch in value) and not any(ch.isdigit() for ch in value)


def _member_role(chunk: Chunk, cells: list[tuple[str, str]], roles: dict[str, str | None]) -> list[Fact]:
    """The role a member table's row gives ("Position: <title>; Role in the group: <head>"): a
    responsibility of the position (the actor, after the member's name when the row gives one) whose text
    is the role. A blank form row ("……"), a row
    without a position, and plain membership (`plain_member`: no duty of its own) give nothing."""
    language = chunk.meta.language
    position = _cell(cells, roles, "position")
    role = _cell(cells, roles, "role", "task")
    if position is None or role is None:
        return []
    seq, lang = lexicon.words(role), language or ""
    if any(len(p) == len(seq) and lexicon.match_at(seq, 0, p, lang) for p in lexicon.phrases("plain_member", lang)):
        return []
    holder = _holder(_cell(cells, roles, "person"), position)  # a filled-in table names the member too
    return [Fact(kind="responsibility", actor=holder, levels=levels_of(position, language), text=role,
                 language=language, evidence=[evidence_of(chunk, chunk.text)])]  # fmt: skip


def _by_year(chunk: Chunk, cells: list[tuple[str, str]]) -> list[Fact]:
    """Targets of a row whose columns are years, each due by its column's year: what is measured is the
    wordiest cell outside them."""
    years = [(name, value) for name, value in cells if any(m.year for m in number_mentions(fold(name)))]
    others = [value for name, value in cells if (name, value) not in years]
    label = max(others, key=lambda v: sum(ch.isalpha() for ch in v), default="")
    if not years or not any(ch.isalpha() for ch in label):
        return []
    evidence = [evidence_of(chunk, chunk.text)]
    facts = []
    for name, value in years:
        numbers = [n for n in number_mentions(fold(value)) if not n.year]
        named = {n.value for n in number_mentions(fold(name)) if n.year}
        year = named.pop() if len(named) == 1 else None
        if len(numbers) == 1 and not any(ch.isalpha() for ch in value):
            facts.append(Fact(kind="target", value=float(numbers[0].value), unit="%" if numbers[0].percent else None,
                              text=f"{label} ({name})", language=chunk.meta.language, date=year,
                              date_role="by" if year else None, evidence=evidence))  # fmt: skip
    return facts
