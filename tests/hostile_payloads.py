"""The hostile corpus: script-injection payloads, and the fixture site that carries them.

Every payload, if it ever ran, would call `__pwned('<id>')`; the browser test watches that
function. `python tests/hostile_payloads.py` rewrites tests/fixtures/hostile/ from this file
(the test suite fails while the committed fixture differs from what this writes).
"""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path


def _f(pid: str) -> str:
    return f"__pwned('{pid}')"


def _payloads() -> dict[str, str]:
    p: dict[str, str] = {}
    b64 = base64.b64encode(f"<script>parent.{_f('p19')}</script>".encode()).decode()
    items = [
        ("p01", "script tag", f"<script>{_f('p01')}</script>"),
        ("p02", "img onerror", f"<img src=x onerror={_f('p02')}>"),
        ("p03", "svg onload", f"<svg onload={_f('p03')}>"),
        ("p04", "script inside svg", f"<svg><script>{_f('p04')}</script></svg>"),
        ("p05", "iframe javascript src", f'<iframe src="javascript:{_f("p05")}"></iframe>'),
        ("p06", "iframe srcdoc", f'<iframe srcdoc="<script>parent.{_f("p06")}</script>"></iframe>'),
        ("p07", "</script> breakout", f"</script><script>{_f('p07')}</script>"),
        ("p08", "</title> breakout", f"</title><script>{_f('p08')}</script>"),
        ("p09", "double-quoted attribute breakout", f'"><script>{_f("p09")}</script>'),
        ("p10", "single-quoted attribute breakout", f"' onmouseover='{_f('p10')}' x='"),
        ("p11", "autofocus onfocus attribute", f'" autofocus onfocus="{_f("p11")}" x="'),
        ("p12", "Markdown javascript: link", f"[click me](javascript:{_f('p12')})"),
        ("p13", "mixed-case JaVaScRiPt: link", f"[click me](JaVaScRiPt:{_f('p13')})"),
        ("p14", "entity-encoded scheme (one letter)", f"[click me](java&#115;cript:{_f('p14')})"),
        (
            "p15",
            "entity-encoded scheme (all letters)",
            "[click me](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;" + _f("p15") + ")",
        ),
        ("p16", "tab inside the scheme", f"[click me](<java\tscript:{_f('p16')}>)"),
        ("p17", "newline inside the scheme", f"[click me](java\nscript:{_f('p17')})"),
        ("p18", "leading space and percent-encoding", f"[a]( javascript:{_f('p18')}) [b](%6Aavascript:{_f('p18')})"),
        ("p19", "data: text/html base64 link", f"[click me](data:text/html;base64,{b64})"),
        ("p20", "upper-case DATA: link", f"[click me](DATA:text/html,<script>{_f('p20')}</script>)"),
        ("p21", "vbscript: link", '[click me](vbscript:msgbox("p21"))'),
        ("p22", "mixed-case VbScRiPt: link", f"[click me](VbScRiPt:{_f('p22')})"),
        ("p23", "Markdown image with javascript: source", f"![picture](javascript:{_f('p23')})"),
        ("p24", "Markdown image attribute breakout", f'![x](https://example.org/x.png" onerror="{_f("p24")})'),
        ("p25", "reference-style javascript: link", f"[ref link][evil]\n\n[evil]: javascript:{_f('p25')}"),
        ("p26", "javascript: autolink", f"<javascript:{_f('p26')}>"),
        ("p27", "attr_list block attributes", f'Text\n{{: onclick="{_f("p27")}" }}'),
        (
            "p28",
            "attr_list inline attributes",
            f'[link](https://example.org){{: onclick="{_f("p28")}" }} and *em*{{: onmouseover="{_f("p28")}" }}',
        ),
        ("p29", "md_in_html block", f'<div markdown="1" onclick="{_f("p29")}">*x*</div>'),
        ("p30", "Jinja expression", "{{ 7*7 }} {{ __pwned('p30') }} {{ ''.__class__.__mro__ }}"),
        ("p31", "Jinja statement", "{% for x in range(3) %}{{ __pwned('p31') }}{% endfor %}{% raw %}"),
        ("p32", "raw HTML javascript: anchor", f'<a href="javascript:{_f("p32")}">raw link</a>'),
        ("p33", "mutation XSS via math/style", f"<math><mtext><table><mglyph><style><img src=x onerror={_f('p33')}>"),
        (
            "p34",
            "object and embed",
            f'<object data="javascript:{_f("p34")}"></object><embed src="javascript:{_f("p34")}">',
        ),
        ("p35", "details ontoggle", f"<details open ontoggle={_f('p35')}>"),
        ("p36", "comment and CDATA breakout", f"]]><!--<script>{_f('p36')}</script>-->"),
        ("p37", "pre-encoded entities (double decoding)", f"&lt;script&gt;{_f('p37')}&lt;/script&gt;"),
        ("p38", "backtick fence around raw HTML", f"```\n<script>{_f('p38')}</script>\n```"),
        ("p39", "meta refresh", f'<meta http-equiv="refresh" content="0;url=javascript:{_f("p39")}">'),
        ("p40", "base href", f'<base href="javascript:{_f("p40")}//">'),
        ("p41", "link title attribute breakout", f'[x](https://example.org "t\\" onmouseover=\\"{_f("p41")}")'),
        ("p42", "spreadsheet formula", f'=HYPERLINK("javascript:{_f("p42")}","open")'),
        ("p43", "U+2028/U+2029 then </script>", f"\u2028\u2029</script><script>{_f('p43')}</script>"),
        (
            "p44",
            "style and stylesheet link",
            f'<style>*{{background:url("javascript:{_f("p44")}")}}</style><link rel=stylesheet href="javascript:{_f("p44")}">',
        ),
        ("p45", "form action", f'<form action="javascript:{_f("p45")}"><button>go</button></form>'),
        (
            "p46",
            "footnote and abbreviation definitions",
            f"[^1]: <script>{_f('p46')}</script>\n\n*[HTML]: <script>{_f('p46')}</script>",
        ),
        ("p47", "input autofocus onfocus", f"<input autofocus onfocus={_f('p47')}>"),
        (
            "p48",
            "bare javascript: text and quote in URL",
            f'javascript:{_f("p48")} https://example.org/"onmouseover="{_f("p48")}',
        ),
        ("p49", "mixed-case ScRiPt tag", f"<sCrIpT>{_f('p49')}</ScRiPt>"),
        ("p50", "nested tag filter evasion", f"<scr<script>ipt>{_f('p50')}</scr</script>ipt>"),
        ("p51", "percent-encoded script tag", f"%3Cscript%3E{_f('p51')}%3C/script%3E"),
        ("p52", "entity-encoded href in raw anchor", f'<a href="&#106;avascript:{_f("p52")}">x</a>'),
        ("p53", "entity-encoded handler body", "<img src=x onerror=\"&#95;&#95;pwned('p53')\">"),
        ("p54", "SVG xlink:href", f'<svg><a xlink:href="javascript:{_f("p54")}"><text>x</text></a></svg>'),
        ("p55", "video source onerror", f'<video><source onerror="{_f("p55")}"></video>'),
        ("p56", "body onload", f"<body onload={_f('p56')}>"),
        ("p57", "HTML-escaped Markdown link", f"[click](javascript&#58;{_f('p57')})"),
        ("p58", "angle-bracket link destination", f"[click](<javascript:{_f('p58')}>)"),
    ]
    for pid, _what, text in items:
        p[pid] = text
    return p


PAYLOADS: dict[str, str] = _payloads()
DESCRIPTIONS: dict[str, str] = {}  # filled below: payload id -> what it tries


def _describe() -> None:
    import ast
    import inspect

    source = inspect.getsource(_payloads)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Tuple) and len(node.elts) == 3 and isinstance(node.elts[0], ast.Constant):
            pid, what = node.elts[0].value, node.elts[1]
            if isinstance(what, ast.Constant) and isinstance(pid, str) and pid in PAYLOADS:
                DESCRIPTIONS[pid] = str(what.value)


_describe()

# What each payload gets in Markdown fields (summary, analysis, entity and source bodies).
# In every other text field (statement, titles, names, excerpts, notes ...) it is escaped text.
_MARKDOWN_OUTCOMES = {
    "raw HTML is off: shown as text": "p01 p02 p03 p04 p05 p06 p07 p08 p09 p10 p11 p29 p32 p33 p34 p35 p36 p39 p40 p43 "
    "p44 p45 p47 p49 p50 p52 p53 p54 p55 p56",
    "not a link (scheme not allowed): shown as text": "p12 p13 p14 p15 p16 p17 p18 p19 p20 p21 p22 p25 p26 p57 p58",
    "images are off: shown as text": "p23 p24",
    "shown as text: MkDocs' Markdown (attr_list, md_in_html, footnotes, abbr) never parses claim text": "p27 p28 p46",
    "shown as text: claim text is never a template": "p30 p31",
    "shown as the escaped text it is, never decoded twice": "p37 p51",
    "a code span or block, escaped": "p38",
    "an https link; the title attribute is escaped": "p41",
    "text; in the CSV export the cell is prefixed with '": "p42",
    "text (no autolinking)": "p48",
}
MARKDOWN_OUTCOME = {pid: outcome for outcome, ids in _MARKDOWN_OUTCOMES.items() for pid in ids.split()}


def security_table() -> str:
    """The payload table of SECURITY.md (kept in step by the test suite)."""
    rows = ["| id | what it tries | in Markdown fields |", "| --- | --- | --- |"]
    rows += [
        f"| {pid} | `{DESCRIPTIONS[pid]}` | {MARKDOWN_OUTCOME[pid]} |"
        if "<" in DESCRIPTIONS[pid]
        else f"| {pid} | {DESCRIPTIONS[pid]} | {MARKDOWN_OUTCOME[pid]} |"
        for pid in PAYLOADS
    ]
    return "\n".join(rows) + "\n"


TABLE_START, TABLE_END = "<!-- payload table: python tests/hostile_payloads.py -->\n", "<!-- end of payload table -->\n"


def write_security_table(security_md: Path) -> None:
    """Replace the payload table between its markers in SECURITY.md."""
    text = security_md.read_text(encoding="utf-8")
    head, rest = text.split(TABLE_START, 1)
    _, tail = rest.split(TABLE_END, 1)
    security_md.write_text(head + TABLE_START + security_table() + TABLE_END + tail, encoding="utf-8")


# Hostile values that must be refused (not rendered): URL fields and ids.
BAD_URLS = [
    "javascript:__pwned('u1')",
    "JaVaScRiPt:__pwned('u2')",
    " javascript:__pwned('u3')",
    "java\tscript:__pwned('u4')",
    "java\nscript:__pwned('u5')",
    "&#106;avascript:__pwned('u6')",
    "data:text/html,<script>__pwned('u7')</script>",
    "DATA:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox('u9')",
    "//evil.example/x",
    "https://example.org/\"onmouseover=\"__pwned('u11')",
    "https://example.org/<script>",
    "file:///etc/passwd",
    "http:/no-host",
    "https://example.org/x\n",
]

CLAIMANT = "hostile-claimant"
PUBLISHED = "2024-10-25"


def _q(text: str) -> str:
    """Return text as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


def _claim(n: int, pid: str, payload: str, verdicts: list[str]) -> str:
    lines = [
        f"statement: {_q(f'Statement {pid}: ' + payload)}",
        f"claimant: {CLAIMANT}",
        "appearance:",
    ]
    if n % 2 == 0:
        lines += [f"  source: source-{pid}", f"  quote: {_q(payload)}", f"  position: {n}"]
    else:
        lines += [
            f"  url: https://example.org/appearance/{pid}",
            f"  title: {_q(payload)}",
            f"  publisher: {_q(payload[:200])}",
            "  date: 2024-10-01",
        ]
    lines += [
        "claim_date: 2024-10-02",
        f"verdict: {_q(verdicts[n % len(verdicts)])}",
        f"summary: {_q(payload)}",
        f"analysis: {_q(f'Analysis of {pid}.' + chr(10) * 2 + payload + chr(10) * 2 + 'The end.')}",
        "evidence:",
        f"  - title: {_q(payload)}",
        f"    publisher: {_q(payload[:200])}",
        f"    url: https://example.org/evidence/{pid}",
        "    date: 2024-10-03",
        "    stance: contradicts",
        f"    excerpt: {_q(payload)}",
        f"    archive_url: https://web.archive.org/web/2024/https://example.org/evidence/{pid}",
        f"entities: [entity-{pid}]",
        f"tags: [hostile, {pid}]",
        f"authors: [{_q(payload[:100])}, {_q('Author of ' + pid)}]",
        f"published: {PUBLISHED}",
        "updated: 2024-10-27",
        "updates:",
        "  - date: 2024-10-27",
        f"    note: {_q(payload)}",
        f"    previous_verdict: {_q(verdicts[(n + 1) % len(verdicts)])}",
    ]
    if n % 5 == 0:
        lines += [
            "media:",
            "  type: video",
            f"  url: https://example.org/video/{pid}",
            "  authenticity: decontextualized",
            f"  original_url: https://example.org/original/{pid}",
            f"  original_context: {_q(payload)}",
        ]
    return "\n".join(lines) + "\n"


def _entity(pid: str, payload: str) -> str:
    return (
        "---\n"
        f"name: {_q(f'Entity {pid} ' + payload)}\n"
        "type: organization\n"
        f"aliases: [{_q(f'Alias {pid} ' + payload)}]\n"
        f"description: {_q(payload)}\n"
        f"related: [{CLAIMANT}]\n"
        "---\n"
        f"Body of entity {pid}.\n\n{payload}\n"
    )


def _source(pid: str, payload: str) -> str:
    return (
        "---\n"
        f"title: {_q(f'Source {pid} ' + payload)}\n"
        f"publisher: {_q(payload[:200])}\n"
        f"url: https://example.org/source/{pid}\n"
        "date: 2024-10-01\n"
        "type: article\n"
        "---\n"
        f"Body of source {pid}.\n\n{payload}\n"
    )


def write_fixture(dest: Path, basic: Path) -> None:
    """Write the hostile fixture site into dest (hand-written pages copied from basic)."""
    if dest.exists():
        shutil.rmtree(dest)
    for sub in ("claims", "content/entities", "content/sources"):
        (dest / sub).mkdir(parents=True)
    for page in sorted((basic / "content").glob("*.md")):
        shutil.copy(page, dest / "content" / page.name)
    verdicts = ["true", "mostly-true", "needs-context", "misleading", "false", "unproven"]
    (dest / "content" / "entities" / f"{CLAIMANT}.md").write_text(
        "---\nname: \"Claimant <script>__pwned('c0')</script> & Co\"\ntype: person\n"
        "description: \"<img src=x onerror=__pwned('c0')>\"\n---\n",
        encoding="utf-8",
    )
    for n, (pid, payload) in enumerate(PAYLOADS.items(), start=1):
        (dest / "claims" / f"{pid}-hostile.yaml").write_text(_claim(n, pid, payload, verdicts), encoding="utf-8")
        (dest / "content" / "entities" / f"entity-{pid}.md").write_text(_entity(pid, payload), encoding="utf-8")
        if n % 2 == 0:
            (dest / "content" / "sources" / f"source-{pid}.md").write_text(_source(pid, payload), encoding="utf-8")


FIXTURE = Path(__file__).resolve().parent / "fixtures" / "hostile"
BASIC = Path(__file__).resolve().parent / "fixtures" / "basic"

SECURITY_MD = Path(__file__).resolve().parent.parent / "SECURITY.md"

if __name__ == "__main__":
    write_fixture(FIXTURE, BASIC)
    write_security_table(SECURITY_MD)
    print(f"wrote {FIXTURE} ({len(PAYLOADS)} payloads)")
