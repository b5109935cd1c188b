"""Writes fixtures/engine/*.ipynb. Rerun after changing a fixture: .venv/bin/python scripts/make-engine-fixtures.py"""
import os
import nbformat
from nbformat.v4 import new_notebook, new_code_cell, new_markdown_cell, new_raw_cell

HERE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "engine")
KS = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}


def nb(name, cells, **meta):
    n = new_notebook(cells=cells, metadata={**KS, **meta})
    nbformat.validate(n)
    with open(os.path.join(HERE, name + ".ipynb"), "w", encoding="utf-8") as f:
        nbformat.write(n, f)


def tagged(src, *tags):
    return new_code_cell(src, metadata={"tags": list(tags)})


nb("outputs", [
    new_markdown_cell("# Every output type"),
    new_code_cell("import sys\nprint('hello', flush=True)\nprint('to stderr', file=sys.stderr, flush=True)\nprint('again', flush=True)"),
    new_code_cell("import sys, time\nfor i in range(5):\n    sys.stdout.write(f'\\rprogress {i}')\n    sys.stdout.flush()\nprint('\\ndone')\nprint('abc\\bd')"),
    new_code_cell("from IPython.display import display, HTML\ndisplay(HTML('<b>bold</b>'))\n40 + 2"),
    new_code_cell("h = display(HTML('<i>first</i>'), display_id='disp1')"),
    new_code_cell("h.update(HTML('<i>updated</i>'))\nprint('updated the earlier cell')"),
    new_code_cell("from IPython.display import clear_output\nprint('gone')\nclear_output()\nprint('kept')"),
    new_code_cell("print('old')\nclear_output(wait=True)\nprint('new')"),
    new_code_cell("print('héllo wörld ✓ 日本語 🎉')"),
    new_code_cell("import base64\nfrom IPython.display import Image\nImage(data=base64.b64decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='))"),
    new_code_cell(""),
    new_raw_cell("raw stays raw"),
])

nb("error", [
    new_code_cell("x = 1\nprint('before')"),
    new_code_cell("1 / 0"),
    new_code_cell("print('never')"),
])

nb("raises", [
    tagged("raise ValueError('expected')", "raises-exception"),
    new_code_cell("print('after the expected error')"),
])

nb("skip", [
    new_code_cell("print('runs')"),
    tagged("print('skipped')", "skip-execution"),
    new_code_cell("   \n"),
    new_markdown_cell("text"),
    new_code_cell("print('also runs')"),
])

nb("timeout", [
    new_code_cell("print('start')"),
    new_code_cell("import time\nprint('sleeping')\ntime.sleep(60)"),
    new_code_cell("print('never')"),
])

nb("die", [
    new_code_cell("print('alive')"),
    new_code_cell("import os\nos._exit(1)"),
    new_code_cell("print('never')"),
])

nb("input", [
    new_code_cell("name = input('your name? ')"),
    new_code_cell("print('never')"),
])

nb("env", [
    new_code_cell("import os, subprocess\nprint(os.environ.get('RN_TEST_VAR'))\nprint(os.getcwd())"),
    new_code_cell("print(subprocess.check_output(['sh', '-c', 'echo sub:$RN_TEST_VAR']).decode().strip())"),
])

nb("bigstream", [
    new_code_cell("import sys\nline = 'x' * 99 + '\\n'\nfor i in range(100_000):\n    sys.stdout.write(line)"),
    new_code_cell("print('tail')"),
])

nb("sleep", [
    new_code_cell("print('sleeping', flush=True)"),
    new_code_cell("import time\ntime.sleep(120)"),
])

nb("unknown_kernel", [new_code_cell("print(1)")], kernelspec={"name": "no-such-kernel", "display_name": "nope", "language": "python"})

with open(os.path.join(HERE, "broken.ipynb"), "w") as f:
    f.write('{"cells": [ {"cell_type": "code", ')

# --- sweep fixtures -----------------------------------------------------------
SWEEP = os.path.join(os.path.dirname(__file__), "..", "fixtures", "sweep")


def sweep_nb(name, cells):
    n = new_notebook(cells=cells, metadata=KS)
    nbformat.validate(n)
    with open(os.path.join(SWEEP, name + ".ipynb"), "w", encoding="utf-8") as f:
        nbformat.write(n, f)


sweep_nb("train", [
    new_markdown_cell("# A sweep fixture"),
    tagged("lr = 0.5\nseed = 0\nfail = False\nflaky = False\nsleep = 0.0", "parameters"),
    new_code_cell(
        "import os, subprocess, time\n"
        "from run_notebook import get_config_from_env, record\n"
        "config = get_config_from_env()\n"
        "dst = os.environ['__CONFIG_DST_DIR__']\n"
        "started = time.time()\n"
        "print('config', config['lr'], config['seed'])\n"
        "print(subprocess.check_output(['sh', '-c', 'echo sub:$__CONFIG_IDX__:${CUDA_VISIBLE_DEVICES:-none}']).decode().strip())"
    ),
    new_code_cell("time.sleep(sleep)\nif fail:\n    raise RuntimeError(f'config with seed {seed} fails on purpose')"),
    new_code_cell(
        "if flaky:\n"
        "    marker = os.path.join(dst, f'flaky_{seed}')\n"
        "    if not os.path.exists(marker):\n"
        "        open(marker, 'w').close()\n"
        "        raise RuntimeError('flaky: first attempt fails')"
    ),
    new_code_cell(
        "os.makedirs(os.path.join(dst, 'spans'), exist_ok=True)\n"
        "with open(os.path.join(dst, 'spans', os.environ['__CONFIG_IDX__']), 'w') as f:\n"
        "    f.write(f'{started} {time.time()}')\n"
        "record('score', lr * 10 + seed)"
    ),
])

sweep_nb("lambdas", [
    new_code_cell(
        "from run_notebook import get_config_from_env, record\n"
        "config = get_config_from_env()\n"
        "print('fn(3) =', config['fn'](3))\n"
        "record('value', config['fn'](3))"
    ),
])

sweep_nb("papermill_style", [
    tagged("alpha = 1\nname = 'default'", "parameters"),
    new_code_cell("print(name, alpha * 2)"),
])
