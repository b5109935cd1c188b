"""Kernel-side half of remote result folders (run-notebook's src/sweep/remoteResults.ts).

On a remote server the run's result folder is a scratch folder on the kernel's machine.
The runner defines this module in the kernel (from this source text, as ``_run_notebook_scratch``)
and calls it through user expressions: ``prepare`` before the first cell, ``listing`` and
``chunk`` to bring the files back when the kernel channel is the route, ``remove`` at the end.
Every function returns a JSON string. Standard library only.
"""

import base64
import hashlib
import json
import os
import shutil


def prepare(dst_dir, index, config_text):
    """Creates <dst_dir>/result_<index>, writes config.json there, and makes the run's path
    variables absolute, so get_result_dir() survives an os.chdir in the notebook."""
    dst = os.path.abspath(dst_dir)
    result = os.path.join(dst, "result_%d" % int(index))
    os.makedirs(result, exist_ok=True)
    config_path = os.path.join(result, "config.json")
    if config_text is not None:
        with open(config_path, "w", encoding="utf-8") as f:
            f.write(config_text)
    os.environ["__CONFIG_DST_DIR__"] = dst
    os.environ["__NOTEBOOK_CONFIG_PATH__"] = config_path
    return json.dumps({"dir": result})


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def listing(root, max_files, known=()):
    """Regular files under root, sorted: [{path (relative, '/'), size, sha256}], plus the
    entries left out (symbolic links, special files, past max_files). Paths in `known`
    (already copied another way) are left out unread."""
    known = set(known)
    files, skipped = [], []
    if not os.path.isdir(root):
        return json.dumps({"files": files, "skipped": skipped, "missing": True})
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            if rel in known:
                continue
            if os.path.islink(full) or not os.path.isfile(full):
                skipped.append({"path": rel, "why": "not a regular file"})
            elif len(files) >= max_files:
                skipped.append({"path": rel, "why": "more than %d files" % max_files})
            else:
                files.append({"path": rel, "size": os.path.getsize(full), "sha256": _sha256(full)})
    return json.dumps({"files": files, "skipped": skipped})


def chunk(root, rel, offset, size):
    """Base64 of up to `size` bytes of root/rel from `offset`."""
    full = os.path.join(root, *rel.split("/"))
    with open(full, "rb") as f:
        f.seek(offset)
        data = f.read(size)
    return json.dumps({"b64": base64.b64encode(data).decode("ascii")})


def remove(root, levels):
    """Deletes root, then up to `levels` of its parent folders that are left empty."""
    shutil.rmtree(root, ignore_errors=True)
    parent = os.path.dirname(root)
    for _ in range(int(levels)):
        try:
            os.rmdir(parent)
        except OSError:
            break
        parent = os.path.dirname(parent)
    return json.dumps({"removed": not os.path.exists(root)})
