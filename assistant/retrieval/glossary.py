"""A Plan 02 glossary for query expansion across the corpus languages.

Questions come in Vietnamese and English; the articles are in uk/de/ru/pt/es.
Each entry is one domain concept with its wording in those languages (as the
articles and Plan 02 documents phrase it). When any form of a concept occurs in
a query, all its forms are added to the lexical query, so "giai đoạn cấp bách"
also looks for "Dringlichkeitsphase", "fase urgente" and "терміновий етап".

Entries are general Plan 02 / Vietnamese public-administration terms (bodies,
documents, phases, services, places), not answers to particular questions.
Names of people need no entries: :func:`text_norm.phonetic` brings Latin and
Cyrillic spellings of Vietnamese names to one key.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.retrieval.text_norm import fold

# concept -> surface forms (any language; matched after accent folding and transliteration)
GLOSSARY: dict[str, tuple[str, ...]] = {
    # Plan 02 and its documents
    "plan": ("kế hoạch", "plan", "план", "plano"),
    "guidebook": ("sổ tay", "sổ tay hướng dẫn", "guidebook", "handbook", "руководство", "посібник",
                  "handbuch", "manual"),
    # ru "10 глав" / "в главах" (genitive/locative plural), uk/ru "глави"/"главы": forms are listed one by one
    # because the lexical channel matches whole prefix-6 tokens ("glav" ≠ "glava" ≠ "glavak").
    "chapter": ("chương", "chapter", "глава", "главе", "глав", "главы", "глави", "главах", "розділ", "kapitel",
                "capítulo"),
    "part": ("parts", "части", "частини", "teile", "partes"),
    "resolution": ("nghị quyết", "resolution", "резолюція", "резолюции", "постановление", "resolução",
                   "resolución", "beschluss"),
    "conclusion": ("kết luận", "conclusion", "висновок", "заключение", "conclusão", "conclusión",
                   "schlussfolgerung"),
    "dispatch": ("công văn", "official dispatch", "dispatch", "официальное распоряжение", "распоряжение",
                 "офіційний лист", "ofício", "despacho"),
    # bodies
    "steering_committee": ("ban chỉ đạo", "bcđtw", "bcđ", "steering committee", "керівний комітет",
                           "керівного комітету", "руководящий комитет", "руководящего комитета",
                           "lenkungsausschuss", "comitê diretivo", "comité directivo"),
    "standing_agency": ("cơ quan thường trực", "thường trực", "standing agency", "standing office",
                        "постійне агентство", "постоянное агентство", "постоянный офис",
                        "ständiger ausschuss", "permanente"),
    "party_office": ("văn phòng trung ương đảng", "vptw", "central party office", "центральный аппарат партии",
                     "центральный партийный офис", "gabinete do comitê central"),
    "politburo": ("bộ chính trị", "politburo", "політбюро", "политбюро", "politbüro", "buró político"),
    "secretariat": ("ban bí thư", "secretariat", "секретаріат", "секретариат", "sekretariat",
                    "secretariado", "secretaría"),
    "peoples_committee": ("ubnd", "ủy ban nhân dân", "uỷ ban nhân dân", "people's committee",
                          "народного комітету", "народний комітет", "народный комитет", "volkskomitee",
                          "comitê popular", "comité popular"),
    "peoples_council": ("hđnd", "hội đồng nhân dân", "people's council", "народна рада", "народный совет",
                        "volksrat", "conselho popular", "consejo popular"),
    "party_committee": ("tỉnh ủy", "tỉnh uỷ", "party committee", "партійного комітету", "партийного комитета",
                        "parteikomitee", "comitê provincial do partido", "comité provincial del partido"),
    "party_secretary": ("bí thư", "party secretary", "секретар", "секретарь", "sekretär", "secretário",
                        "secretario"),
    "chairman": ("chủ tịch", "chairman", "president", "голова", "председатель", "vorsitzende",
                 "presidente"),
    "inspection_commission": ("ủy ban kiểm tra", "inspection commission", "ревізійного комітету",
                              "контрольной комиссии", "comitê central de inspeção", "comisión de inspección"),
    "deputy_pm": ("phó thủ tướng", "deputy prime minister", "прем'єр-міністра", "вице-премьер",
                  "vice-primeiro-ministro", "viceprimer ministro"),
    "dost": ("sở khoa học và công nghệ", "khoa học và công nghệ", "kh&cn", "department of science and technology",
             "ciência e tecnologia", "ciencia y tecnología", "wissenschaft und technologie"),
    "working_group": ("tổ công tác", "working group", "робоча група", "робочою групою", "рабочих групп",
                      "рабочие группы", "arbeitsgruppe", "grupos de trabalho", "equipes", "grupos de trabajo"),
    # phases and targets
    "urgent_phase": ("giai đoạn cấp bách", "cấp bách", "urgent phase", "терміновий етап", "невідкладний етап",
                     "срочный этап", "dringlichkeitsphase", "fase urgente"),
    "breakthrough_phase": ("giai đoạn đột phá", "đột phá", "giai đoạn chuyển đổi", "breakthrough phase",
                           "transformation phase", "проривний етап", "прорывной этап", "durchbruchsphase",
                           "fase de transformação", "fase de transformación"),
    "two_tier": ("hai cấp", "chính quyền địa phương hai cấp", "two-tier", "two-level", "дворівнев",
                 "двухуровнев", "zweistufig", "zwei-ebenen", "dois níveis", "dos niveles", "bipartidário"),
    "merger": ("sáp nhập", "sắp xếp", "hợp nhất", "merger", "reorganisation", "reorganization", "об'єднання",
               "слияния", "объединения", "neuordnung", "fusão", "fusión", "reorganização"),
    "procedures": ("thủ tục hành chính", "tthc", "administrative procedure", "адміністративних процедур",
                   "административных процедур", "verwaltungsverfahren", "procedimentos administrativos",
                   "trámites administrativos", "procedimientos administrativos"),
    "online_services": ("dịch vụ công trực tuyến", "dvctt", "dịch vụ công", "dvc", "online public service",
                        "онлайн-державних послуг", "онлайн-государственных услуг", "online-öffentlichkeitsdienste",
                        "serviços públicos online", "servicios públicos en línea"),
    "full_process": ("toàn trình", "end-to-end", "full online", "повноцінних", "totalidade",
                     "ao longo de todo o processo"),
    "national_portal": ("cổng dịch vụ công quốc gia", "national public service portal", "національному порталі",
                        "национальный портал", "nationalen portal", "portal nacional"),
    "records": ("hồ sơ", "records", "dossiers", "записів", "записей", "verwaltungsvorgänge", "registros",
                "registos", "arquivos"),
    "database": ("cơ sở dữ liệu", "csdl", "database", "баз даних", "баз данных", "datenbank", "bancos de dados",
                 "bases de datos"),
    "vneid": ("vneid", "định danh điện tử"),
    "digital_key": ("chìa khóa số", "chìa khoá số", "digital key", "digitaler schlüssel", "chave digital",
                    "цифровий ключ", "цифровой ключ"),
    "one_stop": ("một cửa", "bộ phận một cửa", "one-stop", "balcão único", "atendimento único",
                 "zentrale anlaufstelle", "ventanilla única"),
    "service_centre": ("trung tâm phục vụ hành chính công", "public administrative service centre",
                       "verwaltungsdienstleistungszentren", "centros de atendimento"),
    "pillar": ("trụ cột", "pillar", "опор", "säule", "pilares"),
    "tasks": ("nhiệm vụ", "task", "завдань", "задач", "aufgaben", "tarefas", "tareas"),
    "template": ("mẫu", "biểu mẫu", "template", "шаблон", "образц", "vorlage", "modelo"),
    "scenario": ("kịch bản", "scenario", "сценари", "szenario", "cenários", "escenarios"),
    "early_warning": ("cảnh báo sớm", "early warning", "раннього попередження", "раннего предупреждения",
                      "frühwarnsystem", "alerta precoce", "alerta temprana"),
    "focal_point": ("đầu mối", "focal point", "coordinator", "координатор", "puntos focales",
                    "ponto focal", "ansprechpartner"),
    "digital_signature": ("chữ ký số", "digital signature", "цифровий підпис", "цифровая подпись",
                          "assinaturas digitais", "firma digital", "digitale signatur"),
    "document_system": ("quản lý văn bản", "document management", "gestão documental", "gestión documental",
                        "документообіг", "документооборот", "dokumentenmanagement"),
    "electronic_document": ("văn bản điện tử", "electronic document", "documentos eletrônicos",
                            "documentos electrónicos", "електронних документів", "электронных документов",
                            "elektronische dokumente"),
    "priority": ("ưu tiên", "priority", "prioritised", "prioritized", "приоритет", "пріоритет", "priorität",
                 "prioridade", "prioridad", "prioritär"),
    "list": ("danh sách", "danh mục", "list", "список", "перечень", "перечня", "перелік", "переліку", "liste",
             "lista"),
    "provider": ("nhà cung cấp", "provider", "vendor", "поставщик", "постачальник", "anbieter", "fornecedor",
                 "proveedor"),
    "email": ("hộp thư", "thư điện tử", "email", "e-mail", "електронна пошта", "электронная почта"),
    "confidential": ("mật", "confidential", "classified", "конфіденційн", "секретн", "confidenciais",
                     "confidenciales", "vertraulich"),
    # presiding over a meeting: uk "Конференцію вели", de "führten … den Vorsitz", pt "dirigiram"/"presidiu"
    "chair_meeting": ("chủ trì", "chủ tọa", "chủ toạ", "chaired", "presided", "presiding", "вели", "головував",
                      "головували", "председательствовал", "den vorsitz", "leitete", "presidiu", "presidiram",
                      "dirigiram", "presidió", "presidieron", "dirigieron"),
    "mechanism": ("cơ chế", "mechanism", "механізм", "механизм", "mechanismus", "mecanismo"),
    "software": ("phần mềm", "software", "програмне забезпечення", "програмного забезпечення",
                 "программное обеспечение", "программного обеспечения"),
    # the form an event or procedure takes (pt "organizada em formatos que combinavam …")
    "format": ("hình thức", "format", "формат", "formato", "formatos"),
    "conference": ("hội nghị", "conference", "конференц", "konferenz", "conferência", "conferencia"),
    "bridge_point": ("điểm cầu", "bridge point", "connection point", "мостовий пункт", "мосту", "brücke",
                     "ponte", "puente"),
    "leader": ("người đứng đầu", "head of", "leader", "керівник", "руководитель", "führungskraft", "líder"),
    "specialised_unit": ("bộ phận chuyên môn", "chuyên môn", "specialised department", "specialized",
                         "spezialisierte", "especializados", "profissionais"),
    "university": ("đại học", "university", "університет", "университет", "universität", "universidades"),
    "vulnerable": ("người cao tuổi", "khuyết tật", "elderly", "disabilit", "idosos", "deficiência",
                   "пожил", "инвалид"),
    # administrative units and places
    "commune_ward": ("xã, phường", "xã phường", "cấp xã", "commune", "ward", "громад", "коммун",
                     "gemeinde", "comunas e bairros", "comunas", "bairros", "comunal"),
    "district": ("cấp huyện", "huyện", "district", "район", "bezirk", "distrital", "distrito"),
    "province": ("tỉnh", "province", "провінці", "провинци", "provinz", "província", "provincia"),
    "bac_giang": ("bắc giang", "bac giang", "бакзянг", "бак зянг"),
    "binh_dinh": ("bình định", "binh dinh", "бінь дінь", "біньдінь", "бинь динь"),
    "tra_vinh": ("trà vinh", "tra vinh", "чавинь", "тра винь"),
    "hue": ("huế", "hue", "хюе", "хуе"),
    "hanoi": ("hà nội", "hanoi", "ханой"),
}


# A one-word form at least this long (folded) also matches inside a word: German compounds put
# the concept last ("Fachdatenbanken", "Projektarbeitsgruppe"); shorter forms ("plan", "ward")
# would match inside unrelated words.
COMPOUND_MIN_CHARS = 9


def _pattern(form: str) -> re.Pattern[str]:
    # A form matches at a word start and may run on: forms are stems ("сценари", "datenbank" also
    # match "сценарии", "Datenbanken"). So a Vietnamese syllable also matches inside a compound
    # ("chương" in "chương trình", programme); such entries need forms long enough to be unambiguous.
    folded = fold(form)
    if len(folded) >= COMPOUND_MIN_CHARS and folded.isalpha():
        return re.compile(re.escape(folded))
    return re.compile(rf"(?<!\w){re.escape(folded)}")


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[str, tuple[re.Pattern[str], ...], tuple[str, ...]]]:
    return [(concept, tuple(_pattern(f) for f in forms), forms) for concept, forms in GLOSSARY.items()]


def matched_concepts(query: str) -> list[str]:
    """Concepts whose any form occurs in ``query`` (after folding)."""
    folded = fold(query)
    return [concept for concept, patterns, _ in _compiled() if any(p.search(folded) for p in patterns)]


def without_concepts(text: str, concepts: list[str]) -> str:
    """``text`` folded, with every form of ``concepts`` blanked out: what it says beyond them."""
    folded = fold(text)
    for concept, patterns, _ in _compiled():
        if concept in concepts:
            for pattern in patterns:
                folded = pattern.sub(" ", folded)
    return folded


def expand(query: str) -> list[str]:
    """The surface forms (all languages) of every concept found in ``query``."""
    forms: list[str] = []
    for concept in matched_concepts(query):
        forms.extend(GLOSSARY[concept])
    return forms


def equivalents(question: str, text: str) -> list[tuple[str, str]]:
    """For each concept of ``question`` that ``text`` words differently: its form in the question
    and the word(s) of ``text`` naming it ("tổ công tác" → "рабочих групп"), in glossary order.

    Small models miss that a Vietnamese question and a Russian passage speak of the same thing;
    the answer prompt lists these pairs (``prompts/terms.txt``).
    """
    folded_question, folded_text, lowered = fold(question), fold(text), text.lower()
    pairs: list[tuple[str, str]] = []
    for _, patterns, forms in _compiled():
        asked = next((f for f, p in zip(forms, patterns, strict=True) if p.search(folded_question)), None)
        if asked is None or _pattern(asked).search(folded_text):
            continue  # not a concept of the question, or the text already words it as the question does
        for form in forms:
            found = re.search(rf"(?<!\w){re.escape(form.lower())}\w*", lowered) if fold(form) != fold(asked) else None
            if found:
                pairs.append((asked, found.group(0)))
                break
    return pairs
