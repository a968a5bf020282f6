# Put in place of traceback.py's `import _colorize` before the stdlib is compiled (STDLIB_PATCHES in
# builder/runtime/package.py). _colorize builds its colour themes out of dataclasses when imported:
# about 33 ms of Pyodide's boot, for colours a worker never prints. It now loads on first use.
class _LazyColorize:
    def __getattr__(self, name):
        global _colorize
        import _colorize
        return getattr(_colorize, name)


_colorize = _LazyColorize()
