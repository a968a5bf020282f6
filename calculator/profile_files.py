"""Read a profile file (YAML or JSON) and name file, line and field for every problem.

Needs PyYAML through calculator.sourcefile, so it is never imported on the Pyodide path.
"""
from __future__ import annotations

from pathlib import Path

from . import sourcefile
from .errors import FieldError, ProfileError
from .profile import Profile, load_profile


class ProfileFileError(ValueError):
    """Every problem of one profile file; str() gives one 'file:line: field: message' per problem."""

    def __init__(self, file: str, problems: list[tuple[int, FieldError]]):
        self.file = file
        self.problems = problems  # (line, error), in file order
        super().__init__(str(self))

    @property
    def errors(self) -> tuple[FieldError, ...]:
        return tuple(e for _, e in self.problems)

    def __str__(self) -> str:
        return "\n".join(f"{self.file}:{line}: {e.field}: {e.message['en']} / {e.message['zh']}"
                         for line, e in self.problems)


def load_profile_file(path: str | Path) -> Profile:
    """Load and validate ``path``; the profile's ``id`` must equal the file name without extension.

    Validation includes the profile's published examples: one the engine does not reproduce
    is an error naming the example, the field, the expected and the computed figure.
    """
    path = Path(path)
    name = str(path)
    try:
        # Unquoted numbers stay text, so the checker can ask for quotes instead of guessing.
        doc = sourcefile.load(path, name, strict_numbers=True)
    except sourcefile.SourceError as exc:
        raise ProfileFileError(exc.file, [(exc.line, FieldError(
            "(file)", "unreadable", {"en": exc.message, "zh": exc.message_zh or "文件无法读取为 YAML/JSON：" + exc.message}))]) from None
    except OSError as exc:
        raise ProfileFileError(name, [(1, FieldError(
            "(file)", "unreadable", {"en": f"cannot read the file: {exc.strerror}",
                                     "zh": "无法读取文件"}))]) from None

    errors: list[FieldError] = []
    profile = None
    try:
        profile = load_profile(doc.data, source=name)
    except ProfileError as exc:
        errors.extend(exc.errors)
    file_id = doc.data.get("id") if isinstance(doc.data, dict) else None
    if isinstance(file_id, str) and file_id != path.stem:
        errors.append(FieldError("id", "id_not_file_name", {
            "en": f"the id '{file_id}' differs from the file name '{path.name}'; make them the same "
                  f"(id: {path.stem}, or rename the file to {file_id}{path.suffix})",
            "zh": f"id“{file_id}”与文件名“{path.name}”不一致；请改为相同（id: {path.stem}，或把文件改名为 "
                  f"{file_id}{path.suffix}）"}, ("id",)))
    if errors:
        problems = sorted(((doc.line_of(e.path), e) for e in errors), key=lambda p: p[0])
        raise ProfileFileError(name, problems)
    assert profile is not None
    return profile
