"""Texts of the photo and screenshot findings."""

from __future__ import annotations

from app.evidence.checks.texts import FindingText as T

_NO_TRACE_ZH = "没有这种痕迹并不证明是原图。"
_NO_TRACE_EN = "No such trace does not prove an original."

PHOTO_TEXTS: dict[str, T] = {
    # ---------------------------------------------------------------- program names in the file
    "editor_trace": T(
        "发现修图软件的痕迹：{tool}",
        "Traces of an image editor: {tool}",
        "文件的{where_text}写着“{value}”，这是{tool}留下的。照片在拍摄后用这个软件打开并另存过，"
        "画面可能被裁剪、调色或修改。",
        'The file\'s {where_text} says "{value}", which {tool} writes. The picture was opened '
        "and saved again in that program after it was taken; it may have been cropped, "
        "retouched or changed.",
        "只旋转、压缩或加水印也会留下同样的痕迹；个别软件只改了元数据。" + _NO_TRACE_ZH,
        "Only rotating, compressing or adding a watermark leaves the same trace, and some "
        "programs change only the metadata. " + _NO_TRACE_EN,
    ),
    "ai_generator_trace": T(
        "发现 AI 图像工具的痕迹：{tool}",
        "Traces of an AI image tool: {tool}",
        "文件的{where_text}写着“{value}”（{tool}）。图片是 AI 生成的，或被 AI 工具改过。",
        'The file\'s {where_text} says "{value}" ({tool}). The picture was generated or changed '
        "by an AI tool.",
        "有的工具只用 AI 放大或降噪，画面内容未必改变。",
        "Some tools only upscale or denoise with AI; the content may be unchanged.",
    ),
    "metadata_tool_trace": T(
        "拍摄信息被工具改写过：{tool}",
        "Metadata rewritten by a tool: {tool}",
        "文件的{where_text}写着“{value}”（{tool}）。这类工具用来修改拍摄时间、地点、设备等信息，"
        "说明这些信息在拍摄后被改过，不能再当作拍摄时的记录。",
        'The file\'s {where_text} says "{value}" ({tool}). Such tools change the capture time, '
        "place or device; this metadata was changed after capture and no longer shows what the "
        "camera recorded.",
        "有人只是用它删除隐私信息（如 GPS 位置），画面不变。",
        "It may only have been used to remove private data (such as the GPS position); the "
        "picture is then unchanged.",
    ),
    "photo_manager_trace": T(
        "被相册管理软件写过：{tool}",
        "Written by a photo manager: {tool}",
        "文件的{where_text}写着“{value}”（{tool}）。相册管理软件在加评分、标签、人名或旋转时"
        "会把信息写回文件并重新保存，所以这不是原文件；画面是否有改动要看其他发现。",
        'The file\'s {where_text} says "{value}" ({tool}). Photo managers write ratings, tags, '
        "face names or rotations back into the file and save it again, so this is not the "
        "original file; whether the picture changed is for the other findings to show.",
        "只加评分或标签时画面完全不变。",
        "Adding a rating or tags leaves the picture exactly as it was.",
    ),
    "metadata_rewritten": T(
        "文件被写入了评分或标签：不是原文件",
        "A rating or tags were written into the file: not the original",
        "文件里有相机不写的字段（{fields}），是相册或看图软件加评分、标签后写回的。"
        "画面未必改变，但文件已不是相机生成的原样。",
        "The file holds fields cameras do not write ({fields}): a photo manager or viewer "
        "wrote a rating or tags back into it. The picture need not have changed, but the file "
        "is no longer as the camera wrote it.",
        "少数相机可以在机内给照片评分。",
        "A few cameras can rate photos in the camera.",
    ),
    "chat_app_trace": T(
        "经过聊天或社交软件保存：{tool}",
        "Saved by a chat or social app: {tool}",
        "文件的{where_text}写着“{value}”（{tool}）。聊天软件发送或保存图片时会重新压缩，这是一"
        "份副本，"
        "不是手机拍出的原文件。请提交手机相册里的原图。",
        'The file\'s {where_text} says "{value}" ({tool}). Chat apps recompress pictures they '
        "send or save: this is a copy, not the phone's original file. Submit the original from "
        "the phone's gallery.",
        "重新压缩通常不改变画面内容。",
        "Recompression usually leaves the content unchanged.",
    ),
    "converter_trace": T(
        "被转换或浏览软件重新保存过：{tool}",
        "Re-saved by a converter or viewer: {tool}",
        "文件的{where_text}写着“{value}”（{tool}）。这个程序转换或重新压缩过图片，"
        "这不是相机直接生成的文件。",
        'The file\'s {where_text} says "{value}" ({tool}). That program converted or '
        "recompressed the picture; this is not the file the camera made.",
        "转换格式（如 HEIC 转 JPG）或压缩体积通常不改变画面内容。",
        "Converting the format (HEIC to JPG) or shrinking the file usually leaves the content "
        "unchanged.",
    ),
    "vendor_software_trace": T(
        "被相机厂商的电脑软件重新写过：{tool}",
        "Written again by the camera maker's software: {tool}",
        "文件的{where_text}写着“{value}”（{tool}）。厂商的传输或浏览软件可能缩小图片、添加信息"
        "后另存，"
        "文件已不是相机里的原样。",
        "The file's {where_text} says \"{value}\" ({tool}). The maker's transfer or viewer "
        "software may shrink pictures or add information when it saves them; the file is no "
        "longer as the camera wrote it.",
        "有的传输软件只复制文件并添加信息，画面没变。",
        "Some transfer programs only copy the file and add information; the picture is then "
        "unchanged.",
    ),
    "screenshot_tool_trace": T(
        "由截图工具生成：{tool}",
        "Made by a screenshot tool: {tool}",
        "文件的{where_text}写着“{value}”（{tool}）。部分截图工具（如 Snipaste、Snagit）可以在图上"
        "标注或涂改，请确认截图没有经过标注。",
        'The file\'s {where_text} says "{value}" ({tool}). Some screenshot tools (Snipaste, '
        "Snagit) can draw on the picture; make sure this one was not annotated.",
        "大多数截图只是如实记录屏幕内容。",
        "Most screenshots simply record the screen.",
    ),
    "unknown_program": T(
        "文件里写着程序名称“{value}”",
        'A program name is recorded: "{value}"',
        "文件的{where_text}写着“{value}”。它不在已知的修图软件或手机系统名单中，无法据此下结论。",
        'The file\'s {where_text} says "{value}". It is neither a known editor nor a known '
        "phone system, so nothing is concluded from it.",
        "很多相机和手机会写入自己的固件名称。",
        "Many cameras and phones write their own firmware name.",
    ),
    "os_software": T(
        "软件字段是手机系统或固件版本",
        "The Software field is a system or firmware version",
        "文件的{where_text}写着“{value}”，这是{what}，不是修图软件。",
        'The file\'s {where_text} says "{value}": {what}, not an editor.',
        "修图软件也可能保留这个字段不变，所以它不能单独证明是原图。",
        "An editor may leave this field unchanged, so it does not prove an original on its own.",
    ),
    "photoshop_resources": T(
        "含有 Photoshop 保存时写入的信息块",
        "Photoshop image resources present",
        "文件里有 Photoshop 保存时写入的图像资源（编号 {resources}），保存质量：{quality}。"
        "说明文件是用 Photoshop 或兼容软件保存的。",
        "The file carries image resources Photoshop writes when it saves (ids {resources}), "
        "save quality: {quality}. It was saved by Photoshop or a compatible program.",
        "部分图库和排版软件也写入同样的信息块。",
        "Some picture-library and layout programs write the same resources.",
    ),
    "iptc_block": T(
        "含有 IPTC 说明信息",
        "IPTC caption block present",
        "文件带有 IPTC 信息块（标题、关键词、版权等），通常是照片管理软件添加的，手机一般不写。",
        "The file carries an IPTC block (caption, keywords, copyright), usually added by "
        "photo-management software; phones normally do not write one.",
        "部分单反相机可以预设 IPTC 信息。",
        "Some cameras can be set to write IPTC information.",
    ),
    # ----------------------------------------------------------------------------- XMP history
    "xmp_history": T(
        "编辑历史记录了 {count} 次操作",
        "The edit history records {count} actions",
        "文件的编辑历史（xmpMM:History）记录了：{events}。这是 Adobe 等软件保存时自动写入的，"
        "说明文件在这些软件中被打开并保存过。",
        "The file's edit history (xmpMM:History) records: {events}. Adobe and similar programs "
        "write it when they save, so the file was opened and saved in them.",
        "只是转换格式或添加信息也会留下“saved”记录。",
        'Only converting the format or adding information also leaves a "saved" entry.',
    ),
    "xmp_derived_from": T(
        "文件由另一个文档另存而来",
        "Derived from another document",
        "XMP 信息（xmpMM:DerivedFrom）记录了这个文件是从另一个文档（{document}）另存或导出的。"
        "相机直接生成的文件没有这条记录。",
        "The XMP (xmpMM:DerivedFrom) records that this file was saved or exported from another "
        "document ({document}). Files straight from a camera have no such record.",
        "从原图另存为 JPEG 而不做修改也会产生这条记录。",
        "Saving an original as JPEG without changes also creates this record.",
    ),
    "xmp_document_ids_differ": T(
        "文档编号与原始文档编号不同",
        "Document ID differs from the original document ID",
        "XMP 中的文档编号（{document_id}）与原始文档编号（{original_id}）不同，"
        "说明编辑软件把它保存成了一个新文档。",
        "The XMP document ID ({document_id}) differs from the original document ID "
        "({original_id}): an editing program saved it as a new document.",
        "“另存为”而未修改内容时也会出现。",
        '"Save as" without changes also does this.',
    ),
    # ------------------------------------------------------------------------- camera origin
    "camera_metadata": T(
        "有相机拍摄信息，未发现修改痕迹",
        "Camera metadata present, no sign of changes",
        "文件记录了拍摄设备（{device}）和拍摄时间（{time}），各项检查都没有发现修改痕迹。"
        "这与手机或相机直接拍出的原文件一致。",
        "The file records the camera ({device}) and the capture time ({time}), and no check "
        "found a sign of changes. This is consistent with a file straight from the phone or "
        "camera.",
        "拍摄信息可以被复制到另一张图片上；这一项只说明没有发现问题，不能单独证明画面未被修改。",
        "Camera metadata can be copied onto another picture; this only says that nothing was "
        "found, not that the picture is proven unchanged.",
    ),
    "camera_metadata_seen": T(
        "有相机拍摄信息（但见其他发现）",
        "Camera metadata present (but see the other findings)",
        "文件记录了拍摄设备（{device}）和拍摄时间（{time}）。拍摄信息会被修图软件原样保留，"
        "其他发现说明这个文件在拍摄后被处理过。",
        "The file records the camera ({device}) and the capture time ({time}). Editors keep "
        "this information as it was; the other findings show the file was processed after "
        "capture.",
        "",
        "",
    ),
    "camera_exif_in_other_format": T(
        "相机拍摄信息出现在相机不会写的格式里：转换过",
        "Camera metadata in a format cameras do not write: converted",
        "文件是 {format} 格式，却带着相机（{device}）的拍摄信息。相机和手机拍照只写 JPEG、HEIC/"
        "HEIF 或 RAW/TIFF，不写 {format}；这是转换后的副本，拍摄信息是从原文件搬过来的。",
        "The file is {format} but carries a camera's metadata ({device}). Cameras and phones "
        "write JPEG, HEIC/HEIF or RAW/TIFF, never {format}: this is a converted copy with the "
        "original's metadata carried over.",
        "转换格式通常不改变画面内容，但这不是原文件。",
        "A conversion usually keeps the content, but this is not the original file.",
    ),
    "camera_metadata_incomplete": T(
        "拍摄信息不完整：没有拍摄时间",
        "Camera metadata incomplete: no capture time",
        "文件写了设备（{device}），但没有拍摄时间。相机拍照时总会记录时间，缺少它说明信息被部分"
        "删除，"
        "或文件被软件重新生成过。",
        "The file names a device ({device}) but has no capture time. Cameras always record it; "
        "its absence means the metadata was partly removed or the file was rebuilt by software.",
        "个别老相机在时钟未设置时不写时间。",
        "A few old cameras write no time when their clock was never set.",
    ),
    "no_camera_metadata": T(
        "没有相机拍摄信息：这是一份副本",
        "No camera metadata: this is a copy",
        "文件里没有相机或手机的拍摄信息（设备型号、拍摄时间）。这通常是图片经过微信等聊天软件、"
        "电商平台或网页压缩后的副本：内容可能没变，但不是原文件。请提交手机相册里的原图。",
        "The file has no camera or phone metadata (device, capture time). This is usually a "
        "copy recompressed by a chat app, a shopping platform or a web page: the content may be "
        "unchanged, but it is not the original file. Submit the original from the phone's "
        "gallery.",
        "少数相机应用或隐私设置会去掉这些信息。这并不说明画面被改过。",
        "A few camera apps or privacy settings remove this information. It does not mean the "
        "picture was changed.",
    ),
    "no_camera_metadata_screenshot": T(
        "截图不含拍摄信息（正常）",
        "No camera metadata (expected for a screenshot)",
        "截图本来就没有相机拍摄信息，这一点不影响判断。截图是否可信主要看内容前后是否一致，"
        "以及有没有编辑软件的痕迹。",
        "Screenshots never carry camera metadata, so this counts neither way. Whether a "
        "screenshot can be trusted depends on its content being consistent and on traces of "
        "editors.",
        "",
        "",
    ),
    "reader_warnings": T(
        "部分信息无法读取",
        "Part of the metadata could not be read",
        "读取文件时发现：{warnings}",
        "While reading the file: {warnings}",
        "相机固件的小错误也会造成这种情况。",
        "Small firmware bugs in cameras cause this too.",
    ),
}
