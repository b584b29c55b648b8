"""Texts of the picture-level findings: size, thumbnail, compression, times, file structure."""

from __future__ import annotations

from app.evidence.checks.texts import FindingText as T

PIXEL_TEXTS: dict[str, T] = {
    # ------------------------------------------------------------------------------ pixel size
    "crop_detected": T(
        "画面尺寸与记录不符：被裁剪过",
        "Picture size does not match the record: cropped",
        "{source}记录的尺寸是 {recorded}，实际画面是 {actual}，长宽比例也不同。画面在记录这个尺"
        "寸之后"
        "被裁剪过。",
        "The {source} records {recorded}, but the picture is {actual}, with a different shape. "
        "The picture was cropped after that size was recorded.",
        "少数手机的全景或特殊拍摄模式会写入不准确的尺寸。",
        "A few phones write an inaccurate size in panorama or special modes.",
    ),
    "resize_detected": T(
        "画面被缩放过",
        "The picture was resized",
        "{source}记录的尺寸是 {recorded}，实际画面是 {actual}（比例相同）。图片在记录这个尺寸之后"
        "被缩放（或按原比例裁剪）并重新保存过。",
        "The {source} records {recorded}, but the picture is {actual} (same shape). It was "
        "scaled (or cropped to the same shape) and saved again after that size was recorded.",
        "缩小通常不改变内容，但说明文件已被软件重新保存。",
        "Shrinking usually keeps the content, but the file was saved again by software.",
    ),
    "rotated_resave": T(
        "画面被转过方向后重新保存过",
        "The picture was turned and saved again",
        "EXIF 记录的尺寸是 {recorded}，而画面按 {actual} 存放，且没有记录旋转方向。"
        "手机拍照时按传感器方向存放画面、另记旋转方向；画面被实际转过来存放，"
        "说明文件由软件（或手机的修图功能）重新编码过。",
        "EXIF records {recorded}, but the picture is stored as {actual} with no rotation "
        "recorded. Phones store the sensor's grid and record a rotation; a picture stored "
        "turned was encoded again by software (or the phone's photo editor).",
        "个别安卓相机应用会直接按转好的方向存 JPEG。",
        "A few Android camera apps store JPEGs already turned.",
    ),
    # ------------------------------------------------------------------------------ thumbnail
    "thumbnail_shows_more": T(
        "内嵌{source}比画面拍到的范围更大：画面被裁剪过",
        "The embedded {source} shows more of the scene than the picture: cropped",
        "把文件里拍摄时生成的{source}对齐到现在的画面上后，{source}在{sides}多出约 {percent}% "
        "的景物，而画面里没有这部分。相机生成的缩略图只会与画面一样大或略小，"
        "所以画面在拍摄后被裁掉了一部分，而{source}没有更新。",
        "With the {source} made at capture aligned on the picture, it shows about {percent}% "
        "more of the scene at the {sides} than the picture does. A camera's thumbnail shows "
        "the same view as the picture or slightly less, so the picture was cropped after "
        "capture and the {source} was not updated.",
        "只有在多出的部分是均匀的黑边、白边时才不算裁剪（已按画面位置识别，不按亮度）；"
        "裁掉的若全是单一颜色，则看不出来。",
        "Only uniform bars or borders beyond the picture are not counted (found by their "
        "position against the picture, not by brightness); a crop that removed only a plain "
        "colour cannot be seen.",
    ),
    "thumbnail_content_mismatch": T(
        "内嵌{source}与画面内容不同：画面被改过",
        "The embedded {source} shows different content: the picture was changed",
        "文件里拍摄时生成的{source}与现在的画面对齐后仍不一样：{region}区域差异最大（差异 "
        "{block_diff}，阈值 {threshold}；整体相关 {correlation}）。这通常说明画面在拍摄后被修改过，"
        "而{source}没有更新。",
        "Aligned on the picture, the {source} made at capture still differs from it: the "
        "{region} area differs most (difference {block_diff}, threshold {threshold}; overall "
        "correlation {correlation}). The picture was usually changed after capture without "
        "the {source} being updated.",
        "已尝试相机常见的取景差异（居中 86-96%、4:3 与 3:2、黑边、压扁）、旋转和翻转，"
        "并在模糊后按粗网格、归一化亮度和颜色比较；极少数相机的缩略图与画面处理差别很大。",
        "Cameras' usual view differences (centred 86-96 %, 4:3 against 3:2, bars, squashing), "
        "turns and mirroring were tried, and the comparison is on a coarse grid after a blur "
        "with brightness and colour normalised; a very few cameras process their thumbnails "
        "very differently from the picture.",
    ),
    "thumbnail_preview_mismatch": T(
        "相机{source}与画面不一致（仅供参考）",
        "The camera's {source} does not match the picture (for reference only)",
        "文件没有 EXIF 缩略图，改用相机写入的{source}比较：对齐后{region}区域差异最大（差异 "
        "{block_diff}，阈值 {threshold}；超出画面 {shows_more}）。{source}与画面不一致可能说明画面"
        "被裁剪或修改过；这种比较还没有在足够多的真实文件上测过准确率，所以只作提醒，不单独判定"
        "为编辑。",
        "The file has no EXIF thumbnail, so the camera's {source} was compared instead: aligned "
        "on the picture, the {region} area differs most (difference {block_diff}, threshold "
        "{threshold}; reaching beyond the picture {shows_more}). A mismatch can mean a crop or "
        "a change; this comparison has not been measured on enough real files, so it is a "
        "warning and does not on its own call the file edited.",
        "有些相机的预览图取景、色调与画面不同。",
        "Some cameras' previews differ from the picture in view or tone.",
    ),
    "thumbnail_partial_view": T(
        "内嵌{source}只对应画面的一部分（仅供参考）",
        "The embedded {source} shows only part of the picture (for reference only)",
        "拍摄时生成的{source}与画面内容一致，但只对应画面中偏离中心或较小的一块（约为画面的 "
        "{percent}%，位置 {region}）。相机的缩略图通常是整幅画面或居中的 86-96%；"
        "画面比缩略图多出的部分可能是后来加上的（如扩图），也可能是相机的特殊模式。"
        "这种情况还没有在真实文件上测过，所以只作提醒，不判定为编辑。",
        "The {source} made at capture shows the picture's content, but only an off-centre or "
        "smaller part of it (about {percent}% of the picture, at {region}). Camera thumbnails "
        "show the whole frame or its centred 86-96 %; what the picture shows beyond the "
        "thumbnail may have been added later (an outpainting) or come from a special camera "
        "mode. Not yet seen on labelled real files, so it is a warning and does not call the "
        "file edited.",
        "数码变焦、全景等模式的缩略图可能只取画面一部分。",
        "Digital zoom or panorama modes may make a thumbnail of part of the picture.",
    ),
    "thumbnail_turned": T(
        "画面被看图软件转过方向（内容未变）",
        "The picture was turned by a viewer (content unchanged)",
        "拍摄时生成的{source}要{turn}才与现在的画面一致（相关 {correlation}，原方向 "
        "{upright_correlation}）。看图软件无损旋转时只转画面、不转缩略图；"
        "这不是相机原始文件，但画面内容没有被改动的迹象。",
        "The {source} made at capture matches the picture only when {turn} (correlation "
        "{correlation}, as stored {upright_correlation}). Viewers that turn a picture "
        "losslessly turn the picture but not its thumbnail: this is not the camera's own "
        "file, but the content shows no sign of change.",
        "近乎对称的画面在转过方向后也可能相似。",
        "A nearly symmetric scene can look alike when turned.",
    ),
    "thumbnail_matches": T(
        "内嵌{source}与画面一致",
        "The embedded {source} matches the picture",
        "拍摄时生成的{source}与现在的画面内容一致（覆盖画面的 {percent}%，相关 {correlation}，"
        "最大区域差异 {block_diff}，阈值 {threshold}）。",
        "The {source} made at capture matches the picture's content (covering {percent}% of "
        "it, correlation {correlation}, largest area difference {block_diff}, threshold "
        "{threshold}).",
        "很多修图软件会重新生成缩略图，所以一致并不证明没有修改。",
        "Many editors regenerate the thumbnail, so a match does not prove there were no changes.",
    ),
    # ---------------------------------------------------------------------------- compression
    "quant_standard": T(
        "使用通用 libjpeg 标准压缩表（质量 {quality}）",
        "Standard libjpeg compression tables (quality {quality})",
        "压缩表（量化表）与开源 libjpeg 的标准表完全一致，质量 {quality}。许多手机和几乎所有电"
        "脑软件"
        "都用这种表，单独这一项说明不了什么。",
        "The compression (quantization) tables are exactly the standard libjpeg ones at quality "
        "{quality}. Many phones and nearly all desktop software use them; on its own this says "
        "nothing.",
        "",
        "",
    ),
    "quant_estimate": T(
        "压缩质量约为 {quality}",
        "Estimated JPEG quality about {quality}",
        "压缩表不是 libjpeg 标准表，与标准表最接近的质量约为 {quality}。相机和部分软件使用自己"
        "的表。",
        "The compression tables are not the standard libjpeg ones; the nearest standard quality "
        "is about {quality}. Cameras and some programs use their own tables.",
        "",
        "",
    ),
    "quant_software_for_maker": T(
        "压缩表是通用标准表，与 {make} 自家相机的不同",
        "Standard tables, unlike {make}'s own cameras",
        "文件说自己来自 {make} 的设备，但压缩表是 libjpeg 标准表（质量 {quality}），而 {make} "
        "自己生产的相机使用自家的压缩表。可能是软件最后保存了文件并保留了拍摄信息，也可能是其他"
        "厂商代工的机型（代工相机使用代工厂的标准表）。只有同时出现软件保存的其他痕迹（如 JFIF "
        "块在 EXIF 之前）时才算作重新保存。",
        "The file says it comes from a {make} device, but its tables are the standard libjpeg "
        "ones (quality {quality}), while cameras {make} builds itself use their own tables. "
        "Either software saved this file last and kept the camera metadata, or the model was "
        "built by another maker (OEM cameras use their builder's standard tables). It counts as "
        "a re-save only together with another trace of software (such as JFIF before EXIF).",
        "代工机型和用第三方应用把 HEIC 转成 JPG 都会这样，画面可能没变。",
        "OEM-built models and third-party HEIC to JPG conversions look the same; the picture may "
        "be unchanged.",
    ),
    "quant_model_mismatch": T(
        "压缩表与 {model} 的原图不同",
        "Compression tables differ from {model} originals",
        "{model} 拍的原图使用{expected}，这个文件使用{actual}。文件可能被重新压缩过。",
        "{model} originals use {expected}; this file uses {actual}. It may have been recompressed.",
        "同一型号在不同模式或系统版本下可能用不同的压缩质量；对照库只有少量样本。",
        "One model may use other qualities in other modes or system versions; the reference "
        "set has few samples.",
    ),
    "quant_low_quality": T(
        "压缩质量 {quality} 低于相机的常见设置",
        "Quality {quality} is below what cameras use",
        "压缩质量为 {quality}（libjpeg 标准表）。相机和手机通常用 85 以上保存；这样的质量常见于软件"
        "重新保存（{who}）。",
        "The quality is {quality} (standard libjpeg tables). Cameras and phones save at 85 or "
        "more; this quality is typical of a software re-save ({who}).",
        "个别低端手机或省空间模式会用较低质量。",
        "A few low-end phones or space-saving modes use lower qualities.",
    ),
    "quant_known_table": T(
        "压缩表与 {name} 一致",
        "Compression tables match {name}",
        "压缩表与对照库里的 {name} 完全相同（来源：{source}）。",
        "The compression tables are identical to {name} in the reference set (source: {source}).",
        "对照库很小；同样的表也可能被别的程序使用。",
        "The reference set is small; other programs may use the same tables.",
    ),
}
