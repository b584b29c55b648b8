"""Plain data of an export: exhibits, the feeds other modules plug in, and the results.

Everything here is a frozen dataclass. `ExportInput` is what every writer (PDF, upload pack,
ZIP) reads; `collect.build_export_input` makes it from a case and the optional `ExportFeeds`,
which is the seam where the timeline, the integrity checks, the dispute checklist and OCR
transcripts come in when they exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.evidence.errors import EvidenceError
from app.evidence.models import CaptureTime, CaseInfo, Item, ItemKind

if TYPE_CHECKING:
    from app.evidence.privacy.summary import PrivacySummary
    from app.evidence.store.case import Case


class ExportError(EvidenceError):
    """An export cannot be written (target folder not usable, unknown preset, bad limits)."""


@dataclass(frozen=True)
class ExhibitFinding:
    """One integrity finding as the export shows it (from the checks, in plain words).

    Attributes:
        severity: "ok", "info", "warning" or "alert".
        false_positives_zh / false_positives_en: when this finding misleads (printed with it).
    """

    code: str
    severity: str
    title_zh: str
    title_en: str
    explanation_zh: str = ""
    explanation_en: str = ""
    false_positives_zh: str = ""
    false_positives_en: str = ""


@dataclass(frozen=True)
class Assessment:
    """The checks' verdict on one item and the findings behind it.

    Attributes:
        verdict: camera_original, recompressed, edited, unknown or unreadable.
    """

    verdict: str
    findings: tuple[ExhibitFinding, ...] = ()


@dataclass(frozen=True)
class ExhibitPlan:
    """One exhibit as the timeline orders and numbers it (the timeline feed returns these).

    Attributes:
        item_id: the item shown; None for an event exhibit (a tracking line, a chat message).
        number: the exhibit number (证据 N); also its position in the bundle.
        label: "证据3"; empty means "证据{number}".
        title: what to call it; empty means the item's original file name.
        time: the time in effect (None: undated); None with an item means "no trusted time".
        time_note: why this time (e.g. "set by hand: receipt shows the date").
        note: the exhibit's note; None means the item's own note.
    """

    item_id: int | None
    number: int
    label: str = ""
    title: str = ""
    time: CaptureTime | None = None
    time_note: str = ""
    note: str | None = None


@dataclass(frozen=True)
class ChronologyLine:
    """One line of the chronology page (an exhibit, a tracking event, a case date).

    Attributes:
        kind: what the line is, for its source column when it has no time: the item's kind,
            or None for an event (then `source` says where it was read: "ocr", "tracking").
        entered: a case date the user typed (order, shipped, ...): printed as entered by
            the user, never as a low-confidence time.
        date_only: the user gave a day without a time of day: no time is printed.
    """

    time: CaptureTime | None
    text: str
    label: str = ""  # the exhibit label when the line is an exhibit
    source: str = ""  # TimeSource value or "tracking", "manual", ...
    kind: ItemKind | None = None
    entered: bool = False
    date_only: bool = False


@dataclass(frozen=True)
class ChecklistLine:
    """One line of the dispute checklist, in the dispute checklist's own states.

    Attributes:
        status: the core checklist state (see disputes.states.CHECK_STATES): "matched",
            "ticked" (by the user), "partial" (something close: check by hand), "todo"
            (only the user can confirm it), "missing" or "not_applicable". The older export
            names "present", "manual" and "optional" are read as matched, ticked and
            not_applicable.
        exhibits: labels of the exhibits that satisfy it (or nearly, when partial).
        required: False for an optional item (printed with "(optional)").
        detail_zh / detail_en: what was found or what to do, for the states that need the user.
    """

    zh: str
    en: str
    status: str
    exhibits: tuple[str, ...] = ()
    how_zh: str = ""
    required: bool = True
    detail_zh: str = ""
    detail_en: str = ""


@dataclass(frozen=True)
class CoverFact:
    """One line of the cover's case summary (shop, item, amount, claim, dates, statement)."""

    zh: str
    en: str
    value: str


@dataclass(frozen=True)
class ExportFeeds:
    """Where the pieces built by other modules plug into the export (all optional).

    Attributes:
        plan: the timeline's ordered, numbered exhibits. Without it: items in capture-time order,
            undated last, numbered 1..N in that order.
        assess: the checks' verdict and findings for one item; None when not checked.
        chronology: the timeline as chronology lines. Without it: exhibits and key tracking lines.
        checklist: the dispute profile's checklist. Without it the page says none is available.
        facts: the case summary for the cover (shop, item, amount, claim, dates, statement).
        transcript: OCR chat transcript lines for a screenshot item ("卖家 14:32: ...").
    """

    plan: Callable[[Case], Sequence[ExhibitPlan]] | None = None
    assess: Callable[[Case, Item], Assessment | None] | None = None
    chronology: Callable[[Case], Sequence[ChronologyLine]] | None = None
    checklist: Callable[[Case], Sequence[ChecklistLine]] | None = None
    facts: Callable[[Case], Sequence[CoverFact]] | None = None
    transcript: Callable[[Case, Item], Sequence[str]] | None = None


@dataclass(frozen=True)
class Exhibit:
    """One exhibit of the bundle: an item (or an event) with its number, time, note and checks.

    Attributes:
        number: 1-based; the order of the bundle.
        label: "证据3".
        item: the original shown; None for an event exhibit.
        time: the time in effect, None when undated (weak file times count as undated).
        hint_time: a weak time kept visible (the file time), shown as "file time, unreliable".
        verdict: the checks' verdict, None when the checks have not run.
        path: absolute path of the original in the case (None for events).
    """

    number: int
    label: str
    title: str
    item: Item | None = None
    time: CaptureTime | None = None
    time_note: str = ""
    hint_time: CaptureTime | None = None
    note: str = ""
    verdict: str | None = None
    findings: tuple[ExhibitFinding, ...] = ()
    transcript: tuple[str, ...] = ()
    path: Path | None = None

    @property
    def anchor(self) -> str:
        """The PDF destination name of the exhibit's first page."""
        return f"exhibit-{self.number}"

    @property
    def kind(self) -> ItemKind | None:
        """The item's kind; None for an event exhibit."""
        return self.item.kind if self.item else None

    @property
    def sha256(self) -> str:
        """The original's SHA-256 ("" for an event)."""
        return self.item.sha256 if self.item else ""


@dataclass(frozen=True)
class ExportInput:
    """Everything the writers need, gathered from the case once.

    Attributes:
        exported_at: aware datetime from the injected clock.
        audit_head: hash of the newest audit-log row: binds the export to the case's history.
        checklist: None when no checklist feed exists (the page says so).
        original_names: False when original file names are replaced by exhibit-based ones
            (items then carry that name; the manifest records none).
        privacy: what the export redacted and left out, for its privacy page (None: no page).
    """

    info: CaseInfo
    exhibits: tuple[Exhibit, ...]
    exported_at: datetime
    preparer: str | None = None
    facts: tuple[CoverFact, ...] = ()
    chronology: tuple[ChronologyLine, ...] = ()
    checklist: tuple[ChecklistLine, ...] | None = None
    audit_head: str | None = None
    original_names: bool = True
    privacy: PrivacySummary | None = None


def case_facts(inp: ExportInput) -> list[tuple[str, str, str]]:
    """(zh, en, value) for a cover: order number, dispute type, then the case summary.

    The case summary (from its feed) says the order and the dispute in readable words when it
    has them ("描述不符（颜色）"): each is shown once, in the place of the case's raw value.
    """
    given = {f.zh: f for f in inp.facts}
    facts = []
    for zh, en, raw in (
        ("订单号", "Order no.", inp.info.order_no),
        ("纠纷类型", "Dispute type", inp.info.dispute),
    ):
        fact = given.pop(zh, None)
        facts.append((zh, fact.en if fact else en, fact.value if fact else raw or "—"))
    return facts + [(f.zh, f.en, f.value) for f in given.values()]


@dataclass(frozen=True)
class PackPage:
    """One page image of an upload pack."""

    path: Path
    size: int
    width: int
    height: int
    batch: int
    label: str  # "封面", "目录", "证据3"
    exhibits: tuple[int, ...] = ()  # the exhibit numbers the image shows (several: a collage)


@dataclass(frozen=True)
class PackVideo:
    """A video exhibit in an upload pack: its copy, or why there is none.

    Attributes:
        path: the copy in the pack (MP4, no metadata tags); None when it was left out.
        sha256: of the copy; the manifest keeps the original's.
        reencoded: True when the pictures were encoded again (then `note_*` says why).
        note_zh / note_en: what the exhibit page says about the copy.
    """

    number: int
    label: str
    path: Path | None
    size: int = 0
    sha256: str = ""
    reencoded: bool = False
    note_zh: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class GuideStep:
    """One line of the guide.

    Attributes:
        section: "where", "images", "video", "description", "deadline", "files".
        text: what to do, in Chinese.
        copy: what the window's copy button copies ("" when there is nothing to copy).
        source: the source id and its date ("来源未知" when no source states the step).
    """

    section: str
    text: str
    copy: str = ""
    source: str = ""


@dataclass(frozen=True)
class UploadGuide:
    """The guide's data (the window shows it with copy buttons) and its text file."""

    preset: str
    title: str
    steps: tuple[GuideStep, ...]
    path: Path | None = None

    def text(self) -> str:
        """The guide as 上传指引.txt holds it."""
        heads = {
            "where": "一、在哪里上传",
            "images": "二、图片（按顺序上传）",
            "video": "三、视频",
            "description": "四、说明文字（复制粘贴）",
            "deadline": "五、期限",
            "files": "六、图片包中的其他文件",
        }
        lines = [self.title, ""]
        section = ""
        for step in self.steps:
            if step.section != section:
                section = step.section
                if lines[-1] != "":
                    lines.append("")
                lines.append(heads.get(section, section))
            lines.append(step.text + (f"（{step.source}）" if step.source else ""))
            if step.copy and step.section == "description":
                lines += ["", step.copy, ""]
        return "\n".join(lines).rstrip() + "\n"


@dataclass(frozen=True)
class PackResult:
    """An upload pack written to a folder."""

    folder: Path
    preset: str
    pages: tuple[PackPage, ...]
    batches: int
    description: str
    videos: tuple[PackVideo, ...] = ()
    left_out: tuple[str, ...] = ()  # labels of the exhibits the slot had no room for
    guide: UploadGuide | None = None  # what to upload where (上传指引.txt)


@dataclass(frozen=True)
class ExportResult:
    """What one export wrote.

    Attributes:
        bundle_hash: SHA-256 of manifest.json, printed on every page.
        problems: things the user must know (an original whose bytes no longer match,
            a preview that could not be made, characters the font lacks); empty when none.
        privacy: regions filled, text masked, metadata left out, suggestions not reviewed.
        warnings: what to look at before uploading, though nothing failed: a phone, ID or
            bank card number visible and not covered (named masked), exhibits an upload slot
            had no room for. Shown by the CLI and the window; they do not change the exit code.
    """

    bundle_hash: str
    exhibits: int
    pdf: Path | None = None
    pdf_pages: int = 0
    pack: PackResult | None = None
    zip: Path | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)
    privacy: PrivacySummary | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    review: tuple[str, ...] = field(default_factory=tuple)
    sent: tuple[tuple[str, int], ...] = ()
    """(timeline entry key, exhibit number) of every item exhibit exported, for the round."""
    """The exhibits that look edited or not original, with what to do (the first warnings)."""
