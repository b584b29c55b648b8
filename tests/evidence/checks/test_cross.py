"""Checks across the files of a case."""

from __future__ import annotations

from datetime import UTC, datetime

from app.evidence.checks import StoryStep, Verdict, cross_check


def _by_name(heldout):
    return {case.name: result for case, result in heldout}


def test_identical_pixels_with_different_metadata(heldout) -> None:
    files = _by_name(heldout)
    pair = [files["IMG_iphone6_copy.jpg"], files["iphone6_software_ps.jpg"]]
    found = [c for c in cross_check(pair) if c.finding.code == "cross_same_pixels"]
    assert len(found) == 1
    assert "software" in found[0].finding.params["fields"]
    assert set(found[0].items) == {r.sha256 for r in pair}
    # Same picture data and same metadata (one file twice) is not a finding.
    assert not [c for c in cross_check([pair[0], pair[0]]) if c.finding.code == "cross_same_pixels"]


def test_same_device_with_different_traits(heldout) -> None:
    files = _by_name(heldout)
    group = [
        files["IMG_iphone6_copy.jpg"],
        files["iphone6_pixel_edit.jpg"],
        files["iphone6_xmp_history.jpg"],
    ]
    found = [c.finding for c in cross_check(group) if c.finding.code == "cross_device_inconsistent"]
    traits = {f.params["trait"] for f in found}
    assert {"quant_family", "skeleton"} <= traits
    assert all(f.params["device"] == "Apple iPhone 6" for f in found)


def test_originals_of_one_device_agree(heldout) -> None:
    files = _by_name(heldout)
    group = [files["IMG_iphone6_copy.jpg"], files["iphone6_software_ps.jpg"]]
    codes = {c.finding.code for c in cross_check(group)}
    assert "cross_device_inconsistent" in codes  # Software: an OS version vs an editor
    same = [files["IMG_nokia_copy.jpg"], files["nokia_dto_shifted.jpg"]]
    assert not [c for c in cross_check(same) if c.finding.code == "cross_device_inconsistent"]


def test_story_order(corpus_checks) -> None:
    video = corpus_checks["synthetic/videos/unboxing_iphone_zto.mov"]
    photo = corpus_checks["photos/originals/canon-ixus.jpg"]
    assert video.verdict == Verdict.CAMERA_ORIGINAL
    signed = datetime(2025, 6, 12, 12, 0, tzinfo=UTC)  # signed for at 20:00 Beijing time
    story = [
        StoryStep("快递签收", "signed for", at=signed),
        StoryStep("开箱视频", "unboxing video", items=(video.sha256,)),
    ]
    found = [
        c for c in cross_check([video, photo], story=story) if c.finding.code == "cross_story_order"
    ]
    assert len(found) == 1
    f = found[0].finding
    assert "开箱视频" in f.explanation_zh and "快递签收" in f.explanation_zh
    assert found[0].items == (video.sha256,)
    in_order = [
        StoryStep("快递签收", "signed for", at=datetime(2025, 6, 12, 10, 0, tzinfo=UTC)),
        StoryStep("开箱视频", "unboxing video", items=(video.sha256,)),
    ]
    assert not cross_check([video], story=in_order)
