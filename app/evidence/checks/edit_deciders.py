"""Which alert codes may decide `edited` by themselves, with their measured precision.

Measured with `python -m tests.evidence.checks.measure_deciders` on 95 labelled real camera
and phone files: tests/data/realworld/labels.csv (63 files of ../shared/corpus/realworld, each
decided from the evidence written beside it, where `edited` means what the picture shows
changed and an editor's re-save, a downscale or a metadata rewrite is `recompressed`) and the
32 real photos of ../shared/corpus/labels.csv (which calls GIMP downscales `edited`, and
whose orientation_test files count as not edited). "changed" counts files labelled edited where
the code fired as an alert, "other" the rest; precision = changed / (changed + other).

A measured code decides when its precision is at least MIN_PRECISION over at least
MIN_FIRINGS files. A code that never fired on a labelled real file has precision None and does
not decide, with one exception: codes where the file itself declares generated or
content-changing work (`declared`: an AI generator's name, an AI-content label, the phone
gallery's own record of a content edit) decide before they have been measured, because they
are the file's statement rather than a detector's guess. An editor's name or history is not
such a statement: it fired on re-saves, downscales and metadata rewrites as often as on
changed pictures (editor_trace 15 of 23).

Screenshots: verdict.py keeps "any alert -> edited" for them until labelled real screenshots
exist (a screenshot has no camera origin to protect, and an editor's trace on one is what an
altered chat looks like).

tests/evidence/checks/test_realworld_classes.py fails when a photo check can raise an alert
whose code is missing here (or from VIDEO_ALERTS).
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_PRECISION = 0.98
MIN_FIRINGS = 2
MEASURED = "2026-12-07"
_BASIS = "95 labelled real files (tests/data/realworld/labels.csv 63 + corpus labels.csv photos 32)"
_THUMB_BASIS = (
    "false positives: 0 on the 95 labelled real files and 0 on 46 real JPEGs with a thumbnail "
    "(+ 92 lossless turns of them); true positives: crops and content edits made from those 46 "
    "real files with their EXIF and thumbnail kept (python -m bench.thumbnail_scores)"
)


@dataclass(frozen=True)
class EditDecider:
    """The measured record of one alert code.

    Attributes:
        precision: changed / fired on labelled real files; None when it never fired.
        fired_changed, fired_other: firings on files labelled edited / not edited.
        measured: the date of the measurement.
        basis: which labelled files.
        declared: the file itself states the change (see the module docstring).
    """

    precision: float | None
    fired_changed: int
    fired_other: int
    measured: str = MEASURED
    basis: str = _BASIS
    declared: bool = False

    @property
    def decides(self) -> bool:
        """Whether this code may make a file `edited` by itself."""
        if self.precision is None:
            return self.declared
        firings = self.fired_changed + self.fired_other
        return firings >= MIN_FIRINGS and self.precision >= MIN_PRECISION


EDIT_DECIDERS: dict[str, EditDecider] = {
    # measured on the labelled real files: (realworld 63) + (corpus photos 32)
    "crop_detected": EditDecider(1.0, 2, 0),  # 1/1 + 1/1 (and 2/2 generated crops): decides
    "editor_trace": EditDecider(0.652, 15, 8),  # 7/13 + 8/10
    "xmp_derived_from": EditDecider(0.714, 5, 2),  # 2/2 + 3/5 (orientation_test files)
    "xmp_history": EditDecider(0.75, 3, 1),  # 2/3 + 1/1
    "photoshop_resources": EditDecider(0.5, 2, 2),  # 0/2 + 2/2
    "app_name_in_text": EditDecider(1.0, 1, 0),  # 0 + 1/1: too few firings to decide
    "unreadable": EditDecider(0.0, 0, 1),  # its own verdict, never `edited`
    # the file's own statement of generated or changed content, not yet on a labelled file
    "ai_generator_trace": EditDecider(None, 0, 0, declared=True),
    "aigc_label_generated": EditDecider(None, 0, 0, declared=True),
    "gallery_edit_content": EditDecider(None, 0, 0, declared=True),
    "c2pa_edit_actions": EditDecider(None, 0, 0, declared=True),  # a valid signed manifest's
    "c2pa_ai_generated": EditDecider(None, 0, 0, declared=True),  # own edit / AI statement
    # The thumbnail comparison (rewritten for issue 16) fires on none of the 95 labelled real
    # files, so its false positives are counted there (22 originals, 73 changed files: 0) and
    # its true positives on content edits of real camera originals in the generated held-out
    # set (`measure_deciders --heldout`): 3 of 3 pixel edits of iphone_6.jpg (a painted
    # rectangle at q75 and q95, a copy-move with the camera's tables), 0 on the 36 other
    # generated files (copies, metadata rewrites, conversions, chat copies, screenshots).
    # bench.thumbnail_scores (2026-12-07): painted rectangles 46/46, copy-moves 46/46 and 5
    # crops read as other content; 497 of 506 crops (5-20 %) seen as a crop, 3 passed
    # (uniform surround), 1 read as a turn; 0 firings on the real files or their turns.
    "thumbnail_content_mismatch": EditDecider(1.0, 97, 0, basis=_THUMB_BASIS),
    "thumbnail_shows_more": EditDecider(1.0, 497, 0, basis=_THUMB_BASIS),
    # cross-item findings never change a file's verdict
    "cross_same_pixels": EditDecider(None, 0, 0),
}

VIDEO_ALERTS: frozenset[str] = frozenset(
    {
        "video_creationdate_mismatch",
        "video_empty_start",
        "video_cut",
        "video_software_encoder",
        "video_editor_trace",
        "video_ai_trace",
        "aigc_label_generated",
        "c2pa_edit_actions",
        "c2pa_ai_generated",
    }
)
"""Video alerts still decide `edited` for videos until the video calibration (issue 16 point
6) measures them on real phone videos."""
