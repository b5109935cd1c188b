"""run-notebook's warm-kernel template (see src/jupyter/warm/ and README "Warm kernels").

Started once per sweep by the runner, in the kernel's own interpreter. It imports
ipykernel and the modules the notebook imports, then forks one child per kernel start:
a launcher (launch.py, run by the Jupyter server in place of the kernel) connects to its
unix socket and sends the kernel's argv, environment, cwd and stdio; the child becomes
that kernel. The template itself never runs a cell, creates no ZMQ context, event loop
or thread, and exits when the runner does.

Protocol: on stdout, one JSON line once ready ({"ok": true, ...} or {"ok": false,
"reason": ...}). On the socket, per launcher: its fds 0-2 with a 1-byte message, then a
request; the template answers {"pid": N} or {"error": ...}, then {"exit": {"code": C} |
{"signal": S}} when the child ends. Each message is a 4-byte big-endian length and a
marshal'd dict (the launcher has no json: see launch.py).
"""
import json
import marshal
import os
import select
import signal
import socket
import struct
import sys

TEMPLATE_PID = os.getpid()

KERNEL_INIT_MODULES = (
    "ipykernel.debugger",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "IPython.utils.wildcard",
    "tornado.gen",
    "tornado.locks",
    "tornado.platform.asyncio",
    "tornado.queues",
    "sqlite3",
    "psutil",
)


def _die_with_parent(parent):
    """SIGKILL when the runner dies (Linux prctl), on top of the getppid() poll in serve()."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass
    if os.getppid() != parent:
        os._exit(1)


def _say(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def top_level_imports(sources):
    """Modules named by top-level `import x` / `from x import y` statements, in order.

    Cells are parsed, never run. IPython syntax (magics, !shell) goes through IPython's
    own transformer first; a cell that still does not parse is skipped. Each entry is
    (name, maybe_submodule): `from x import y` yields x, and x.y only if that is a module.
    """
    import ast

    try:
        from IPython.core.inputtransformer2 import TransformerManager

        transform = TransformerManager().transform_cell
    except Exception:
        transform = lambda s: s  # noqa: E731
    found, seen = [], set()

    def add(name, maybe):
        if name and name not in seen and name.split(".")[0] not in ("__future__", "run_notebook"):
            seen.add(name)
            found.append((name, maybe))

    for src in sources:
        try:
            tree = ast.parse(transform(src))
        except Exception:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                for a in node.names:
                    add(a.name, False)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                add(node.module, False)
                for a in node.names:
                    if a.name != "*":
                        add(node.module + "." + a.name, True)
    return found


def _gpu_fds():
    """Device files a GPU runtime keeps open once initialised (CUDA, ROCm)."""
    out = []
    try:
        for fd in os.listdir("/proc/self/fd"):
            try:
                target = os.readlink("/proc/self/fd/" + fd)
            except OSError:
                continue
            if target.startswith("/dev/nvidia") or target == "/dev/kfd":
                out.append(target)
    except OSError:
        pass
    return out


def _fork_hazard():
    """Why forking now would not give clean kernels, or None."""
    import threading

    others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    if others:
        return "started threads (" + ", ".join(others[:3]) + ")"
    if _gpu_fds():
        return "initialised a GPU"
    zmq = sys.modules.get("zmq")
    if zmq is not None and getattr(zmq.Context, "_instance", None) is not None:
        return "created a ZMQ context"
    asyncio = sys.modules.get("asyncio")
    if asyncio is not None:
        policy = getattr(asyncio.events, "_event_loop_policy", None)
        local = getattr(policy, "_local", None)
        if getattr(local, "_loop", None) is not None:
            return "created an asyncio event loop"
    return None


def _is_local(name, cwd):
    """A module found in the notebook's folder is the user's code: it is imported by the run, not here."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name.split(".")[0])
    except Exception:
        return False
    origin = getattr(spec, "origin", None) or ""
    locations = list(getattr(spec, "submodule_search_locations", None) or [])
    paths = [os.path.realpath(p) for p in [origin, *locations] if p and os.path.isabs(p)]
    # An environment inside the project folder (project/.venv) is installed code, not the user's.
    installed = {os.path.realpath(p) + os.sep for p in (sys.prefix, sys.exec_prefix)}
    return any(p.startswith(cwd + os.sep) and not any(p.startswith(i) for i in installed) for p in paths)


def warm_up(imports, scanned, cwd):
    """Imports ipykernel and the wanted modules. Returns (imported, skipped) or raises Refused."""
    import importlib
    import importlib.util

    # As ipykernel does at kernel start, so matplotlib imported here picks the inline backend.
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    import ipykernel.kernelapp  # noqa: F401
    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.zmqshell  # noqa: F401

    # What IPKernelApp.initialize() imports on its own (the debugger's debugpy/pydevd
    # above all): ~170 modules a cold kernel loads at start-up, loaded once here instead.
    for name in KERNEL_INIT_MODULES:
        try:
            importlib.import_module(name)
        except Exception:
            pass

    hazard = _fork_hazard()
    if hazard:
        raise Refused("importing ipykernel " + hazard)
    imported, skipped = [], []
    for name, maybe_submodule in imports:
        if scanned and _is_local(name, cwd):
            skipped.append(name + " (local)")
            continue
        if maybe_submodule:
            try:
                if importlib.util.find_spec(name) is None:
                    continue
            except Exception:
                continue
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:
            if scanned and e.name == name.split(".")[0]:
                skipped.append(name + " (not installed)")
                continue
            raise Refused("import %s failed: %s: %s" % (name, type(e).__name__, e))
        except BaseException as e:  # noqa: BLE001 - any failure means: run cold
            raise Refused("import %s failed: %s: %s" % (name, type(e).__name__, str(e).splitlines()[0] if str(e) else ""))
        hazard = _fork_hazard()
        if hazard:
            raise Refused("importing %s %s; leave it out with --warm_imports" % (name, hazard))
        imported.append(name)
    return imported, skipped


class Refused(Exception):
    pass


class PrefixFailed(Exception):
    pass


PREFIX_GUARD = (
    "get_config_from_env() cannot be called above the parameters cell with --warm_prefix: "
    "that code runs once for the whole sweep, before any config exists; call it below the parameters cell"
)


def _helper_module(helper_path):
    """The run_notebook helper as the preamble defines it, with get_config_from_env() refused in this process.

    Marked with its file, so a fork's preamble (src/jupyter/preamble.ts) keeps it instead
    of reading and compiling that file again. A fork's copy is as fresh as a new one: the
    module keeps its state in variables nothing here has called into.
    """
    import types

    m = types.ModuleType("run_notebook")
    m.__file__ = "<run_notebook>"
    with open(helper_path, encoding="utf8") as f:
        exec(compile(f.read(), "<run_notebook>", "exec"), m.__dict__)
    real = m.get_config_from_env

    def get_config_from_env():
        if os.getpid() == TEMPLATE_PID:
            raise RuntimeError(PREFIX_GUARD)
        return real()

    get_config_from_env.__doc__ = real.__doc__
    m.get_config_from_env = get_config_from_env
    m.__run_notebook_helper__ = helper_path
    sys.modules["run_notebook"] = m


def run_prefix(sources):
    """Executes the cells above the parameters cell once, here, collecting nbformat outputs.

    Returns (results, state): per cell {"outputs", "execution_count"}, and what a fork's
    kernel continues from (the namespace, the next execution count). A failing cell raises
    PrefixFailed with its error.
    """
    import atexit

    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    sink = {"outputs": None, "by_display_id": {}}

    def emit(output):
        sink["outputs"].append(output)

    class Stream:
        def __init__(self, name):
            self.name = name
            self.encoding = "utf-8"

        def write(self, text):
            if not text:
                return 0
            outs = sink["outputs"]
            if outs and outs[-1].get("output_type") == "stream" and outs[-1]["name"] == self.name:
                outs[-1]["text"] += text
            else:
                emit({"output_type": "stream", "name": self.name, "text": text})
            return len(text)

        def flush(self):
            pass

        def isatty(self):
            return False

    class Hook(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            emit({"output_type": "execute_result", "data": format_dict, "metadata": md_dict or {}, "execution_count": self.shell.execution_count})

    class Pub(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            display_id = (transient or {}).get("display_id")
            if update and display_id in sink["by_display_id"]:
                sink["by_display_id"][display_id].update({"data": data, "metadata": metadata or {}})
                return
            out = {"output_type": "display_data", "data": data, "metadata": metadata or {}}
            if display_id:
                sink["by_display_id"][display_id] = out
            emit(out)

        def clear_output(self, wait=False):
            sink["outputs"][:] = []

    class PrefixShell(InteractiveShell):
        displayhook_class = Hook
        display_pub_class = Pub

        def _showtraceback(self, etype, evalue, stb):
            emit({"output_type": "error", "ename": etype.__name__, "evalue": str(evalue), "traceback": list(stb)})

    config = Config()
    config.HistoryManager.hist_file = ":memory:"  # no history thread, no file
    shell = PrefixShell.instance(config=config)
    atexit.unregister(shell.atexit_operations)
    results = []
    saved = sys.stdout, sys.stderr
    for i, src in enumerate(sources):
        sink["outputs"] = []
        sys.stdout, sys.stderr = Stream("stdout"), Stream("stderr")
        try:
            count = shell.execution_count
            result = shell.run_cell(src, store_history=True)
        finally:
            sys.stdout, sys.stderr = saved
        for out in sink["outputs"]:
            if out["output_type"] == "execute_result":
                out["execution_count"] = count
        results.append({"outputs": sink["outputs"], "execution_count": count})
        if not result.success:
            err = next((o for o in sink["outputs"] if o["output_type"] == "error"), None)
            what = "%s: %s" % (err["ename"], err["evalue"]) if err else repr(result.error_before_exec or result.error_in_exec)
            raise PrefixFailed(json.dumps({"cell": i, "error": what, "outputs": sink["outputs"]}))
    return results, {"ns": shell.user_ns, "next_count": shell.execution_count, "shell_class": PrefixShell}


def _recv_exact(conn, n):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            raise EOFError("launcher closed the connection")
        buf += chunk
    return buf


def _send(conn, obj):
    body = marshal.dumps(obj)
    try:
        conn.sendall(len(body).to_bytes(4, "big") + body)
    except OSError:
        pass


def _environment(executable):
    """Which Python environment an interpreter path starts: venvs of one base Python share
    its binary (their bin/python is a symlink to it), so a venv is told by its pyvenv.cfg,
    found as Python finds it (beside the executable or one folder up)."""
    exe = os.path.abspath(executable)
    for d in (os.path.dirname(exe), os.path.dirname(os.path.dirname(exe))):
        if os.path.isfile(os.path.join(d, "pyvenv.cfg")):
            return ("venv", os.path.realpath(d))
    return ("python", os.path.realpath(exe))


def _kernel_plan(request):
    """sys.argv[0] and the arguments of the `python [opts] -m ipykernel_launcher ...` this fork stands in for."""
    import importlib.util

    exe = request.get("executable") or ""
    if _environment(exe) != _environment(sys.executable):
        raise ValueError("the kernel runs %s, the template %s" % (exe, sys.executable))
    argv = request["argv"]
    if "-m" not in argv[1:]:
        raise ValueError("the kernel command does not run a module (-m)")
    at = argv.index("-m", 1)
    module = argv[at + 1] if at + 1 < len(argv) else ""
    if module not in ("ipykernel_launcher", "ipykernel"):
        raise ValueError("the kernel command runs %s, not ipykernel" % module)
    spec = importlib.util.find_spec(module if module == "ipykernel_launcher" else "ipykernel.__main__")
    return {"main": spec.origin, "args": argv[at + 2 :]}


def serve(listener, parent, path_zero):
    """Forks a kernel per request until the runner goes. Returns only in a child: (request, fds)."""
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake_w)
    children = {}  # pid -> launcher connection
    while True:
        if os.getppid() != parent:
            os._exit(0)
        try:
            ready, _, _ = select.select([listener, wake_r], [], [], 1.0)
        except InterruptedError:
            ready = []
        if wake_r in ready:
            try:
                while os.read(wake_r, 512):
                    pass
            except (BlockingIOError, OSError):
                pass
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            conn = children.pop(pid, None)
            if conn is not None:
                sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
                _send(conn, {"exit": {"signal": sig} if sig else {"code": os.waitstatus_to_exitcode(status)}})
                conn.close()
        if listener not in ready:
            continue
        try:
            conn, _ = listener.accept()
        except OSError:
            continue
        fds = []
        try:
            conn.settimeout(10)
            _, fds, _, _ = socket.recv_fds(conn, 1, 3)
            (size,) = struct.unpack("!I", _recv_exact(conn, 4))
            request = marshal.loads(_recv_exact(conn, size))
            request.update(_kernel_plan(request))
            pid = os.fork()
        except Exception as e:  # noqa: BLE001 - the launcher then starts the kernel cold
            _send(conn, {"error": str(e) if isinstance(e, ValueError) else "no fork: %s: %s" % (type(e).__name__, e)})
            conn.close()
            for fd in fds:
                os.close(fd)
            continue
        if pid == 0:
            # The child: drop everything that belongs to the template.
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            for fd in (wake_r, wake_w):
                os.close(fd)
            listener.close()
            conn.close()
            for other in children.values():
                other.close()
            return request, fds
        for fd in fds:
            os.close(fd)
        conn.settimeout(None)
        children[pid] = conn
        _send(conn, {"pid": pid})


def _watch_launcher(launcher):
    """The launcher stands in for this kernel: if it goes (SIGKILL from the server), so does the kernel's process group."""
    import threading
    import time

    def watch():
        try:
            fd = os.pidfd_open(launcher)
        except (AttributeError, OSError):
            fd = None
        while True:
            if fd is not None:
                if select.select([fd], [], [], 5.0)[0]:
                    break
            else:
                time.sleep(0.5)
                try:
                    os.kill(launcher, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    pass
        os.killpg(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="run-notebook-launcher-watch", daemon=True).start()


def become_kernel(request, fds, path_rest, import_env, prefix_state, fork_modules):
    """Turns a fresh fork into the kernel a cold start of the same argv would have made."""
    os.setsid()
    for target, fd in enumerate(fds[:3]):
        os.dup2(fd, target)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.environ.clear()
    os.environ.update(request["env"])
    for k, v in import_env.items():
        os.environ.setdefault(k, v)
    os.chdir(request["cwd"])
    sys.argv = [request["main"], *request["args"]]
    # What `python -m ipykernel_launcher` has once the launcher dropped the cwd entry;
    # IPython puts '' back in front as it starts.
    sys.path[:] = list(path_rest)
    # A fresh process draws fresh random numbers: reseed the global generators a cold
    # kernel would have seeded from the OS (random also does this itself at fork).
    import random

    random.seed()
    np_random = sys.modules.get("numpy.random")
    if np_random is not None:
        try:
            np_random.seed()
        except Exception:
            pass
    _watch_launcher(request["launcher"])
    from ipykernel.kernelapp import IPKernelApp

    args = list(request["args"])
    if not any(a.startswith("--HistoryManager.hist_file") for a in args):
        args.append("--HistoryManager.hist_file=:memory:")
    # IPKernelApp reads JPY_PARENT_PID when ipykernel is imported (in the template, without
    # it): give it the server's, as a cold kernel has, or it prints its `ipython kernel` notes.
    parent_pid = os.environ.get("JPY_PARENT_PID")
    if parent_pid and parent_pid.isdigit() and not any(a.startswith("--IPKernelApp.parent_handle") for a in args):
        args.append("--IPKernelApp.parent_handle=" + parent_pid)
    if prefix_state is None:
        IPKernelApp.launch_instance(argv=args)
    else:
        # --warm_prefix: the kernel continues from the prefix's namespace and execution count.
        prefix_state["shell_class"].clear_instance()
        app = IPKernelApp.instance(user_ns=prefix_state["ns"])
        app.initialize(args)
        app.kernel.shell.execution_count = prefix_state["next_count"]
        app.start()
    exit_after_shutdown(IPKernelApp.instance(), fork_modules)


def exit_after_shutdown(app, fork_modules):
    """Ends a fork whose kernel shut down cleanly, without the interpreter's teardown.

    Python's finalization frees every module, and so writes to nearly every page the fork
    shares with the template (copy-on-write faults): ~60 ms CPU in a fork-and-exit test,
    15.9 -> 11.3 CPU-s for the forks of a 100-config sweep. What a run could observe of that teardown is kept, in the
    interpreter's order: waiting for non-daemon threads, atexit callbacks (logging,
    weakref.finalize, multiprocessing), then freeing what the run itself made (its
    namespace and the modules it imported), so that objects left open (a file never
    closed, a ZipFile) are flushed and closed by their destructors as at a cold exit.
    """
    import atexit
    import gc
    import threading

    try:
        threading._shutdown()
    except Exception:
        pass
    # ipykernel's atexit close() stops the IOPub thread before it joins the control
    # thread, which may still be flushing its shutdown reply through IOPub (then it waits
    # for jupyter_client's SIGTERM). Its loop is stopped and joined first, IOPub still up.
    control = getattr(app, "control_thread", None)
    if control is not None and control.is_alive():
        try:
            control.stop()
            control.join(2.0)
        except Exception:
            pass
    atexit._run_exitfuncs()
    try:
        app.kernel.shell.user_ns.clear()
    except Exception:
        pass
    for name in [n for n in sys.modules if n not in fork_modules]:
        module = sys.modules.pop(name, None)
        try:
            module.__dict__.clear()
        except Exception:
            pass
    gc.collect()
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except Exception:
            pass
    os._exit(0)


def main():
    argv = sys.argv[1:]
    opts = dict(zip(argv[::2], argv[1::2]))
    parent = int(opts["--parent"])
    _die_with_parent(parent)
    cwd = os.path.realpath(opts["--cwd"])
    os.chdir(cwd)
    # Run as a script, the template has its own folder first on sys.path; a kernel
    # started with -m has the cwd there, which ipykernel_launcher removes.
    path_rest = list(sys.path[1:])
    sys.path[0] = cwd
    try:
        if "--scan" in opts:
            with open(opts["--scan"], encoding="utf8") as f:
                imports, scanned = top_level_imports(json.load(f)), True
        else:
            names = [n.strip() for n in opts.get("--imports", "").split(",") if n.strip()]
            imports, scanned = [(n, False) for n in names], False
        env_before = dict(os.environ)
        imported, skipped = warm_up(imports, scanned, cwd)
        if "--helper" in opts:
            _helper_module(opts["--helper"])
        prefix_results, prefix_state = None, None
        if "--prefix" in opts:
            with open(opts["--prefix"], encoding="utf8") as f:
                prefix_results, prefix_state = run_prefix(json.load(f))
            hazard = _fork_hazard()
            if hazard:
                raise Refused("the cells above the parameters cell %s" % hazard)
        # Variables the imports set (ipykernel.debugger sets PYDEVD_USE_FRAME_EVAL): a cold
        # kernel has them too, since it runs the same imports in its own environment.
        import_env = {k: v for k, v in os.environ.items() if env_before.get(k) != v}
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(opts["--socket"])
        listener.listen(64)
    except Refused as e:
        _say({"ok": False, "reason": str(e)})
        return 0
    except PrefixFailed as e:
        _say({"ok": False, "prefix_failed": json.loads(str(e))})
        return 0
    except BaseException as e:  # noqa: BLE001
        _say({"ok": False, "reason": "%s: %s" % (type(e).__name__, e)})
        return 0
    sys.path[:] = path_rest
    # Objects that exist now are never collected in a child: frozen, a child's garbage
    # collections skip them instead of touching (and so copying) every page they live on.
    import gc

    gc.collect()
    gc.freeze()
    _say({"ok": True, "imported": imported, "skipped": skipped, "executable": os.path.realpath(sys.executable), "pid": os.getpid(), "prefix": prefix_results})
    # The children get the launcher's stdio; the template keeps nothing open on the runner's pipes.
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(devnull, fd)
    os.close(devnull)
    fork_modules = frozenset(sys.modules)
    request, fds = serve(listener, parent, path_rest)
    become_kernel(request, fds, path_rest, import_env, prefix_state, fork_modules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
