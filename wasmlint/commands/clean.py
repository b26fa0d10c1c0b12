"""``wasmlint clean [PATH...]``: remove wasmlint's caches (the per-user cache of file
facts and run memos, and any ``.wasmlint_cache/`` an older version left in the paths)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from ..cli_parser import add_output_args

CACHE_DIR_NAME = ".wasmlint_cache"


def add_parser(sub) -> None:
    p = sub.add_parser("clean", help="remove wasmlint's caches")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help=f"folders whose {CACHE_DIR_NAME}/ is removed too (default: .)")
    add_output_args(p)


def run(args) -> int:
    from ..usercache import user_cache_dir
    removed = []
    user = user_cache_dir()
    if user is not None:
        for entry in sorted(user.iterdir()):
            _remove(entry)
            removed.append(str(entry))
    for folder in args.paths or ["."]:
        legacy = Path(folder) / CACHE_DIR_NAME
        if legacy.is_dir() and not legacy.is_symlink():
            _remove(legacy)
            removed.append(str(legacy))
    if not args.quiet:
        for path in removed:
            print(f"removed {path}", file=sys.stderr)
        if not removed:
            print("wasmlint: no cache to remove", file=sys.stderr)
    return 0


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
