"""run_notebook.experiment: the kernel side of ``run-notebook experiment``.

Standard library only, like the helper. The runner defines this module inside a kernel
from its source text (after the ``run_notebook`` helper itself), so nothing needs
installing on a remote server.

Two entry points:

``_print_check(target, builder, builder_dir)``
    the pre-flight check, run once before any run: imports the experiment's module,
    finds the function, checks that it can be called with one config, and prints one
    line ``RUN_EXPERIMENT_CHECK <json>``: ``{"ok": {...}}`` with what the incremental
    fingerprint needs (module source digests), or ``{"error": {"kind", "message",
    "detail"}}``.
``run(target, builder_dir)``
    one run: rebuilds this run's config (``run_notebook.get_config_from_env()``, with its
    non-determinism check), calls ``fn(config)`` and records a returned mapping of
    JSON-able values as results (as if ``record()`` were called per key); any other
    returned value is recorded as its repr under ``return_value``. Exceptions propagate:
    the run fails with their headline, and the traceback shows only the user's frames.

``target`` is ``MODULE.FUNCTION`` (``pkg.mod.fn``, or ``pkg.mod.Class.method``): the
longest importable module prefix is imported, the rest read as attributes. Names are found
as in the notebook flow: ``builder_dir`` first on ``sys.path``, then the kernel's current
folder, ``PYTHONPATH`` and installed packages.
"""

import ast
import hashlib
import importlib
import inspect
import json
import os
import site
import sys
import sysconfig
import traceback
from collections.abc import Mapping

import run_notebook

CHECK_PREFIX = "RUN_EXPERIMENT_CHECK "
RETURN_KEY = "return_value"
MAX_REPR = 20000
MAX_LOCAL_MODULES = 1000


class ExperimentError(Exception):
    """A problem with --experiment_builder, reported as one line (``kind`` says which)."""

    def __init__(self, kind, message, detail=None):
        Exception.__init__(self, message)
        self.kind = kind
        self.message = message
        self.detail = detail


def _prepare_sys_path(builder_dir):
    cwd = os.getcwd()
    for p in (cwd, builder_dir):
        if p and p not in sys.path:
            sys.path.insert(0, p)


def _not_found_is(err, name):
    missing = getattr(err, "name", None)
    return bool(missing) and (name == missing or name.startswith(missing + "."))


def _tb(err):
    te = traceback.TracebackException(type(err), err, err.__traceback__)
    mine = _tb.__code__.co_filename
    te.stack = traceback.StackSummary.from_list(
        [f for f in te.stack if f.filename != mine and not f.filename.startswith("<frozen importlib")])
    return "".join(te.format())


def _headline(err):
    text = str(err).strip().splitlines()
    return "%s: %s" % (type(err).__name__, text[0]) if text else type(err).__name__


def resolve(target, builder_dir):
    """(module, function) for ``target``; raises ExperimentError."""
    text = (target or "").strip()
    parts = text.split(".")
    if len(parts) < 2 or not all(p.isidentifier() for p in parts):
        raise ExperimentError(
            "usage", 'experiment builder "%s" must be MODULE.FUNCTION, e.g. "mypkg.experiments.run"' % text)
    _prepare_sys_path(builder_dir)
    module, used = None, 0
    for n in range(len(parts) - 1, 0, -1):
        name = ".".join(parts[:n])
        try:
            module, used = importlib.import_module(name), n
            break
        except ModuleNotFoundError as err:
            if _not_found_is(err, name):
                continue
            raise ExperimentError("import", 'experiment builder "%s": importing %s raised %s' % (text, name, _headline(err)),
                                  _tb(err))
        except Exception as err:
            raise ExperimentError("import", 'experiment builder "%s": importing %s raised %s' % (text, name, _headline(err)),
                                  _tb(err))
    if module is None:
        raise ExperimentError(
            "missing", 'experiment builder "%s": no module named %s (looked in %s, the kernel\'s folder, '
            "PYTHONPATH and installed packages)" % (text, parts[0], builder_dir))
    obj = module
    for i, attr in enumerate(parts[used:]):
        owner = ".".join(parts[:used + i])
        if not hasattr(obj, attr):
            raise ExperimentError("missing", 'experiment builder "%s": %s has no attribute %s' % (text, owner, attr))
        obj = getattr(obj, attr)
    if not callable(obj):
        raise ExperimentError("not-callable", 'experiment builder "%s" is a %s, not a function' % (text, type(obj).__name__))
    return module, obj


def _check_signature(fn, target):
    if inspect.iscoroutinefunction(fn):
        raise ExperimentError("signature", 'experiment builder "%s" is an async function; it must be a plain function '
                                           "taking one config" % target)
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):  # builtins without a signature: let the call decide
        return None
    try:
        sig.bind(None)
    except TypeError:
        raise ExperimentError("signature", 'experiment builder "%s" cannot take a config: its signature is %s; it must '
                                           "accept one positional argument" % (target, sig))
    return str(sig)


def _file_digest(module):
    """{"name", "file", "sha256"} of a module's source file (file None for built-in ones)."""
    path = getattr(module, "__file__", None)
    entry = {"name": module.__name__, "file": None, "sha256": None}
    if not path:
        return entry
    if path.endswith((".pyc", ".pyo")):
        src = path[:-1]
        path = src if os.path.isfile(src) else path
    try:
        with open(path, "rb") as f:
            entry["sha256"] = hashlib.sha256(f.read()).hexdigest()
        entry["file"] = os.path.abspath(path)
    except OSError:
        pass
    return entry


def _builder_modules(builder, builder_dir):
    """The modules a Python builder expression names (its longest importable dotted
    prefixes), plus configs.py beside the builder when a bare name may come from it."""
    b = (builder or "").strip()
    if not b or run_notebook.is_sweep_file(b):
        return []
    try:
        tree = ast.parse(b, "<config_builder>", "eval")
    except SyntaxError:
        return []
    out, seen = [], set()
    roots = set()
    for chain in run_notebook._dotted_chains(tree):
        try:
            name = run_notebook._import_longest_prefix(chain)
        except Exception:
            name = None
        if name and name not in seen:
            seen.add(name)
            roots.add(chain[0])
            out.append(_file_digest(sys.modules[name]))
    bare = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - roots
    for rel in ("configs.py", os.path.join("configs", "__init__.py")):
        path = os.path.join(builder_dir, rel)
        if bare and os.path.isfile(path):
            with open(path, "rb") as f:
                out.append({"name": "configs", "file": os.path.abspath(path), "sha256": hashlib.sha256(f.read()).hexdigest()})
            break
    return out


def _installed_roots():
    """Folders of the standard library and of installed packages: modules there are not the user's."""
    paths = sysconfig.get_paths()
    roots = {paths.get(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    try:
        roots.update(site.getsitepackages())
    except AttributeError:  # old virtualenvs' site module
        pass
    roots.add(getattr(site, "USER_SITE", None))
    return tuple(os.path.join(os.path.realpath(r), "") for r in roots if r)


def _is_local(path, roots):
    real = os.path.realpath(path)
    parts = real.split(os.sep)
    return not real.startswith(roots) and "site-packages" not in parts and "dist-packages" not in parts


def _local_modules(known):
    """The user's modules loaded so far (by importing the experiment's module and the builder's):
    every module in sys.modules with a source file outside the standard library and installed
    packages, but those in ``known``. Modules imported only while the function runs are not here."""
    roots = _installed_roots()
    out = []
    for name, module in sorted(list(sys.modules.items()), key=lambda kv: kv[0]):
        path = getattr(module, "__file__", None)
        if name in known or not isinstance(path, str) or not os.path.isfile(path) or not _is_local(path, roots):
            continue
        entry = _file_digest(module)
        if entry["sha256"]:
            entry["name"] = name
            out.append(entry)
        if len(out) >= MAX_LOCAL_MODULES:
            break
    return out


def check(target, builder, builder_dir):
    """What the pre-flight check finds (a dict), or ExperimentError."""
    builder_dir = os.path.abspath(builder_dir or os.getcwd())
    module, fn = resolve(target, builder_dir)
    signature = _check_signature(fn, target.strip())
    defined = sys.modules.get(getattr(fn, "__module__", None) or "")
    modules = [_file_digest(module)]
    if defined is not None and defined is not module:
        modules.append(_file_digest(defined))
    builder_modules = _builder_modules(builder, builder_dir)
    known = {m["name"] for m in modules + builder_modules}
    return {
        "target": target.strip(),
        "function": getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or repr(fn),
        "signature": signature,
        "modules": modules,
        "builder_modules": builder_modules,
        "local_modules": _local_modules(known),
    }


def _print_check(target, builder, builder_dir):
    """What the runner executes: print exactly one line ``RUN_EXPERIMENT_CHECK <json>``."""
    try:
        out = {"ok": check(target, builder, builder_dir)}
    except ExperimentError as err:
        out = {"error": {"kind": err.kind, "message": err.message, "detail": err.detail}}
    sys.stdout.write("\n" + CHECK_PREFIX + json.dumps(out, ensure_ascii=True) + "\n")
    sys.stdout.flush()


def _jsonable(value):
    try:
        json.dumps(value, default=run_notebook._json_default)
        return True
    except (TypeError, ValueError):
        return False


def record_result(result):
    """Record what the experiment returned: a mapping of JSON-able values key by key,
    anything else (but None) as its repr under ``return_value``."""
    if result is None:
        return
    if isinstance(result, Mapping) and all(isinstance(k, str) and k for k in result):
        bad = [k for k, v in result.items() if not _jsonable(v)]
        if not bad:
            for k, v in result.items():
                run_notebook.record(k, v)
            return
        sys.stderr.write("run-notebook: the returned value of %s is not JSON-able, so the whole mapping is stored as "
                         "its repr under %r\n" % (", ".join(repr(k) for k in bad[:5]), RETURN_KEY))
    text = run_notebook.config_repr(result)
    if len(text) > MAX_REPR:
        text = text[:MAX_REPR - 3] + "..."
    run_notebook.record(RETURN_KEY, text)


def run(target, builder_dir):
    """One run of the experiment in this kernel (see the module docstring)."""
    __tracebackhide__ = True  # IPython shows the user's frames only
    builder_dir = os.path.abspath(builder_dir or os.getcwd())
    try:
        _, fn = resolve(target, builder_dir)
    except ExperimentError as err:  # the module changed after the pre-flight check
        raise RuntimeError(err.message) from None
    config = run_notebook.get_config_from_env()
    result = fn(config)
    if inspect.isawaitable(result):
        raise TypeError("experiment builder %s returned an awaitable; it must be a plain function" % target)
    record_result(result)
