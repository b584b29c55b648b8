"""Texts of the route findings: which way a file that is not an original most likely came, and
what to do instead (checks/routes.py says when each is named).

Every value a template names is in the finding's parameters (`app_zh` / `app_en` fill `{app}`),
so the texts can be rendered again from the code and the stored parameters. `ROUTE_ADVICE` is
the "what to do instead" sentence of each code on its own, for places that show only that (the
export warning, `check`).
"""

from __future__ import annotations

from app.evidence.checks.texts import FindingText as T

# "What to do instead", by route: the same words in the explanation and on their own.
_CHAT_DO = (
    "要拿到原图：在{app}里发送时勾选“原图”（别人发来的，请对方这样重发），"
    "或用数据线从拍摄手机的 DCIM/Camera 文件夹复制照片，再重新导入。",
    "Get the original: send it with “Original” (原图) ticked in {app} (ask the sender to, if "
    "it came from someone else), or copy the photo from the phone's DCIM/Camera folder over a "
    "USB cable, and import that instead.",
)
_SCREENSHOT_DO = (
    "请导入照片本身，不要截屏：用数据线从手机的 DCIM/Camera 文件夹复制原照片"
    "（iPhone 先在“设置 > 照片 > 传输到 Mac 或 PC”里选“保留原片”）。",
    "Import the photo itself, not a screenshot of it: copy it from the phone's DCIM/Camera "
    "folder over a USB cable (on an iPhone first set Settings > Photos > Transfer to Mac or PC "
    "to “Keep Originals”).",
)

ROUTE_ADVICE: dict[str, tuple[str, str]] = {
    "route_chat_app": _CHAT_DO,
    "route_chat_app_saved": _CHAT_DO,
    "route_screenshot_of_photo": _SCREENSHOT_DO,
}
"""Route code -> (Chinese, English) "what to do instead"; `{app}` filled from the params."""

_NOT_CONTENT_ZH = "这只说明文件是怎么来的，不说明画面有没有被改过。"
_NOT_CONTENT_EN = "This says how the file came, not whether the picture was changed."

ROUTE_TEXTS: dict[str, T] = {
    "route_chat_app": T(
        "很可能经过{app}发送或保存：不是原图",
        "Most likely sent or saved through {app}: not the original",
        "文件里写着这个软件的名字（{value}）。聊天软件不勾选“原图”发送时会重新压缩图片并去掉拍摄信息，"
        "收到或保存的是一份副本。" + _CHAT_DO[0],
        "The file names this app ({value}). Chat apps recompress a picture sent without "
        "“Original” ticked and drop its camera data; what was received or saved is a copy. "
        + _CHAT_DO[1],
        "软件名只说明文件最后经过这个软件；原图可能还在拍摄者的手机里。" + _NOT_CONTENT_ZH,
        "The name only says the file last went through this app; the original may still be on "
        "the phone that took it. " + _NOT_CONTENT_EN,
    ),
    "route_chat_app_saved": T(
        "很可能是从{app}保存下来的压缩副本",
        "Most likely a compressed copy saved from {app}",
        "文件名“{name}”是{app}保存图片时用的命名方式，而且文件里没有相机写入的拍摄信息：不勾选“原图”"
        "时，{app}发送的是去掉拍摄信息的压缩副本。" + _CHAT_DO[0],
        "The file name “{name}” is how {app} names the pictures it saves, and the file has no "
        "camera data: without “Original” ticked, {app} sends a compressed copy without it. "
        + _CHAT_DO[1],
        "文件名可以被改成任何样子；改过名的文件这里判断不了来路。" + _NOT_CONTENT_ZH,
        "A file can be renamed to anything; for a renamed file the route cannot be told. "
        + _NOT_CONTENT_EN,
    ),
    "route_screenshot_of_photo": T(
        "很可能是照片在手机屏幕上的截图，不是照片本身",
        "Most likely a screenshot of a photo on a phone screen, not the photo itself",
        "图片大小 {size} 正是{screen}的屏幕截图大小，没有相机写入的拍摄信息，画面中间是一张"
        "{photo_size}（{shape}）的照片，两边是纯色边（{top_band} 和 {bottom_band} 像素）："
        "这是在相册里打开照片后截的屏。截图的清晰度只有屏幕那么高，也没有照片的拍摄信息。"
        + _SCREENSHOT_DO[0],
        "The picture is {size}, the screenshot size of {screen}; it has no camera data, and a "
        "{photo_size} photo ({shape}) sits between plain bands ({top_band} and {bottom_band} "
        "pixels): a screenshot taken while the photo was open in the gallery. A screenshot only "
        "has the screen's sharpness and none of the photo's camera data. " + _SCREENSHOT_DO[1],
        "照片本身带有同样的纯色边时也会这样显示。" + _NOT_CONTENT_ZH,
        "A photo that itself has such plain bands looks the same. " + _NOT_CONTENT_EN,
    ),
}
