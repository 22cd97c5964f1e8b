import assist


def test_all_names_exist_and_are_sorted() -> None:
    assert all(hasattr(assist, name) for name in assist.__all__)
    assert assist.__all__ == sorted(assist.__all__)


def test_core_never_imports_streamlit() -> None:
    from pathlib import Path

    sources = Path(assist.__file__).parent.rglob("*.py")
    offenders = [p.name for p in sources if "import streamlit" in p.read_text() or "from streamlit" in p.read_text()]
    assert offenders == []
