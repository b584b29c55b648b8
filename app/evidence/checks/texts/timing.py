"""Texts of the photo time-consistency and file-structure findings."""

from __future__ import annotations

from app.evidence.checks.texts import FindingText as T

TIMING_TEXTS: dict[str, T] = {
    "dates_disagree": T(
        "拍摄时间与数字化时间不一致",
        "Capture time and digitised time disagree",
        "原始拍摄时间（DateTimeOriginal）是 {original}，数字化时间（CreateDate）是 {digitized}，"
        "相差 {gap}。相机拍照时两者写入同一时刻，不一致说明其中一个被改过。",
        "The capture time (DateTimeOriginal) is {original} and the digitised time (CreateDate) "
        "{digitized}, {gap} apart. A camera writes the same moment into both, so one of them "
        "was changed.",
        "扫描的老照片会这样（拍摄和扫描不是同一时间）。",
        "Scanned prints do this (taken and scanned at different times).",
    ),
    "modified_after_capture": T(
        "拍摄 {gap} 后被程序保存过",
        "Saved by a program {gap} after capture",
        "修改时间（ModifyDate）是 {modified}，比拍摄时间 {original} 晚了 {gap}。手机拍照时这两"
        "个时间"
        "相同，说明文件在拍摄后被程序另存或改写过（画面本身不一定有变化）。",
        "The modification time (ModifyDate) {modified} is {gap} after the capture time "
        "{original}. Phones write the same moment into both, so a program saved or rewrote "
        "the file after capture.",
        "在手机相册里旋转照片也会更新修改时间。",
        "Rotating a photo in the phone's gallery also updates the modification time.",
    ),
    "modified_before_capture": T(
        "修改时间早于拍摄时间",
        "Modified before it was taken",
        "修改时间 {modified} 比拍摄时间 {original} 早 {gap}，时间顺序不可能，说明拍摄时间被改过。",
        "The modification time {modified} is {gap} before the capture time {original}. That "
        "order is impossible, so the capture time was changed.",
        "极少数相机在时钟出错时会这样。",
        "Very rarely a camera with a faulty clock does this.",
    ),
    "gps_time_mismatch": T(
        "GPS 时间与拍摄时间对不上（仅供参考）",
        "GPS time does not fit the capture time (for reference only)",
        "GPS 时间（UTC）是 {gps}，拍摄时间是 {original}（{zone}），相差 {gap}，无法用时区解释。"
        "GPS 时间是接收机最后一次定位的时间，不一定是拍摄的时间（室内、信号弱时常沿用几小时甚至"
        "几天前的定位），所以单凭这一点不能说明拍摄时间被改过。",
        "The GPS time (UTC) is {gps} and the capture time {original} ({zone}), {gap} apart, "
        "which no time zone explains. The GPS time is the time of the receiver's last fix, not "
        "necessarily of the shot (indoors or with a weak signal phones reuse a fix hours or days "
        "old), so this alone does not show that the capture time was changed.",
        "手机在室内沿用很久以前的定位时，GPS 时间可能偏早几分钟到几天。",
        "A phone reusing an old position indoors can carry a GPS time minutes to days early.",
    ),
    "gps_date_off_by_day": T(
        "GPS 日期与拍摄日期相差一天（仅供参考）",
        "GPS date one day off the capture date (for reference only)",
        "GPS 时间 {gps} 与拍摄时间 {original} 相差 {gap}，相当于一天再加一个时区差。相机写错 GPS "
        "日期、沿用前一天的定位都会这样，单凭这一点不能说明拍摄时间被改过。",
        "The GPS time {gps} and the capture time {original} are {gap} apart: one day plus a "
        "time-zone offset. A camera writing a wrong GPS date or reusing the previous day's fix "
        "does this, so this alone does not show that the capture time was changed.",
        "部分早期带 GPS 的相机已知会把 GPS 日期写错一天。",
        "Some early GPS cameras are known to write the GPS date a day off.",
    ),
    "date_not_a_moment": T(
        "日期字段不是真实的拍摄时间",
        "A date field is not a real moment",
        "{tags} 写的是 {values}：{reason}。这不是拍摄时间，按“没有日期”处理。",
        "{tags} hold {values}: {reason}. This is not a capture time and is treated as no date.",
        "相机时钟确实停在这一刻的可能极小。",
        "A camera clock really standing at that moment is very unlikely.",
    ),
    "gps_time_consistent": T(
        "GPS 时间与拍摄时间吻合",
        "GPS time agrees with the capture time",
        "GPS 时间 {gps} 与拍摄时间 {original} 相差 {gap}，符合 {zone} 时区。",
        "The GPS time {gps} and the capture time {original} are {gap} apart, which fits the "
        "{zone} time zone.",
        "",
        "",
    ),
    "zone_far_from_place": T(
        "拍摄时间的时区与拍摄地点不符",
        "The capture time's zone does not fit the place",
        "拍摄时间与 GPS 时间相比，相当于 {implied_zone} 时区，"
        "但 GPS 位置（经度 {longitude}）的当地时间与之相差约 {hours_apart} 小时，"
        "任何地方的时区都不会差这么多。常见原因是拍摄时间被整体平移过。",
        "Against the GPS time the capture time implies {implied_zone}, but local time at the "
        "GPS position (longitude {longitude}) is about {hours_apart} h away, more than any "
        "real time zone. The usual cause is a capture time shifted as a whole.",
        "手机时钟被手动设成别的时区时也会这样。",
        "A phone whose clock was set by hand to another zone does this too.",
    ),
    "xmp_date_disagrees": T(
        "XMP 里的拍摄时间与 EXIF 不同",
        "The XMP capture time differs from EXIF",
        "EXIF 拍摄时间是 {exif}，同一文件 XMP 里保存的拍摄时间是 {xmp}，相差 {gap}。两处本应相同，"
        "说明其中一处被改过。",
        "The EXIF capture time is {exif}, the XMP copy in the same file {xmp}, {gap} apart. "
        "They should be equal, so one of them was changed.",
        "个别软件写 XMP 时会换算时区（已只比较钟面时间）。",
        "Some programs convert time zones when writing XMP (only wall-clock times are compared).",
    ),
    # ------------------------------------------------------------------------------ structure
    "exif_blocks_multiple": T(
        "有 {count} 个 EXIF 信息块",
        "{count} EXIF blocks",
        "文件里有 {count} 个 EXIF 信息块。相机只写一个，多出来的通常是软件追加的；不同软件可能读到"
        "不同的拍摄信息。",
        "The file has {count} EXIF blocks. Cameras write one; the others are usually added by "
        "software, and different programs may then show different camera data.",
        "个别软件处理多帧图片时会这样。",
        "A few programs do this for multi-frame pictures.",
    ),
    "data_after_image": T(
        "图片结束后还有 {bytes} 字节数据",
        "{bytes} bytes after the end of the picture",
        "图片数据结束后还有 {bytes} 字节（{trailer}）。{meaning}",
        "There are {bytes} bytes after the picture ends ({trailer}). {meaning}",
        "手机的动态照片、多图格式和三星相机会在图片后面附加数据。",
        "Motion photos, multi-picture files and Samsung cameras append data after the picture.",
    ),
    "shape_not_from_camera": T(
        "画面比例不是相机的常见比例",
        "A frame shape cameras do not write",
        "画面是 {actual}（长宽比 {ratio}），与相机和手机使用的比例（1:1、4:3、3:2、16:9 等，"
        "最接近的是 {nearest}）相差超过 {tolerance}。画面可能被裁剪过，而记录的尺寸也随之改写了。",
        "The picture is {actual} (shape {ratio}), more than {tolerance} away from the shapes "
        "cameras and phones write (1:1, 4:3, 3:2, 16:9 and the like; nearest {nearest}). It may "
        "have been cropped, with the recorded size rewritten too.",
        "自定义比例的相机模式和 RAW 冲印导出也会得到这样的比例；这一项说明不是相机的原始画幅，"
        "但不足以断定画面被改动。",
        "Custom-shape camera modes and raw developments give such shapes too; this says the "
        "frame is not the camera's own, not that the picture was changed.",
    ),
    "camera_exif_reencoded": T(
        "相机拍摄信息被搬进了重新编码的文件",
        "Camera metadata carried into a re-encoded file",
        "拍摄信息来自相机（{device}），但文件是通用程序重新编码的写法：JFIF 块在 EXIF 之前，没有"
        "相机写入的 EXIF 缩略图，也没有相机的厂商信息（MakerNote）。桌面软件“保留原信息”另存、"
        "缩小或转换格式时就是这样；不是相机生成的原文件。",
        "The metadata comes from a camera ({device}), but the file is laid out the way a "
        "general-purpose program re-encodes: JFIF before the EXIF block, no EXIF thumbnail and "
        "no maker note. This is what a desktop program that keeps the metadata while saving, "
        "shrinking or converting writes; it is not the camera's own file.",
        "个别手机本身不写缩略图和厂商信息，但它们不会把 JFIF 块放在 EXIF 之前。",
        "A few phones write neither a thumbnail nor a maker note, but they do not put a JFIF "
        "block before the EXIF block.",
    ),
    "library_resave": T(
        "由通用图像程序重新保存过",
        "Saved again by a general-purpose image program",
        "文件结构是通用 libjpeg 程序的写法（JFIF 块在 EXIF 之前、四个标准哈夫曼表分开存放、"
        "标准压缩表质量 {quality}），而拍摄信息（{device}）是从相机复制来的。通常是用电脑软件或脚本"
        "处理后“保留原信息”另存的结果。",
        "The file is laid out the way general-purpose libjpeg programs write (JFIF before EXIF, "
        "four separate standard Huffman tables, standard tables at quality {quality}), while "
        "the camera metadata ({device}) was carried over. This is what saving with a desktop "
        "program or script that keeps the metadata looks like.",
        "少数直接使用 libjpeg 的相机或手机也是这样的结构。",
        "A few cameras or phones that use libjpeg directly write the same layout.",
    ),
    "structure_differs_from_model": T(
        "文件结构与 {model} 的原图不同",
        "File structure differs from {model} originals",
        "{model} 的原图是：{expected}；这个文件是：{actual}。说明文件被别的程序重新写过。",
        '{model} originals are laid out as "{expected}"; this file is "{actual}". Another '
        "program wrote it again.",
        "对照样本少，系统升级后结构可能变化。",
        "The reference has few samples; a system update can change the layout.",
    ),
    "exif_layout_differs": T(
        "EXIF 信息块的排列与 {model} 的原图不同",
        "EXIF layout differs from {model} originals",
        "{model} 原图的 EXIF 排列是 {expected}，这个文件是 {actual}。通常是元数据工具（如 exift"
        "ool、"
        "piexif）重写了信息块。",
        "{model} originals lay out their EXIF as {expected}; this file as {actual}. A metadata "
        "tool (exiftool, piexif) usually rewrote the block.",
        "对照样本少，系统升级后排列可能变化。",
        "The reference has few samples; a system update can change the layout.",
    ),
    "c2pa_present": T(
        "含有内容凭证（C2PA）",
        "Content Credentials (C2PA) present",
        "文件带有 C2PA 内容凭证。{status}",
        "The file carries C2PA Content Credentials. {status}",
        "没有内容凭证并不说明文件有问题；平台上传时通常会删掉它。",
        "No credentials proves nothing; platforms usually strip them on upload.",
    ),
    "png_chunks": T(
        "PNG 结构：{chunks}",
        "PNG chunks: {chunks}",
        "PNG 文件由这些信息块组成：{chunks}。{hint}",
        "The PNG consists of these chunks: {chunks}. {hint}",
        "信息块只说明保存方式，不说明画面内容是否真实。",
        "Chunks show how the file was saved, not whether its content is true.",
    ),
}
