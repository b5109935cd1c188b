"""run_notebook: the kernel-side helper of run-notebook.

Standard library only, Python 3.8+, one self-contained file: the runner defines it
inside every kernel from its source text (``types.ModuleType('run_notebook')`` + exec +
``sys.modules``), so ``import run_notebook`` works on a remote server where nothing of
this project is installed.

In a notebook::

    from run_notebook import get_config_from_env, record
    config = get_config_from_env()   # None outside a sweep
    ...
    record("accuracy", 0.93)          # a column of the sweep summary

Environment contract (set by the runner in every kernel it starts):

``__CONFIG_BUILDER__``
    the builder: a Python expression (``pkg.module.build(args)``, ``build()``) or the
    path of a sweep file (``.yaml``, ``.yml``, ``.json``). Unset: not in a sweep.
``__CONFIG_IDX__``
    the index of this run's config in the builder's list.
``__CONFIG_DST_DIR__``
    the sweep's destination directory.
``__NOTEBOOK_CONFIG_PATH__``
    the path of ``result_<idx>/config.json``, as written by the runner:
    ``{"index": int, "name": str, "json": <JSON form or null>, "repr": str}``.
``__NOTEBOOK_CONFIG_JSON__`` (optional)
    the same content inline; preferred over the path when set (a kernel on a remote
    server cannot read the runner's files).
``__CONFIG_BUILDER_DIR__``
    where builder names are resolved: the notebook's folder (default: the cwd).
``__CONFIG_PARAMETERS__`` (optional)
    the command line's -p/-r/-f/-y values as JSON: the config when there is no builder,
    else added to (and overriding) every config the builder returns.
"""

import ast
import builtins
import dataclasses
import hashlib
import importlib
import json
import linecache
import math
import os
import pprint
import re
import sys
import traceback
import types
from collections.abc import Mapping

__all__ = ["get_config_from_env", "record", "get_result_dir", "records", "RECORD_MIME", "__version__"]

# Installed with ``pip install <checkout>/python`` this copy is imported in JupyterLab, under
# papermill and in plain Python. Inside a run the runner defines its own copy in the kernel
# first (``sys.modules``), so the run's version wins and a mismatch with an installed copy is
# harmless: the installed one is never imported there.
__version__ = "0.1.0"

RECORD_MIME = "application/vnd.run-notebook.record+json"
PLAN_PREFIX = "RUN_NOTEBOOK_PLAN "
SWEEP_FILE_SUFFIXES = (".yaml", ".yml", ".json")
BUILDER_FILENAME = "<config_builder>"

_CONFIG_CACHE = {}
_RECORDS = []


class ConfigBuilderError(Exception):
    """A builder problem the runner reports as one line (``kind`` says which)."""

    def __init__(self, kind, message, detail=None):
        Exception.__init__(self, message)
        self.kind = kind
        self.message = message
        self.detail = detail


# --------------------------------------------------------------------------------------
# Which kind of builder


def is_sweep_file(builder):
    """A builder is a sweep file when it ends in .yaml/.yml/.json and holds no '('."""
    b = (builder or "").strip()
    return "(" not in b and b.lower().endswith(SWEEP_FILE_SUFFIXES)


# --------------------------------------------------------------------------------------
# Evaluating a builder expression


def _module_not_found_for(err, prefix):
    """True when ModuleNotFoundError ``err`` is about ``prefix`` itself (or a parent)."""
    missing = getattr(err, "name", None)
    return bool(missing) and (prefix == missing or prefix.startswith(missing + "."))


def _dotted_chains(tree):
    """Every maximal ``a.b.c`` chain of plain names read in the expression."""
    chains = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            parts = []
            cur = node
            while isinstance(cur, ast.Attribute):
                parts.append(cur.attr)
                cur = cur.value
            if isinstance(cur, ast.Name):
                parts.append(cur.id)
                chains.append(list(reversed(parts)))
    return chains


def _import_longest_prefix(chain):
    """Import the longest importable module prefix of ``chain`` (the a.b of a.b.fn)."""
    for n in range(len(chain), 0, -1):
        prefix = ".".join(chain[:n])
        try:
            importlib.import_module(prefix)
            return prefix
        except ModuleNotFoundError as err:
            if _module_not_found_for(err, prefix):
                continue
            raise
    return None


def _load_configs_module(builder_dir):
    """The ``configs`` module beside the notebook, or None when there is none."""
    path = os.path.join(builder_dir, "configs.py")
    if not os.path.isfile(path):
        pkg = os.path.join(builder_dir, "configs", "__init__.py")
        if not os.path.isfile(pkg):
            return None
        path = pkg
    mod = sys.modules.get("configs")
    if mod is not None and os.path.abspath(getattr(mod, "__file__", "") or "") == os.path.abspath(path):
        return mod
    import importlib.util

    spec = importlib.util.spec_from_file_location("configs", path)
    mod = importlib.util.module_from_spec(spec)
    previous = sys.modules.get("configs")
    sys.modules["configs"] = mod
    try:
        spec.loader.exec_module(mod)
    except BaseException:
        if previous is None:
            sys.modules.pop("configs", None)
        else:
            sys.modules["configs"] = previous
        raise
    return mod


class _Names(dict):
    """The eval namespace: configs.py beside the notebook, then modules, then builtins."""

    def __init__(self, builder_dir):
        dict.__init__(self)
        self._builder_dir = builder_dir
        self._configs = None
        self._configs_loaded = False
        self.module_roots = set()  # roots of dotted names imported as modules

    def _configs_module(self):
        if not self._configs_loaded:
            self._configs_loaded = True
            self._configs = _load_configs_module(self._builder_dir)
        return self._configs

    def __missing__(self, name):
        if name in self.module_roots:
            return sys.modules[name]
        mod = self._configs_module()
        if mod is not None and hasattr(mod, name):
            return getattr(mod, name)
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as err:
            if not _module_not_found_for(err, name):
                raise
        if hasattr(builtins, name):
            return getattr(builtins, name)
        where = os.path.join(self._builder_dir, "configs.py")
        raise NameError(
            "name %r is not defined: a bare name is looked up in %s%s, then as an importable "
            "module, then among Python's builtins"
            % (name, where, "" if mod is not None else " (which does not exist)")
        )


def _prepare_sys_path(builder_dir):
    if builder_dir not in sys.path:
        sys.path.insert(0, builder_dir)


def _evaluate(expr, builder_dir):
    """Evaluate the builder expression and return its result (may raise anything)."""
    code = compile(expr.strip(), BUILDER_FILENAME, "eval")
    tree = ast.parse(expr.strip(), BUILDER_FILENAME, "eval")
    _prepare_sys_path(builder_dir)
    names = _Names(builder_dir)
    local_names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            local_names.add(node.id)  # comprehension variables
        elif isinstance(node, ast.arg):
            local_names.add(node.arg)  # lambda parameters
    for chain in _dotted_chains(tree):
        if chain[0] not in local_names and _import_longest_prefix(chain) is not None:
            names.module_roots.add(chain[0])
    # A dict subclass as globals: every unknown name (in comprehensions and lambdas of the
    # expression too) reaches _Names.__missing__, so configs.py is loaded only if needed.
    names["__builtins__"] = builtins
    return eval(code, names)


def _user_traceback(exc):
    """The traceback of ``exc`` without this module's frames or importlib's."""
    mine = _evaluate.__code__.co_filename
    te = traceback.TracebackException(type(exc), exc, exc.__traceback__)
    kept = [f for f in te.stack if f.filename != mine and not f.filename.startswith("<frozen importlib")]
    te.stack = traceback.StackSummary.from_list(kept)
    return "".join(te.format())


def _as_list(result, expr):
    if result is None:
        raise ConfigBuilderError(
            "empty",
            "config builder %s returned None; it must return a list of configs (a missing return?)" % _q(expr),
        )
    if isinstance(result, (str, bytes, bytearray)):
        raise ConfigBuilderError(
            "not-a-list", "config builder %s returned a %s, not a list of configs" % (_q(expr), type(result).__name__)
        )
    if isinstance(result, dict) or _is_mapping(result):
        raise ConfigBuilderError(
            "not-a-list",
            "config builder %s returned a mapping (%s), not a list of configs; wrap one config as [config]"
            % (_q(expr), type(result).__name__),
        )
    try:
        configs = list(result)
    except TypeError:
        raise ConfigBuilderError(
            "not-a-list",
            "config builder %s returned %s, which is not a list of configs" % (_q(expr), type(result).__name__),
        )
    if not configs:
        raise ConfigBuilderError("empty", "config builder %s returned no configs (an empty list)" % _q(expr))
    return configs


def _q(expr):
    text = " ".join(expr.split())
    if len(text) > 120:
        text = text[:117] + "..."
    return '"%s"' % text


def _build(expr, builder_dir):
    """Evaluate the builder: a non-empty list, or ConfigBuilderError."""
    try:
        compile(expr.strip(), BUILDER_FILENAME, "eval")
    except SyntaxError as err:
        raise ConfigBuilderError(
            "syntax",
            "config builder %s is not a Python expression: %s" % (_q(expr), err.msg),
            "".join(traceback.format_exception_only(type(err), err)),
        )
    try:
        result = _evaluate(expr, builder_dir)
    except Exception as err:  # the builder's own failure: show its traceback
        first = str(err).strip().splitlines()[0] if str(err).strip() else ""
        raise ConfigBuilderError(
            "raised",
            "config builder %s raised %s%s" % (_q(expr), type(err).__name__, (": " + first) if first else ""),
            _user_traceback(err),
        )
    try:
        return _as_list(result, expr)
    except ConfigBuilderError:
        raise
    except Exception as err:  # iterating a generator may raise too
        raise ConfigBuilderError(
            "raised",
            "config builder %s raised %s: %s" % (_q(expr), type(err).__name__, err),
            _user_traceback(err),
        )


# --------------------------------------------------------------------------------------
# JSON form and stable repr


def _is_mapping(obj):
    return isinstance(obj, Mapping)


def _is_dataclass_instance(obj):
    return dataclasses.is_dataclass(obj) and not isinstance(obj, type)


def _has_to_dict(obj):
    return not isinstance(obj, type) and callable(getattr(obj, "to_dict", None))


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _strip_addresses(text):
    return _ADDRESS.sub("", text)


_LAMBDA_SOURCES = {}


def _lambda_source(fn):
    """The text ``lambda x: ...`` of a one-line lambda, or None (cached per code object)."""
    code = fn.__code__
    if code not in _LAMBDA_SOURCES:
        _LAMBDA_SOURCES[code] = _find_lambda_source(code)
    return _LAMBDA_SOURCES[code]


def _find_lambda_source(code):
    line = linecache.getline(code.co_filename, code.co_firstlineno)
    if not line:
        return None
    line = line.rstrip("\n")
    found = []
    for m in re.finditer(r"\blambda\b", line):
        rest = line[m.start():]
        best = None
        for end in range(len(rest), 6, -1):
            try:
                node = ast.parse(rest[:end].strip(), mode="eval").body
            except SyntaxError:
                continue
            if isinstance(node, ast.Lambda):
                best = rest[:end].strip()
                break
        if best is not None:
            found.append((m.start(), best))
    if not found:
        return None
    if len(found) == 1:
        return found[0][1]
    positions = getattr(code, "co_positions", None)  # 3.11+: columns of the body
    if positions is not None:
        cols = [p[2] for p in positions()
                if p[0] == code.co_firstlineno and p[2] is not None and p[3] is not None and p[3] > p[2]]
        if cols:
            body = min(cols)
            before = [f for f in found if f[0] < body]
            if before:
                return before[-1][1]
    return None


def _code_digest(code):
    h = hashlib.sha1(code.co_code)
    h.update(_strip_addresses(repr(code.co_consts)).encode("utf-8", "replace"))
    return h.hexdigest()[:8]


def _function_repr(fn):
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", "?")
    code = getattr(fn, "__code__", None)
    if getattr(fn, "__name__", "") == "<lambda>" and code is not None:
        text = _lambda_source(fn) or "lambda at line %d, code %s" % (code.co_firstlineno, _code_digest(code))
        bound = []
        for var, cell in zip(code.co_freevars, fn.__closure__ or ()):
            try:
                bound.append("%s=%s" % (var, _stable_repr(cell.cell_contents)))
            except ValueError:  # an empty cell
                continue
        return "<%s%s>" % (text, (" with " + ", ".join(bound)) if bound else "")
    module = getattr(fn, "__module__", None)
    if module and module not in ("__main__", "builtins"):
        name = module + "." + name
    return "<function %s>" % name


class _Raw(object):
    """A leaf whose repr is given text (keeps pprint's layout for the rest)."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


def _for_repr(obj, depth=0):
    """A copy of ``obj`` whose repr is the same in every process (no addresses,
    sorted sets, lambdas shown by their source)."""
    if depth > 60:
        return _Raw(_strip_addresses(repr(obj)))
    t = type(obj)
    if t in (str, int, float, bool, bytes, complex) or obj is None:
        return obj
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
        return _Raw(_function_repr(obj) if isinstance(obj, types.FunctionType) else _strip_addresses(repr(obj)))
    if t is dict:
        return {(k if type(k) in (str, int, float, bool) else _for_repr(k, depth + 1)): _for_repr(v, depth + 1)
                for k, v in obj.items()}
    if t is list:
        return [_for_repr(v, depth + 1) for v in obj]
    if t is tuple:
        return tuple(_for_repr(v, depth + 1) for v in obj)
    if t in (set, frozenset):
        items = sorted(_stable_repr(v, depth + 1) for v in obj)
        if not items:
            return _Raw("set()" if t is set else "frozenset()")
        body = "{" + ", ".join(items) + "}"
        return _Raw(body if t is set else "frozenset(%s)" % body)
    if _has_to_dict(obj) and t.__repr__ is object.__repr__:
        try:
            return _Raw("%s(%s)" % (t.__qualname__, _stable_repr(obj.to_dict(), depth + 1)))
        except Exception:
            pass
    if _is_dataclass_instance(obj) and getattr(type(obj), "__dataclass_params__", None) is not None \
            and type(obj).__dataclass_params__.repr:
        fields = [f for f in dataclasses.fields(obj) if f.repr]
        return _Raw("%s(%s)" % (t.__qualname__, ", ".join(
            "%s=%s" % (f.name, _stable_repr(getattr(obj, f.name), depth + 1)) for f in fields)))
    return _Raw(_strip_addresses(repr(obj)))


def _stable_repr(obj, depth=0):
    return repr(_for_repr(obj, depth))


def config_repr(config):
    """A human-readable repr, identical in every process for an identical config."""
    return _strip_addresses(pprint.pformat(_for_repr(config), width=100, sort_dicts=False))


def _json_value(obj, depth=0, seen=None):
    """``obj`` made JSON-able: containers recursively, non-JSON leaves as a stable repr."""
    if depth > 60:
        return _stable_repr(obj)
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        if math.isnan(obj) or math.isinf(obj):
            return repr(float(obj))
        return float(obj)
    seen = seen or set()
    if id(obj) in seen:
        return "<recursion>"
    seen = seen | {id(obj)}
    if isinstance(obj, dict) or _is_mapping(obj):
        out = {}
        for k, v in obj.items():
            key = k if isinstance(k, str) else (json.dumps(k) if isinstance(k, (int, float, bool)) or k is None
                                                 else _stable_repr(k))
            out[key] = _json_value(v, depth + 1, seen)
        return out
    if isinstance(obj, (list, tuple)):
        return [_json_value(v, depth + 1, seen) for v in obj]
    if isinstance(obj, (set, frozenset)):
        items = [_json_value(v, depth + 1, seen) for v in obj]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    if _is_dataclass_instance(obj):
        return {f.name: _json_value(getattr(obj, f.name), depth + 1, seen) for f in dataclasses.fields(obj)}
    if _has_to_dict(obj):
        try:
            return _json_value(obj.to_dict(), depth + 1, seen)
        except Exception:
            return _stable_repr(obj)
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    tolist = getattr(obj, "tolist", None)  # numpy scalars and arrays, without importing numpy
    if callable(tolist) and not isinstance(obj, type):
        try:
            return _json_value(tolist(), depth + 1, seen)
        except Exception:
            pass
    return _stable_repr(obj)


def config_json(config):
    """The JSON form of a config: for dicts (any mapping), dataclasses and objects with
    ``to_dict()``, recursively, with non-JSON leaves (lambdas, objects) as their stable
    repr string and sets as sorted lists. None for any other config."""
    if isinstance(config, dict) or _is_mapping(config) or _is_dataclass_instance(config) or _has_to_dict(config):
        value = _json_value(config)
        return value if isinstance(value, dict) else None
    return None


def _name_hint(config, json_form):
    if isinstance(json_form, dict) and isinstance(json_form.get("_name"), str):
        return json_form["_name"]
    hint = getattr(config, "_name", None) if not isinstance(config, dict) else None
    return hint if isinstance(hint, str) else None


def _identical(a, b, depth=0):
    """Equal and of the same types all the way down (1 is not 1.0, a tuple is not a list)."""
    if type(a) is not type(b) or depth > 60:
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_identical(x, y, depth + 1) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_identical(a[k], b[k], depth + 1) for k in a)
    if isinstance(a, (set, frozenset)):
        return a == b
    return a == b


def _literal_text(value, depth=0):
    """``repr`` for literal types, built recursively so that sets come out sorted (the same
    text in every process); None for anything else."""
    if depth > 60:
        return None
    t = type(value)
    if value is None or t in (bool, int, float, complex, str, bytes):
        return repr(value)
    if t in (list, tuple):
        items = [_literal_text(v, depth + 1) for v in value]
        if any(i is None for i in items):
            return None
        if t is list:
            return "[" + ", ".join(items) + "]"
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if t is dict:
        parts = []
        for k, v in value.items():
            ks, vs = _literal_text(k, depth + 1), _literal_text(v, depth + 1)
            if ks is None or vs is None:
                return None
            parts.append(ks + ": " + vs)
        return "{" + ", ".join(parts) + "}"
    if t is set and value:
        items = [_literal_text(v, depth + 1) for v in value]
        return None if any(i is None for i in items) else "{" + ", ".join(sorted(items)) + "}"
    return None


def _literal_source(value):
    """Python source that evaluates to ``value`` exactly (checked by ``ast.literal_eval``),
    or None when it has no literal form (a lambda, an object, NaN)."""
    try:
        src = _literal_text(value)
        if src is None:
            return None
        back = ast.literal_eval(src)
    except Exception:
        return None
    return src if _identical(back, value) else None


def _parameter_sources(config):
    """For a papermill-style injected cell: ``[[name, source, is_literal], ...]`` per
    top-level key of a mapping (or field of a dataclass). A value without a literal form
    is read back through the helper, so the cell gets exactly what get_config_from_env()
    holds."""
    if isinstance(config, dict) or _is_mapping(config):
        items = [(k, v, "get_config_from_env()[%r]" % (k,)) for k, v in config.items() if isinstance(k, str)]
    elif _is_dataclass_instance(config):
        items = [(f.name, getattr(config, f.name), "get_config_from_env().%s" % f.name) for f in dataclasses.fields(config)]
    else:
        return None
    out = []
    for name, value, accessor in items:
        src = _literal_source(value)
        out.append([name, src if src is not None else accessor, src is not None])
    return out


def _describe(config):
    json_form = config_json(config)
    return {"json": json_form, "repr": config_repr(config), "name_hint": _name_hint(config, json_form),
            "py_params": _parameter_sources(config)}


def _identity(described):
    if described["json"] is not None:
        return "json:" + json.dumps(described["json"], sort_keys=True, separators=(",", ":"))
    return "repr:" + described["repr"]


def _check_duplicates(described, expr):
    groups = {}
    for i, d in enumerate(described):
        groups.setdefault(_identity(d), []).append(i)
    dups = [g for g in groups.values() if len(g) > 1]
    if dups:
        dups.sort()
        text = ", ".join("[" + ", ".join(str(i) for i in g) + "]" for g in dups[:10])
        more = "" if len(dups) <= 10 else " and %d more groups" % (len(dups) - 10)
        raise ConfigBuilderError(
            "duplicates",
            "config builder %s returned duplicate configs at indices %s%s; every config must differ"
            % (_q(expr), text, more),
        )


# --------------------------------------------------------------------------------------
# The runner's side: enumerate the configs


def plan(expr, builder_dir=None):
    """Evaluate ``expr`` and return ``{"configs": [{"json", "repr", "name_hint"}, ...]}``
    (a dict). Raises ConfigBuilderError."""
    builder_dir = os.path.abspath(builder_dir or os.getcwd())
    configs = _build(expr, builder_dir)
    described = [_describe(c) for c in configs]
    _check_duplicates(described, expr)
    return {"configs": described}


def _plan(expr, builder_dir=None):
    """The runner's entry point: evaluate a config builder and describe its configs.

    Returns a one-line JSON string, either
    ``{"configs": [{"json": <JSON form or null>, "repr": str, "name_hint": str|null}, ...]}``
    or, when the builder is at fault, ``{"error": {"kind", "message", "detail"}}`` where
    kind is one of syntax, raised, empty, not-a-list, duplicates and detail holds the
    builder's traceback (or null).

    How the expression is evaluated (``builder_dir`` is the notebook's folder):

    * it is any Python expression returning a list (or other iterable) of configs;
    * ``builder_dir`` goes first on ``sys.path``;
    * a dotted name ``a.b.c`` that starts with a module is resolved by importing its
      longest importable module prefix (``a.b`` for ``a.b.build()``), then reading
      attributes (``a/__init__.py`` need not import ``a.b``);
    * any other name (``build`` in ``build()``) is looked up in ``configs.py`` beside the
      notebook (``builder_dir/configs.py``, or a ``configs/`` package), then as an
      importable module, then among Python's builtins.

    JSON form: dicts (any mapping), dataclasses and objects with ``to_dict()`` are
    converted recursively; lambdas and other non-JSON leaves become a stable repr string
    (no memory addresses; a lambda shows its source and bound variables); any other config
    has no JSON form (null). Every config gets a readable repr (pprint layout).
    Duplicates (equal JSON form, or equal repr without one) are rejected.
    """
    try:
        out = plan(expr, builder_dir)
    except ConfigBuilderError as err:
        out = {"error": {"kind": err.kind, "message": err.message, "detail": err.detail}}
    return json.dumps(out, ensure_ascii=True, allow_nan=False, separators=(",", ":"))


def _print_plan(expr, builder_dir=None):
    """What the runner executes: print exactly one line ``RUN_NOTEBOOK_PLAN <json>``."""
    text = _plan(expr, builder_dir)
    sys.stdout.write("\n" + PLAN_PREFIX + text + "\n")
    sys.stdout.flush()


# --------------------------------------------------------------------------------------
# The notebook's side


def _same(a, b):
    """Equality of JSON values where 1 == 1.0 and ints may have passed through a double."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or float(a) == float(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _first_difference(a, b, path=""):
    """A short text saying where two JSON values first differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            here = "%s.%s" % (path, k) if path else str(k)
            if k not in b:
                return "key %s is missing from the rebuilt config" % here
            if k not in a:
                return "key %s is new in the rebuilt config" % here
            if not _same(a[k], b[k]):
                return _first_difference(a[k], b[k], here)
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if not _same(x, y):
                return _first_difference(x, y, "%s[%d]" % (path, i))
        return None
    return "%s: planned %s, rebuilt %s" % (path or "value", _short(a), _short(b))


def _short(value, limit=80):
    text = value if isinstance(value, str) and not value.startswith("{") else json.dumps(value)
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _planned_entry():
    inline = os.environ.get("__NOTEBOOK_CONFIG_JSON__")
    if inline:
        return json.loads(inline)
    path = os.environ.get("__NOTEBOOK_CONFIG_PATH__")
    if path and os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    return None


def _env_key():
    names = ("__CONFIG_BUILDER__", "__CONFIG_IDX__", "__CONFIG_BUILDER_DIR__",
             "__NOTEBOOK_CONFIG_PATH__", "__NOTEBOOK_CONFIG_JSON__", "__CONFIG_PARAMETERS__")
    return tuple(os.environ.get(n) for n in names)


def _cli_parameters():
    """-p/-r/-f/-y of the command line (``__CONFIG_PARAMETERS__``), or None."""
    text = os.environ.get("__CONFIG_PARAMETERS__")
    return json.loads(text) if text else None


def _config_from_env():
    builder = os.environ.get("__CONFIG_BUILDER__", "").strip()
    parameters = _cli_parameters()
    if not builder:
        return dict(parameters) if parameters is not None else None
    raw_idx = os.environ.get("__CONFIG_IDX__", "").strip()
    try:
        idx = int(raw_idx)
    except ValueError:
        raise RuntimeError("run_notebook: __CONFIG_IDX__ must be an integer, got %r" % raw_idx)
    planned = _planned_entry()
    if is_sweep_file(builder):
        if planned is None:
            raise RuntimeError(
                "run_notebook: config %d of sweep file %s: neither __NOTEBOOK_CONFIG_JSON__ nor a readable "
                "__NOTEBOOK_CONFIG_PATH__ (%s) is set" % (idx, builder, os.environ.get("__NOTEBOOK_CONFIG_PATH__")))
        return planned.get("json")
    builder_dir = os.path.abspath(os.environ.get("__CONFIG_BUILDER_DIR__") or os.getcwd())
    try:
        configs = _build(builder, builder_dir)
    except ConfigBuilderError as err:
        raise RuntimeError("run_notebook: %s\n%s" % (err.message, err.detail or ""))
    if idx < 0 or idx >= len(configs):
        raise RuntimeError(
            "config builder is not deterministic: it returned %d configs, so config %d does not exist"
            % (len(configs), idx))
    config = configs[idx]
    if parameters is not None:
        # The runner planned the config with the command line's parameters added (and winning).
        if not isinstance(config, Mapping):
            raise RuntimeError("run_notebook: -p/-r/-f/-y add values to every config, but config %d is %s"
                               % (idx, type(config).__name__))
        config = dict(config, **parameters)
    if planned is not None:
        rebuilt = _describe(config)
        if planned.get("json") is not None or rebuilt["json"] is not None:
            if not _same(planned.get("json"), rebuilt["json"]):
                where = _first_difference(planned.get("json"), rebuilt["json"]) or "the JSON forms differ"
                raise RuntimeError(
                    "config builder is not deterministic: config %d differs from the planned one (%s)"
                    % (idx, where))
        elif planned.get("repr") != rebuilt["repr"]:
            raise RuntimeError(
                "config builder is not deterministic: config %d differs from the planned one "
                "(planned %s, rebuilt %s)" % (idx, _short(planned.get("repr")), _short(rebuilt["repr"])))
    return config


def get_config_from_env():
    """This run's config, or None outside a sweep.

    For a Python builder the builder expression is evaluated again and element
    ``__CONFIG_IDX__`` is returned (so configs holding lambdas work), after checking it
    against the planned config (RuntimeError if the builder is not deterministic). For a
    sweep file the config is decoded from the planned config.json. Cached per process.
    """
    key = _env_key()
    if key not in _CONFIG_CACHE:
        _CONFIG_CACHE[key] = _config_from_env()
    return _CONFIG_CACHE[key]


def get_result_dir():
    """This run's result folder (``<dst_dir>/result_<idx>``), or None outside a sweep."""
    path = os.environ.get("__NOTEBOOK_CONFIG_PATH__")
    if path:
        return os.path.dirname(path)
    dst, idx = os.environ.get("__CONFIG_DST_DIR__"), os.environ.get("__CONFIG_IDX__")
    if dst and idx:
        return os.path.join(dst, "result_%s" % idx.strip())
    return None


def _json_default(obj):
    tolist = getattr(obj, "tolist", None)
    if callable(tolist) and not isinstance(obj, type):
        return tolist()
    raise TypeError("Object of type %s is not JSON serializable" % type(obj).__name__)


def _finite(value):
    """Non-finite floats become the strings "NaN", "Infinity", "-Infinity"."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def record(name, value):
    """Record a JSON-able result for the sweep summary (a column named ``name``).

    In a run's kernel it is published as display data of the single MIME type
    ``application/vnd.run-notebook.record+json`` with value ``{"name", "value"}``; the
    runner collects it and leaves it out of the saved notebook. Recording a name again
    replaces the value. NaN and infinities are stored as "NaN", "Infinity", "-Infinity".
    Every record is also kept in this module (``records()``). Outside a run (JupyterLab,
    papermill, plain Python) it only keeps the value there and shows nothing.
    """
    if not isinstance(name, str) or not name:
        raise TypeError("record(name, value): name must be a non-empty string, got %r" % (name,))
    try:
        text = json.dumps(value, default=_json_default)
    except (TypeError, ValueError) as err:
        raise TypeError("record(%r, ...): the value is not JSON-able: %s" % (name, err))
    clean = _finite(json.loads(text))
    entry = {"name": name, "value": clean}
    _RECORDS.append(entry)
    ipython = sys.modules.get("IPython")
    shell = None
    if ipython is not None:
        try:
            shell = ipython.get_ipython()
        except Exception:
            shell = None
    # Only a run sets __CONFIG_IDX__; elsewhere a front end would show the unknown MIME type.
    if shell is not None and os.environ.get("__CONFIG_IDX__", "").strip():
        from IPython.display import publish_display_data

        publish_display_data(data={RECORD_MIME: entry})


def records():
    """The results recorded in this process, in order: a list of {"name", "value"}."""
    return list(_RECORDS)
