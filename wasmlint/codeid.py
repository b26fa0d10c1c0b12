"""An identity of the installed wasmlint code, for cache keys. Imports nothing heavy:
the warm path (``wasmlint.runmemo``) computes it before anything else loads."""
from __future__ import annotations

import os
from functools import lru_cache


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Changes whenever an installed wasmlint module, grammar or data file changes."""
    from _sha256 import sha256   # the built-in one: hashlib would load OpenSSL first

    pkg = os.path.dirname(os.path.abspath(__file__))
    h = sha256(pkg.encode())
    roots = [pkg]
    grammars = os.path.join(os.path.dirname(pkg), "grammars")
    if os.path.isdir(grammars):
        roots.append(grammars)
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith((".py", ".lark", ".json", ".toml")):
                    st = os.stat(os.path.join(dirpath, name))
                    h.update(f"{os.path.relpath(dirpath, root)}/{name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()
