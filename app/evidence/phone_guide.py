"""The "Get files from your phone" guide (从手机导入) as typed data.

The content lives in resources/phone_guide/guide.json: routes (before you start, the USB cable
and the DCIM folder, the iPhone transfer setting, WeChat/QQ with 原图, what never keeps the
original), phone families (iPhone, Huawei/Honor, Xiaomi/Redmi, OPPO/vivo/OnePlus, Samsung) with
the folders where the camera's originals live, and steps. Every text is in Chinese and English;
every step and folder keeps its `source` (the page that says so, or None when none was found)
and the date that page was `checked`. Loading validates all of it, so a broken guide fails
the tests rather than the window.

`route_for_findings` picks the page to open for a file found not to be an original: a finding
whose code starts with "route_" (the route a check recognised) opens the matching route, any
other file the general page.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

from app.evidence.i18n import Text

GENERAL_ROUTE = "overview"
"""The page opened when nothing says which route made a copy."""
FIGURE_KINDS = ("cable", "folders", "menu", "tick", "cross")
"""Diagrams the window knows how to draw."""
FOLDER_ROLES = ("camera", "skip")
_CJK = re.compile(r"[\u3400-\u9fff]")


class GuideError(ValueError):
    """The bundled guide data is malformed (a packaging or editing mistake)."""


@dataclass(frozen=True)
class Source:
    """A page a step relies on."""

    url: str
    title: str
    publisher: str
    kind: str  # "vendor", "vendor_forum" or "third_party"


@dataclass(frozen=True)
class Figure:
    """A diagram the window draws: kind, plus its labels (see FIGURE_KINDS)."""

    kind: str
    title: Text | None = None
    options: tuple[Text, ...] = ()
    chosen: int | None = None
    label: Text | None = None
    button: Text | None = None


@dataclass(frozen=True)
class Step:
    """One step of a route; `families` empty means every phone."""

    text: Text
    source: Source | None
    checked: dt.date
    families: tuple[str, ...] = ()
    figure: Figure | None = None
    see: str | None = None  # another route this step points to
    note: Text | None = None

    def applies_to(self, family: str | None) -> bool:
        return not self.families or family is None or family in self.families


@dataclass(frozen=True)
class Folder:
    """A folder on a phone: the camera's originals, or one to leave alone."""

    path: str
    role: str  # "camera" or "skip"
    what: Text
    source: Source | None
    checked: dt.date


@dataclass(frozen=True)
class Family:
    id: str
    name: Text
    folders: tuple[Folder, ...]

    @property
    def camera_folders(self) -> tuple[Folder, ...]:
        return tuple(f for f in self.folders if f.role == "camera")


@dataclass(frozen=True)
class Route:
    id: str
    title: Text
    summary: Text
    steps: tuple[Step, ...]
    keywords: tuple[str, ...] = ()
    shows_folders: bool = False
    codes: tuple[str, ...] = ()  # route_* finding codes that open this page

    @property
    def per_family(self) -> bool:
        """Whether some steps are for some phones only (the page offers a phone choice)."""
        return any(s.families for s in self.steps)

    def steps_for(self, family: str | None) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.applies_to(family))


@dataclass(frozen=True)
class PhoneGuide:
    routes: tuple[Route, ...]
    families: tuple[Family, ...]
    sources: Mapping[str, Source] = field(default_factory=dict)

    def route(self, route_id: str) -> Route:
        for r in self.routes:
            if r.id == route_id:
                return r
        raise KeyError(route_id)

    def family(self, family_id: str) -> Family:
        for f in self.families:
            if f.id == family_id:
                return f
        raise KeyError(family_id)

    def all_steps(self) -> list[Step]:
        return [s for r in self.routes for s in r.steps]


def _text(value: Any, where: str) -> Text:
    if not isinstance(value, dict) or set(value) != {"zh", "en"}:
        raise GuideError(f"{where}: a text needs exactly zh and en, got {value!r}")
    zh, en = value["zh"], value["en"]
    if not (isinstance(zh, str) and zh.strip() and isinstance(en, str) and en.strip()):
        raise GuideError(f"{where}: an empty or non-string translation")
    if _CJK.search(en) and not re.search(r"[A-Za-z]{3}", en):
        raise GuideError(f"{where}: the English text is not English: {en!r}")
    return Text(zh, en)


def _opt_text(value: Any, where: str) -> Text | None:
    return None if value is None else _text(value, where)


def _date(value: Any, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise GuideError(f"{where}: checked must be a date (YYYY-MM-DD), got {value!r}") from exc


def _source(raw: Mapping[str, Any], sources: Mapping[str, Source], where: str) -> Source | None:
    if "source" not in raw:
        raise GuideError(f"{where}: no source field (a URL, or null when none was found)")
    url = raw["source"]
    if url is None:
        return None
    if not isinstance(url, str) or not re.match(r"https?://\S+$", url):
        raise GuideError(f"{where}: source must be a web address or null, got {url!r}")
    if url not in sources:
        raise GuideError(f"{where}: source {url} is not described in `sources`")
    return sources[url]


def _figure(raw: Any, where: str) -> Figure | None:
    if raw is None:
        return None
    kind = raw.get("kind")
    if kind not in FIGURE_KINDS:
        raise GuideError(f"{where}: unknown figure kind {kind!r}")
    key = "items" if kind == "cross" else "options"
    options = tuple(_text(o, f"{where} figure option {i}") for i, o in enumerate(raw.get(key, [])))
    chosen = raw.get("chosen")
    if kind == "menu" and (
        not options or not isinstance(chosen, int) or not 0 <= chosen < len(options)
    ):
        raise GuideError(f"{where}: a menu figure needs options and a chosen index")
    if kind == "cross" and not options:
        raise GuideError(f"{where}: a cross figure needs items")
    figure = Figure(
        kind=kind,
        title=_opt_text(raw.get("title"), f"{where} figure title"),
        options=options,
        chosen=chosen,
        label=_opt_text(raw.get("label"), f"{where} figure label"),
        button=_opt_text(raw.get("button"), f"{where} figure button"),
    )
    if kind == "tick" and (figure.label is None or figure.button is None):
        raise GuideError(f"{where}: a tick figure needs a label and a button")
    return figure


def parse_guide(data: Mapping[str, Any]) -> PhoneGuide:
    """The guide from its JSON form; GuideError names the first thing wrong."""
    if data.get("format") != 1:
        raise GuideError(f"unknown guide format {data.get('format')!r}")
    sources = {}
    for url, s in data.get("sources", {}).items():
        if s.get("kind") not in ("vendor", "vendor_forum", "third_party"):
            raise GuideError(f"source {url}: kind must be vendor, vendor_forum or third_party")
        sources[url] = Source(url, str(s["title"]), str(s["publisher"]), s["kind"])
    families = []
    for f in data["families"]:
        folders = tuple(
            Folder(
                path=str(d["path"]),
                role=d["role"],
                what=_text(d.get("what"), f"family {f['id']} folder {d['path']}"),
                source=_source(d, sources, f"family {f['id']} folder {d['path']}"),
                checked=_date(d.get("checked"), f"family {f['id']} folder {d['path']}"),
            )
            for d in f["folders"]
        )
        if any(d.role not in FOLDER_ROLES for d in folders):
            raise GuideError(f"family {f['id']}: a folder role must be one of {FOLDER_ROLES}")
        if not any(d.role == "camera" for d in folders):
            raise GuideError(f"family {f['id']}: no camera folder")
        families.append(Family(f["id"], _text(f.get("name"), f"family {f['id']}"), folders))
    family_ids = {f.id for f in families}
    route_ids = {r["id"] for r in data["routes"]}
    routes = []
    for r in data["routes"]:
        steps = []
        for n, s in enumerate(r["steps"], 1):
            where = f"route {r['id']} step {n}"
            step = Step(
                text=_text(s.get("text"), where),
                source=_source(s, sources, where),
                checked=_date(s.get("checked"), where),
                families=tuple(s.get("families", ())),
                figure=_figure(s.get("figure"), where),
                see=s.get("see"),
                note=_opt_text(s.get("note"), f"{where} note"),
            )
            if set(step.families) - family_ids:
                raise GuideError(f"{where}: unknown families {set(step.families) - family_ids}")
            if step.see is not None and step.see not in route_ids:
                raise GuideError(f"{where}: points to an unknown route {step.see!r}")
            steps.append(step)
        routes.append(
            Route(
                id=r["id"],
                title=_text(r.get("title"), f"route {r['id']} title"),
                summary=_text(r.get("summary"), f"route {r['id']} summary"),
                steps=tuple(steps),
                keywords=tuple(k.lower() for k in r.get("keywords", ())),
                shows_folders=bool(r.get("folders", False)),
                codes=tuple(r.get("codes", ())),
            )
        )
    codes = [c for r in routes for c in r.codes]
    if any(not c.startswith("route_") for c in codes) or len(codes) != len(set(codes)):
        raise GuideError("route codes must start with route_ and name one route each")
    if GENERAL_ROUTE not in route_ids:
        raise GuideError(f"no {GENERAL_ROUTE!r} route")
    return PhoneGuide(tuple(routes), tuple(families), sources)


@lru_cache(maxsize=1)
def load_guide() -> PhoneGuide:
    """The bundled guide (read once)."""
    raw = files("resources").joinpath("phone_guide").joinpath("guide.json").read_text("utf-8")
    return parse_guide(json.loads(raw))


def route_for_finding(code: str, guide: PhoneGuide | None = None) -> str | None:
    """The route a "route_*" finding code names, or None (not a route code, or none matches).

    A route lists the codes of app/evidence/checks/routes.py it answers ("route_chat_app_saved":
    saved from a chat, so the page of what never keeps the original); "route_<route id>" names
    a route directly; otherwise the words of the code after "route_" are matched against each
    route's keywords ("route_wechat_recompressed" -> WeChat/QQ), so a new code still lands on a
    fitting page.
    """
    if not code.startswith("route_"):
        return None
    guide = guide or load_guide()
    rest = code[len("route_") :].lower()
    for r in guide.routes:
        if code in r.codes or rest == r.id:
            return r.id
    words = set(re.split(r"[_\W]+", rest))
    for r in guide.routes:
        if words & set(r.keywords):
            return r.id
    return None


def route_for_findings(codes: Iterable[str], guide: PhoneGuide | None = None) -> str:
    """The page to open for a file with these finding codes: a route_* finding's route, else
    the general page."""
    for code in codes:
        route = route_for_finding(code, guide)
        if route is not None:
            return route
    return GENERAL_ROUTE
