"""Read a file named by an editor or a caller: a regular file only, of a bounded size.

A named pipe would block the reader until someone writes to it, a device such as /dev/zero
never ends, and a huge file takes memory and time before anything can be said about it. So the
file is opened without waiting (O_NONBLOCK), its kind and size are read from the open descriptor,
and anything else is refused at once with a message in both languages. The Chinese message never
carries the operating system's English text.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

# A profile is tens of kilobytes (the largest content file is under 30 KB).
MAX_PROFILE_BYTES = 2_000_000


class FileRefused(ValueError):
    def __init__(self, *, zh: str, en: str, code: str = "unreadable"):
        self.code = code  # "too_large" or "unreadable"
        self.en = en
        self.zh = zh
        super().__init__(en)


def _size(n: int) -> str:
    return f"{n / 1_000_000:g} MB" if n >= 100_000 else f"{n:,} bytes"


_OPEN_ERRORS = {
    errno.ENOENT: {"en": "there is no such file; check the name and the folder", "zh": "没有这个文件；请检查文件名和所在文件夹"},
    errno.ENOTDIR: {"en": "a folder in this path is not a folder; check the path", "zh": "路径中的某个文件夹并不存在；请检查路径"},
    errno.EACCES: {"en": "you have no permission to read this file", "zh": "没有读取这个文件的权限"},
    errno.EPERM: {"en": "you have no permission to read this file", "zh": "没有读取这个文件的权限"},
    errno.ENAMETOOLONG: {"en": "the file name is too long", "zh": "文件名太长"},
    errno.ELOOP: {"en": "the path loops through symbolic links", "zh": "路径中的符号链接构成了循环"},
}


def read_regular_file(path: str | Path, limit: int, *, what_zh: str, what_en: str) -> bytes:
    """The bytes of ``path``, or FileRefused saying why not (kind, size, permission)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        message = _OPEN_ERRORS.get(exc.errno, {"en": f"the file cannot be opened ({exc.strerror})",
                                               "zh": "无法打开这个文件"})
        if exc.errno == errno.EISDIR:
            message = _not_a_file({"en": "a folder", "zh": "文件夹"}, what_en=what_en, what_zh=what_zh)
        raise FileRefused(**message) from None
    try:
        info = os.fstat(fd)
        mode = info.st_mode
        if not stat.S_ISREG(mode):
            kind = ({"en": "a folder", "zh": "文件夹"} if stat.S_ISDIR(mode) else
                    {"en": "a named pipe", "zh": "命名管道"} if stat.S_ISFIFO(mode) else
                    {"en": "a device", "zh": "设备文件"} if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
                    {"en": "a socket", "zh": "套接字"} if stat.S_ISSOCK(mode) else
                    {"en": "not a regular file", "zh": "非普通文件"})
            raise FileRefused(**_not_a_file(kind, what_en=what_en, what_zh=what_zh))
        if info.st_size > limit:
            raise _too_big(info.st_size, limit, what_en=what_en, what_zh=what_zh)
        # The file may grow while it is read: never read more than the limit allows.
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise _too_big(len(data), limit, what_en=what_en, what_zh=what_zh)
        return data
    except OSError as exc:
        raise FileRefused(en=f"cannot read the file ({exc.strerror})", zh="读取文件时出错") from None
    finally:
        os.close(fd)


def _not_a_file(kind: dict[str, str], *, what_zh: str, what_en: str) -> dict[str, str]:
    return {"en": f"this is {kind['en']}, not a file; give the path of {what_en}",
            "zh": f"这是{kind['zh']}，不是普通文件；请给出{what_zh}的路径"}


def _too_big(size: int, limit: int, *, what_zh: str, what_en: str) -> FileRefused:
    return FileRefused(en=f"the file is larger than {_size(limit)} (the most {what_en} may be); "
                          "check that this is the right file",
                       zh=f"文件超过 {_size(limit)}（{what_zh}最多这么大）；请确认文件是否正确", code="too_large")
