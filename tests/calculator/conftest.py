import sys
from pathlib import Path

# Make `import calculator` and the shared test data work however pytest is started
# (repo root, this folder, or a copy of both inside Pyodide).
HERE = Path(__file__).resolve().parent
for folder in (HERE, HERE.parent.parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
