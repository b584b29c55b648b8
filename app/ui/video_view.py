"""Videos in the inspector: a keyframe strip (always), and playback when QtMultimedia is there.

The keyframes are the ones the export prints on the contact sheet (`export.keyframes`: same
positions every time), decoded on a pool thread with the container's rotation applied. A
keyframe clicked in the strip opens on the redaction canvas, so a region drawn there is stored
with that frame's time, as the export matches it. Playback needs PySide6's QtMultimedia
(PySide6-Addons) and a media backend; without them the strip is all there is, and says so.
"""

from __future__ import annotations

import importlib
import logging
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.evidence.i18n import tr

log = logging.getLogger(__name__)

KEYFRAME_COUNT = 9
STRIP_ICON = QSize(96, 72)
PREVIEW_MAX_PX = 1600


@dataclass(frozen=True)
class Keyframe:
    """One decoded keyframe: its time, a preview, and the decoded frame's full size."""

    ms: int
    image: QImage
    full: QSize


def load_keyframes(path: Path, count: int = KEYFRAME_COUNT) -> list[Keyframe]:
    """Decode the export's keyframes of a video (any thread; QImage is thread-safe)."""
    from app.evidence.service.exporting import iter_keyframes

    frames = []
    for _, seconds, frame in iter_keyframes(path, count):
        height, width = frame.shape[:2]
        if frame.ndim == 2:
            image = QImage(
                frame.data, width, height, frame.strides[0], QImage.Format.Format_Grayscale8
            )
        else:
            rgb = frame[:, :, ::-1].copy()  # OpenCV gives BGR
            image = QImage(rgb.data, width, height, rgb.strides[0], QImage.Format.Format_RGB888)
        preview = (
            image.scaled(
                PREVIEW_MAX_PX,
                PREVIEW_MAX_PX,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            if max(width, height) > PREVIEW_MAX_PX
            else image.copy()
        )  # copy: detach from the array
        frames.append(Keyframe(round(seconds * 1000), preview, QSize(width, height)))
    return frames


class KeyframeCache:
    """The keyframes of the last few videos shown, by SHA-256 (decoding takes a second or two)."""

    def __init__(self, limit: int = 8) -> None:
        self._frames: OrderedDict[str, list[Keyframe]] = OrderedDict()
        self._limit = limit

    def get(self, sha256: str) -> list[Keyframe] | None:
        """The cached keyframes, or None."""
        frames = self._frames.get(sha256)
        if frames is not None:
            self._frames.move_to_end(sha256)
        return frames

    def put(self, sha256: str, frames: list[Keyframe]) -> None:
        """Keep these keyframes."""
        self._frames[sha256] = frames
        while len(self._frames) > self._limit:
            self._frames.popitem(last=False)


def multimedia() -> Any | None:
    """PySide6.QtMultimedia and QtMultimediaWidgets when installed, else None."""
    try:
        media = importlib.import_module("PySide6.QtMultimedia")
        widgets = importlib.import_module("PySide6.QtMultimediaWidgets")
    except ImportError:
        return None
    return (media, widgets)


class KeyframeStrip(QWidget):
    """A row of keyframes under the preview; choosing one emits its index."""

    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setIconSize(STRIP_ICON)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setFixedHeight(STRIP_ICON.height() + 44)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.list.currentRowChanged.connect(self._row_changed)
        self.every_frame = QCheckBox(
            tr("遮盖区域用于所有关键帧", "Regions apply to every keyframe")
        )
        self.every_frame.setToolTip(
            tr(
                "运单等在视频中一直不动时勾选",
                "Tick when the waybill stays still through the video",
            )
        )
        self.status = QLabel()
        self.play_button = QPushButton(tr("播放视频", "Play video"))
        self.play_button.setVisible(multimedia() is not None)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.every_frame)
        bar.addWidget(self.play_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(bar)

    def _row_changed(self, row: int) -> None:
        if row >= 0:
            self.chosen.emit(row)

    def show_loading(self) -> None:
        """Frames are being decoded."""
        self.list.clear()
        self.status.setText(tr("正在读取关键帧…", "Reading keyframes…"))

    def show_frames(self, frames: list[Keyframe]) -> None:
        """Fill the strip (no frame chosen yet)."""
        self.list.blockSignals(True)
        self.list.clear()
        for frame in frames:
            seconds = frame.ms / 1000
            item = QListWidgetItem(
                QIcon(
                    QPixmap.fromImage(
                        frame.image.scaled(STRIP_ICON, Qt.AspectRatioMode.KeepAspectRatio)
                    )
                ),
                f"{int(seconds // 60)}:{seconds % 60:04.1f}",
            )
            item.setToolTip(
                tr(
                    "第 {n} 帧，{s:.1f} 秒",
                    "Frame {n}, {s:.1f} s",
                    n=self.list.count() + 1,
                    s=seconds,
                )
            )
            self.list.addItem(item)
        self.list.blockSignals(False)
        if frames:
            self.status.setText(
                tr(
                    "{n} 个关键帧：点一帧放大，可在上面画遮盖区域",
                    "{n} keyframes: click one to enlarge it and draw regions on it",
                    n=len(frames),
                )
            )
        else:
            self.status.setText(tr("无法读取视频画面", "The video's frames cannot be read"))

    def show_error(self, text: str) -> None:
        """Decoding failed."""
        self.list.clear()
        self.status.setText(
            tr("无法读取关键帧：{error}", "Keyframes cannot be read: {error}", error=text)
        )


class VideoPlayer(QWidget):
    """QMediaPlayer in a QVideoWidget, with play/pause and a position slider (QtMultimedia only)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        found = multimedia()
        if found is None:
            raise RuntimeError("QtMultimedia is not installed")
        media, widgets = found
        from PySide6.QtWidgets import QSlider

        self.player = media.QMediaPlayer(self)
        self.audio = media.QAudioOutput(self)
        self.player.setAudioOutput(self.audio)
        self.video = widgets.QVideoWidget()
        self.player.setVideoOutput(self.video)
        self.toggle = QPushButton(tr("暂停", "Pause"))
        self.toggle.clicked.connect(self._toggle)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.sliderMoved.connect(self.player.setPosition)
        self.player.durationChanged.connect(lambda d: self.slider.setRange(0, int(d)))
        self.player.positionChanged.connect(self._position_changed)
        bar = QHBoxLayout()
        bar.addWidget(self.toggle)
        bar.addWidget(self.slider, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.video, 1)
        layout.addLayout(bar)

    def _position_changed(self, position: int) -> None:
        self.slider.blockSignals(True)  # moving the knob must not seek again
        self.slider.setValue(int(position))
        self.slider.blockSignals(False)

    def play(self, path: Path) -> None:
        """Play a file from the start (the original in the case: read-only)."""
        self.player.setSource(QUrl.fromLocalFile(str(path)))
        self.player.play()
        self.toggle.setText(tr("暂停", "Pause"))

    def stop(self) -> None:
        """Stop and let go of the file."""
        self.player.stop()
        self.player.setSource(QUrl())

    def _toggle(self) -> None:
        playing = self.player.playbackState() == self.player.PlaybackState.PlayingState
        if playing:
            self.player.pause()
        else:
            self.player.play()
        self.toggle.setText(tr("播放", "Play") if playing else tr("暂停", "Pause"))
