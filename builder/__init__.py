"""Site build pipeline: content -> validate -> render -> build -> bundle.

Each stage is a module of its own; `builder.dev.cli` wires them to `build.py`.
"""
