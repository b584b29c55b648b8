"""Texts of the video, cross-item and read-failure findings."""

from __future__ import annotations

from app.evidence.checks.texts import FindingText as T

VIDEO_TEXTS: dict[str, T] = {
    "unreadable": T(
        "文件无法读取",
        "The file could not be read",
        "读取时出错：{reason}。文件可能已损坏、不完整，或不是支持的格式，所以无法判断它是不是原"
        "始文件。"
        "请找到原始文件重新导入。",
        "Reading failed: {reason}. The file may be damaged, incomplete or in an unsupported "
        "format, so nothing can be said about whether it is an original. Find the original "
        "file and add it again.",
        "复制或下载中断也会这样；这不代表内容被改过。",
        "An interrupted copy or download looks the same; it does not mean the content was changed.",
    ),
    "not_checked": T(
        "这类文件不做完整性检查",
        "No integrity checks for this kind of file",
        "完整性检查针对照片、截图和视频；这是{kind}文件，没有可检查的拍摄信息。",
        "Integrity checks cover photos, screenshots and videos; this is a {kind} file with no "
        "capture information to check.",
        "",
        "",
    ),
    "check_incomplete": T(
        "有一项检查没有完成",
        "A check did not complete",
        "检查这个文件时出现内部错误（{error}），部分检查没有做完，所以不能把它判断为原始文件。",
        "An internal error stopped part of the checks ({error}), so the file cannot be called "
        "an original.",
        "这是本程序的问题，不是文件的问题。",
        "This is a fault of this program, not of the file.",
    ),
    "video_muxer_trace": T(
        "视频被 {tool} 重新封装过",
        "Re-wrapped by {tool}",
        "视频的{where_text}写着“{value}”。{tool} 写过这个文件：视频被转换、剪切或重新打包过，"
        "不是手机录制时的原文件。",
        'The video\'s {where_text} says "{value}". {tool} wrote this file: the video was '
        "converted, cut or re-wrapped and is not the file the phone recorded.",
        "个别手机应用内部用 FFmpeg 录像；只重新打包时画面不变。",
        "A few phone apps record through FFmpeg; re-wrapping alone keeps the picture.",
    ),
    "video_software_encoder": T(
        "视频画面被软件重新编码过：{tool}",
        "The video was re-encoded by software: {tool}",
        "视频的{where_text}写着“{value}”（{tool}）。手机录像用芯片里的硬件编码器，这是电脑和剪"
        "辑软件"
        "用的软件编码器，说明画面被重新编码过（转换、剪辑或压缩）。",
        "The video's {where_text} says \"{value}\" ({tool}). Phones record with the chip's "
        "hardware encoder; this is a software encoder used by converters and editors, so the "
        "picture was encoded again (converted, edited or compressed).",
        "少数录像应用用软件编码器录制。",
        "A few recording apps encode in software.",
    ),
    "video_editor_trace": T(
        "视频由剪辑软件导出：{tool}",
        "Exported from a video editor: {tool}",
        "视频的{where_text}写着“{value}”（{tool}）。视频经过剪辑软件处理后导出，可能被剪切、拼接、"
        "加字幕或滤镜。",
        'The video\'s {where_text} says "{value}" ({tool}). It was exported from a video '
        "editor and may have been cut, joined, captioned or filtered.",
        "只用剪辑软件压缩或转换格式也会留下同样的痕迹。",
        "Only compressing or converting in an editor leaves the same trace.",
    ),
    "video_ai_trace": T(
        "发现 AI 视频工具的痕迹：{tool}",
        "Traces of an AI video tool: {tool}",
        "视频的{where_text}写着“{value}”（{tool}）。视频是 AI 生成的，或被 AI 工具改过。",
        'The video\'s {where_text} says "{value}" ({tool}). It was generated or changed by an '
        "AI tool.",
        "有的工具只用 AI 增强清晰度，内容未必改变。",
        "Some tools only enhance sharpness with AI; the content may be unchanged.",
    ),
    "video_creation_time_missing": T(
        "容器里没有录制时间",
        "No recording time in the container",
        "视频容器（mvhd）里的创建时间是空的或为 0。手机录像会写入录制时间，转换和剪辑软件常把它"
        "清空。",
        "The container's creation time (mvhd) is empty or zero. Phones write the recording "
        "time; converters and editors often clear it.",
        "个别行车记录仪或老相机不写这个时间。",
        "Some dash cams and old cameras do not write it.",
    ),
    "video_creationdate_mismatch": T(
        "两处录制时间不一致",
        "The two recording times disagree",
        "苹果格式的拍摄时间（creationdate）是 {creationdate}，容器创建时间是 {container}（UTC），"
        "相差 {gap}，超过了视频时长 {duration} 秒。两者本应只差录制时长，说明其中一个被改过。",
        "The Apple capture time (creationdate) is {creationdate} and the container creation "
        "time {container} (UTC), {gap} apart, more than the video's {duration} s. They should "
        "differ by the recording length at most, so one of them was changed.",
        "个别软件导出时会写错时区。",
        "Some programs write the wrong time zone when exporting.",
    ),
    "video_device_origin": T(
        "有录制设备信息，未发现处理痕迹",
        "Recording device recorded, no sign of processing",
        "视频记录了设备信息（{device}）和录制时间（{time}），各项检查都没有发现转换或剪辑的痕迹。"
        "这与手机直接录制的文件一致。",
        "The video records the device ({device}) and the recording time ({time}), and no "
        "check found a sign of conversion or editing. This is consistent with a file straight "
        "from the phone.",
        "设备信息可以被复制到转换后的文件里；这一项只说明没有发现问题。",
        "Device information can be copied into a converted file; this only says nothing was found.",
    ),
    "video_device_seen": T(
        "有录制设备信息（但见其他发现）",
        "Recording device recorded (but see the other findings)",
        "视频记录了设备信息（{device}）和录制时间（{time}）。转换和剪辑时这些信息可以被原样复制，"
        "其他发现说明这个文件被处理过。",
        "The video records the device ({device}) and the recording time ({time}). Converters "
        "and editors can copy this information over; the other findings show the file was "
        "processed.",
        "",
        "",
    ),
    "video_no_device_keys": T(
        "没有设备信息",
        "No device information",
        "视频里没有手机写入的设备信息（如苹果的品牌型号或安卓版本号）。有的手机本来就不写；"
        "转换软件也常把它去掉。",
        "The video has no device information written by a phone (Apple make and model, "
        "Android version). Some phones never write it; converters often remove it.",
        "三星等手机的原始视频也可能没有这些信息。",
        "Original videos from Samsung and other phones may lack it too.",
    ),
    "video_cut": T(
        "视频被截取过",
        "The video was cut",
        "画面轨道里实际有 {media} 秒画面，但编辑列表只播放从第 {start} 秒开始的 {shown} 秒。"
        "这是用工具“不重新编码直接剪切”的典型结构，说明视频被截取过。",
        "The video track holds {media} s of pictures, but its edit list only plays {shown} s "
        "starting at {start} s. This is how a cut without re-encoding looks: the video was "
        "trimmed.",
        "慢动作视频也用编辑列表（播放速度不是 1 时不报此项）。",
        "Slow-motion videos use edit lists too (not reported when the speed is not 1).",
    ),
    "video_empty_start": T(
        "视频开头有 {delay_seconds} 秒没有画面",
        "The first {delay_seconds} s of the video have no picture",
        "编辑列表让画面从第 {delay_seconds} 秒才开始，前面是空白。手机录像从第一帧就有画面；"
        "这是从两个关键帧之间“不重新编码直接剪切”时的典型结构，说明视频被截取过。",
        "The edit list starts the picture only at {delay_seconds} s, with nothing before it. "
        "Phone recordings have a picture from the first frame; this is how a cut made between "
        "two key frames without re-encoding looks: the video was trimmed.",
        "个别设备会让声音先开始几十毫秒；超过半秒的空白不是这种情况。",
        "Some devices start the sound a few tens of milliseconds early; a gap over half a "
        "second is not that.",
    ),
    "video_duration_mismatch": T(
        "各处记录的时长不一致",
        "Durations disagree",
        "容器时长 {movie} 秒，画面轨道时长 {track} 秒，相差 {gap} 秒。手机写出的文件里两者一致。",
        "The container says {movie} s, the video track {track} s, {gap} s apart. Phone files "
        "agree.",
        "声音轨道比画面长一点属正常，这里只比较画面轨道。",
        "Audio slightly longer than video is normal; only the video track is compared.",
    ),
    "video_timing_gap": T(
        "帧时间有 {gap} 秒的跳跃",
        "A {gap} s jump in frame timing",
        "在约第 {at} 秒处，相邻两帧之间隔了 {gap} 秒，而平常只隔约 {median} 秒。中间的画面可能"
        "被删掉了。",
        "Around {at} s two frames are {gap} s apart, while frames are normally about {median} s "
        "apart. Pictures in between may have been removed.",
        "手机在光线变化或卡顿时帧间隔会变化，但很少出现整秒的跳跃。",
        "Phones vary frame spacing in changing light or under load, but rarely by whole seconds.",
    ),
    "video_slow_motion": T(
        "慢动作或变速视频",
        "Slow-motion or speed-changed video",
        "编辑列表里有播放速度为 {rates} 的片段，这是慢动作或变速视频的写法。",
        "The edit list plays parts at speed {rates}: a slow-motion or speed-changed video.",
        "",
        "",
    ),
    "video_structure_problem": T(
        "视频结构有问题",
        "Problems in the video's structure",
        "读取视频结构时发现：{problems}",
        "While walking the video's structure: {problems}",
        "复制中断的文件也会这样。",
        "An interrupted copy looks the same.",
    ),
    "video_ffmpeg_defaults": T(
        "容器带有 FFmpeg 的默认写法",
        "The container carries FFmpeg defaults",
        "{details}。这些是 FFmpeg 写文件时的默认值，单独不能说明视频被改过。",
        "{details}. These are FFmpeg's defaults and say nothing on their own.",
        "",
        "",
    ),
    # ------------------------------------------------------------------------------ cross-item
    "cross_device_inconsistent": T(
        "声称同一设备的文件特征不一致",
        "Files claiming the same device differ",
        "{count} 个文件都说来自 {device}，但{trait}不同：{values}。同一部设备拍的原图这些特征应"
        "当一致，"
        "不同的那些可能被软件处理过。",
        "{count} files claim {device}, but their {trait} differ: {values}. Originals from one "
        "device agree on this; the odd ones may have been processed by software.",
        "同一型号在不同模式或系统版本下可能不同。",
        "One model may differ between modes or system versions.",
    ),
    "cross_story_order": T(
        "时间与事情经过的顺序不符",
        "Time out of the story's order",
        "“{later}”的时间 {later_time} 早于“{earlier}”的时间 {earlier_time}（早 {gap}）。"
        "按事情经过，前者应在后者之后。",
        '"{later}" at {later_time} comes before "{earlier}" at {earlier_time} (by {gap}). '
        "In the story it should come after.",
        "设备时钟不准或时区设置错误会造成这种情况。",
        "A wrong device clock or time-zone setting does this.",
    ),
    "cross_same_pixels": T(
        "画面数据完全相同，但拍摄信息不同",
        "Identical picture data, different metadata",
        "{a} 和 {b} 的画面数据一模一样，但{differs}不同。同一次拍摄不会产生两套不同的信息，"
        "说明其中至少一个文件的信息被改过。",
        "{a} and {b} hold identical picture data, but their {differs} differ. One capture does "
        "not produce two sets of metadata, so at least one of them was changed.",
        "同一文件在不同软件里添加备注也会这样。",
        "Adding notes to copies of one file in different programs does this too.",
    ),
    "video_capture_traits": T(
        "手机录像的特征：{traits}",
        "Phone recording traits: {traits}",
        "视频有手机相机录制时常见的特征：{traits}。这些是拍摄方式（编码、HDR、慢动作），"
        "不是剪辑或转换的痕迹。",
        "The video has traits phone cameras write when they record: {traits}. They describe "
        "how it was recorded (codec, HDR, slow motion), not an edit or a conversion.",
        "转换软件也能写出同样的格式；这一项只说明这些特征本身不是疑点。",
        "Converters can write the same formats; this only says these traits are no concern.",
    ),
    "screen_recording": T(
        "屏幕录制",
        "Screen recording",
        "这是一段屏幕录像，不是相机拍摄的视频（依据：{evidence}）。录屏记录的是屏幕上显示的内容，"
        "来源按截图对待：它说明屏幕上出现过什么，不说明拍摄的现场。录屏本身不是编辑。",
        "This is a screen recording, not a camera video (based on: {evidence}). It records what "
        "the screen showed and counts as a screenshot-like source: it shows what appeared on "
        "the screen, not a scene in front of a camera. Being a recording is not an edit.",
        "依据是文件名时，文件可能被改过名；录屏在没有画面变化时不写新帧，中间的停顿是正常的。",
        "When the evidence is the file name, the file may have been renamed. Recorders write no "
        "new frames while the screen does not change; pauses are normal.",
    ),
}
