"""run-notebook's warm-kernel launcher: the process the Jupyter server starts as "the kernel".

argv: <template socket> -- <the kernel's own argv>. It asks the template to fork a
kernel with this process's environment, cwd and stdio, then stands in for it: signals
the server sends (interrupt, terminate) go to the kernel's process group, and it exits
as the kernel exits. If the template cannot fork, it becomes the kernel itself, cold,
and notes why in cold.log beside the socket (the runner reports it in one line).
It runs once per kernel, so it imports only modules built into the interpreter (_socket,
_signal, select, marshal: json, socket and signal would triple its start-up CPU), and is
run with -I -S. Messages both ways are a 4-byte length and a marshal'd dict.
"""
import _signal
import _socket
import marshal
import os
import select
import sys

FORWARDED = (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP, _signal.SIGQUIT, _signal.SIGUSR1, _signal.SIGUSR2)


def cold(sock_path, argv, why):
    try:
        with open(os.path.join(os.path.dirname(sock_path), "cold.log"), "a", encoding="utf8") as f:
            f.write(" ".join(str(why).split()) + "\n")
    except OSError:
        pass
    exe = argv[0]
    # jupyter_client runs a kernelspec's bare "python" as its own interpreter; so did it for this launcher.
    if os.path.basename(exe) == exe and exe.startswith("python"):
        exe = sys.executable
    os.execvp(exe, [exe, *argv[1:]])


def read_message(sock, buf):
    while len(buf[0]) < 4 or len(buf[0]) < 4 + int.from_bytes(buf[0][:4], "big"):
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf[0] += chunk
    size = int.from_bytes(buf[0][:4], "big")
    body, buf[0] = buf[0][4 : 4 + size], buf[0][4 + size :]
    return marshal.loads(body)


def wait_gone(pid):
    try:
        fd = os.pidfd_open(pid)
        select.select([fd], [], [])
        return
    except (AttributeError, OSError):
        pass
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        select.select([], [], [], 0.2)


def restore():
    for sig in FORWARDED:
        _signal.signal(sig, _signal.SIG_DFL)


def main():
    sock_path, sep, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
    if sep != "--" or not argv:
        sys.exit("usage: launch.py SOCKET -- KERNEL_ARGV...")
    pending = []
    for sig in FORWARDED:
        _signal.signal(sig, lambda signum, _frame: pending.append(signum))
    buf = [b""]
    try:
        sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        sock.settimeout(15)
        sock.connect(sock_path)
        request = {
            "argv": argv,
            "env": dict(os.environ),
            "cwd": os.getcwd(),
            "launcher": os.getpid(),
            "executable": sys.executable,
        }
        body = marshal.dumps(request)
        fds = b"".join(fd.to_bytes(4, sys.byteorder, signed=True) for fd in (0, 1, 2))
        sock.sendmsg([b"R"], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)])
        sock.sendall(len(body).to_bytes(4, "big") + body)
        reply = read_message(sock, buf)
    except Exception as e:  # noqa: BLE001 - no template, no warm kernel
        restore()
        cold(sock_path, argv, "no template: %s: %s" % (type(e).__name__, e))
        return
    if not reply or "pid" not in reply:
        restore()
        cold(sock_path, argv, (reply or {}).get("error", "the template closed the connection"))
        return
    pid = reply["pid"]

    def forward(signum, _frame):
        try:
            os.killpg(pid, signum)
        except ProcessLookupError:
            pass
        except PermissionError:
            os.kill(pid, signum)

    for sig in FORWARDED:
        _signal.signal(sig, forward)
    for signum in pending:
        forward(signum, None)
    sock.settimeout(None)
    try:
        message = read_message(sock, buf)
    except OSError:
        message = None
    if not message or "exit" not in message:
        # The template went first: the kernel may still run, unreaped by us.
        wait_gone(pid)
        os._exit(1)
    status = message["exit"]
    if status.get("signal"):
        _signal.signal(status["signal"], _signal.SIG_DFL)
        os.kill(os.getpid(), status["signal"])
        os._exit(128 + status["signal"])
    os._exit(status.get("code") or 0)


if __name__ == "__main__":
    main()
