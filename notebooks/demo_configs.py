"""The same demo sweep as a Python config builder:

    run-notebook --notebook notebooks/demo.ipynb --config_builder "demo_configs.build()" --dst_dir demo_out

A bare name such as `build()` would be looked up in a `configs.py` beside the notebook.
"""


def build(seeds=(1, 2, 3), sizes=(2_000, 20_000)):
    return [{"n": n, "seed": seed} for n in sizes for seed in seeds]
