"""Files that hold personal data: the database, its backups, letters and reports.

Every such file is readable by its owner only (0600), whether gongkai creates it or finds it already
there, and an output is written whole or not at all: first to a private temporary name beside it,
then renamed to the name asked for. An output path that is a symbolic link is refused (a letter
once replaced an unrelated file through one), and an existing file is replaced only when asked
(``--force``). Example::

    with private_output(Path("b.sqlite"), "FILE") as tmp:   # writes .b.sqlite.1234.partial
        write_backup(tmp)
    # b.sqlite now exists, 0600; had the writer been killed, there would be no b.sqlite at all
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from workflow.domain.errors import InvalidInput

PRIVATE = 0o600


def make_private(path: Path | str) -> int | None:
    """Owner-only permissions on a file of ours that exists (the database, its WAL and SHM); the
    permissions it had when they were looser, else None."""
    with suppress(OSError):
        st = os.lstat(path)
        if stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid() and st.st_mode & 0o077:
            os.chmod(path, PRIVATE)
            return stat.S_IMODE(st.st_mode)
    return None


def check_target(target: Path, field: str, force: bool = False) -> None:
    """An output path gongkai may write: not a symbolic link, a directory that exists, and no file
    already there unless ``force``."""
    if target.is_symlink():
        raise InvalidInput(field, f"{target} 是符号链接；请给出新文件的实际路径")
    if target.exists() and (not force or not target.is_file()):
        what = "已存在；请换一个文件名，或加 --force 覆盖" if target.is_file() else \
            "已存在且不是文件"
        raise InvalidInput(field, f"{target} {what}")
    if not target.parent.is_dir():
        raise InvalidInput(field, f"目录 {target.parent} 不存在")


def temporary_beside(target: Path) -> Path:
    """A new, empty, owner-only file beside ``target`` that no one else could have prepared."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.partial")
    with suppress(FileNotFoundError):
        if tmp.is_symlink() or tmp.is_file():
            tmp.unlink()  # left by a killed writer of this same process id
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), PRIVATE))
    return tmp


def publish(tmp: Path, target: Path, field: str, force: bool = False) -> None:
    """Give a complete temporary file its final name: never through a link, never over a file
    unless ``force`` (a file that appeared meanwhile is not overwritten either)."""
    make_private(tmp)
    if force:
        check_target(target, field, force=True)
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # fails if the name was taken meanwhile, and never follows a link
    except FileExistsError:
        raise InvalidInput(field, f"{target} 已存在；请换一个文件名，或加 --force 覆盖") from None
    except OSError:  # a file system without hard links: check and rename
        check_target(target, field)
        os.replace(tmp, target)
        return
    tmp.unlink()


@contextmanager
def private_output(target: Path, field: str, force: bool = False) -> Iterator[Path]:
    """Write to the yielded temporary path; on success it becomes ``target`` (0600), on failure it
    is removed and ``target`` is untouched."""
    check_target(target, field, force)
    tmp = temporary_beside(target)
    try:
        yield tmp
        publish(tmp, target, field, force)
    finally:
        with suppress(OSError):
            tmp.unlink()


def write_whole(target: Path, field: str, force: bool, write: Callable[[Path], object]) -> None:
    """``private_output`` around a writer that takes a path (a report's XLSX, DOCX, Markdown, chart);
    a file system's refusal becomes one line naming the option."""
    try:
        with private_output(target, field, force) as tmp:
            write(tmp)
    except OSError as e:
        raise InvalidInput(field, f"无法写入 {target}：{e.strerror or e}") from None
