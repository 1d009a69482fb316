"""Dictionaries: the three file formats, building in code, and malformed files."""

import doctest

import pytest

import analysis.framing.dictionary as dictionary_module
from analysis.framing.dictionary import Dictionary, DictionaryEntry, dictionary_from_dict, read_dictionary
from analysis.errors import LexiconError, ParameterError


def _write(tmp_path, name, text, *, encoding="utf-8", newline="\n"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def _flat(d):
    return {c: [(e.pattern, e.valuetype, e.weight) for e in entries] for c, entries in d.categories.items()}


def test_doctests():
    assert doctest.testmod(dictionary_module).failed == 0


# ------------------------------------------------------------------------------ our YAML format
OUR_YAML = """\
name: demo
description: >
  Ein kleines Wörterbuch
  zum Testen.
categories:
  delegitimising:
    - Diktator*
    - {regex: '^[\\w-]*regime(?!nt)'}
  warmth:
    - beste* Freund*
    - {lemma: lächeln, weight: 2}
  framing.official:
    - {fixed: Staatsoberhaupt}
    - {glob: "Staats- und Regierungschef*"}
"""


def test_our_yaml(tmp_path):
    d = read_dictionary(_write(tmp_path, "demo.yml", OUR_YAML))
    assert isinstance(d, Dictionary)
    assert d.name == "demo"
    assert d.description == "Ein kleines Wörterbuch zum Testen."
    assert _flat(d) == {
        "delegitimising": [("Diktator*", "glob", None), ("^[\\w-]*regime(?!nt)", "regex", None)],
        "warmth": [("beste* Freund*", "glob", None), ("lächeln", "lemma", 2.0)],
        "framing.official": [("Staatsoberhaupt", "fixed", None), ("Staats- und Regierungschef*", "glob", None)],
    }
    frame = d.to_frame()
    assert frame["weight"].tolist() == [1.0, 1.0, 1.0, 2.0, 1.0, 1.0]


def test_our_yaml_without_name_takes_the_file_name(tmp_path):
    d = read_dictionary(_write(tmp_path, "mein_lexikon.yaml", "categories:\n  a: [x*]\n"))
    assert d.name == "mein_lexikon" and d.description == ""


# ------------------------------------------------------------------------------ quanteda YAML
QUANTEDA_YAML = """\
framing:
  delegitimising:
    - Diktator*
    - Autokrat*
  warmth:
    personal:
      - beste* Freund*
      - lächel*
    political: [Partnerschaft]
threat:
  - Waffe*
"""


def test_quanteda_yaml_with_nesting(tmp_path):
    d = read_dictionary(_write(tmp_path, "quanteda.yml", QUANTEDA_YAML))
    assert d.name == "quanteda"
    assert list(d.categories) == [
        "framing.delegitimising", "framing.warmth.personal", "framing.warmth.political", "threat",
    ]
    assert _flat(d)["framing.warmth.personal"] == [("beste* Freund*", "glob", None), ("lächel*", "glob", None)]
    assert all(e.valuetype == "glob" for entries in d.categories.values() for e in entries)


def test_quanteda_yaml_refuses_regex_entries(tmp_path):
    path = _write(tmp_path, "q.yml", "a:\n  - {regex: '^x'}\n")
    with pytest.raises(LexiconError, match="quanteda dictionary holds only glob"):
        read_dictionary(path)


# ------------------------------------------------------------------------------ LIWC .dic
LIWC = """\
%
1\tdelegitimising
2\twarmth
3\tempty
%
diktator*\t1
autokrat*\t1
beste freunde\t2
lächeln\t2
machthaber\t1\t2
"""


def _check_liwc(d):
    assert list(d.categories) == ["delegitimising", "warmth", "empty"]
    assert _flat(d) == {
        "delegitimising": [("diktator*", "glob", None), ("autokrat*", "glob", None), ("machthaber", "fixed", None)],
        "warmth": [("beste freunde", "fixed", None), ("lächeln", "fixed", None), ("machthaber", "fixed", None)],
        "empty": [],
    }


def test_liwc(tmp_path):
    d = read_dictionary(_write(tmp_path, "liwc.dic", LIWC))
    assert d.name == "liwc"
    _check_liwc(d)


def test_liwc_with_bom_and_windows_line_endings(tmp_path):
    _check_liwc(read_dictionary(_write(tmp_path, "liwc.dic", LIWC, encoding="utf-8-sig", newline="\r\n")))


def test_liwc_in_cp1252(tmp_path):
    _check_liwc(read_dictionary(_write(tmp_path, "liwc.dic", LIWC, encoding="cp1252")))


def test_liwc_separated_by_spaces(tmp_path):
    text = (
        "%\n1 delegitimising\n2 warmth\n3 empty\n%\n"
        "diktator* 1\nautokrat* 1\nbeste freunde 2\nlächeln 2\nmachthaber 1 2\n"
    )
    _check_liwc(read_dictionary(_write(tmp_path, "liwc.dic", text)))


def test_liwc_multiword_glob_entry(tmp_path):
    d = read_dictionary(_write(tmp_path, "x.dic", "%\n7\twarmth\n%\nbeste* freund*\t7\n"))
    assert _flat(d) == {"warmth": [("beste* freund*", "glob", None)]}


# ------------------------------------------------------------------------------ building in code
def test_dictionary_from_dict():
    d = dictionary_from_dict(
        {"labels": {"bad": ["Diktator*"], "neutral": [{"fixed": "Präsident"}]}, "warmth": ["lächel*"]},
        name="code",
        description="im Code",
    )
    assert (d.name, d.description) == ("code", "im Code")
    assert _flat(d) == {
        "labels.bad": [("Diktator*", "glob", None)],
        "labels.neutral": [("Präsident", "fixed", None)],
        "warmth": [("lächel*", "glob", None)],
    }


def test_entry_compiles_to_a_kwic_pattern():
    assert DictionaryEntry("beste* Freund*").compile().matches(["besten", "Freunde"])
    assert not DictionaryEntry("Freund", "fixed").compile().matches(["Freunde"])


def test_dictionary_rejects_foreign_entries():
    with pytest.raises(ParameterError):
        Dictionary("x", "", {"a": ("Diktator*",)})
    with pytest.raises(ParameterError):
        Dictionary("x", "", {"a..b": ()})


# ------------------------------------------------------------------------------ malformed files
def _error(tmp_path, name, text):
    path = _write(tmp_path, name, text)
    with pytest.raises(LexiconError) as caught:
        read_dictionary(path)
    error = caught.value
    assert error.file == str(path)
    assert error.hint
    assert name in str(error)
    return error


def test_liwc_unknown_category_id(tmp_path):
    error = _error(tmp_path, "bad.dic", "%\n1\ta\n2\tb\n%\ngut\t1\nschlecht\t3\n")
    assert error.row == 6
    assert "'3'" in str(error) and "schlecht" in str(error) and "row 6" in str(error)


def test_liwc_without_second_percent_line(tmp_path):
    _error(tmp_path, "bad.dic", "%\n1\ta\ngut\t1\n")


def test_liwc_word_without_category(tmp_path):
    assert _error(tmp_path, "bad.dic", "%\n1\ta\n%\ngut\n").row == 4


def test_yaml_category_that_is_not_a_list(tmp_path):
    error = _error(tmp_path, "bad.yml", "categories:\n  warmth: lächel*\n")
    assert "'warmth'" in str(error) and "not a list" in str(error)


def test_yaml_nested_category_in_our_format_is_not_a_list(tmp_path):
    error = _error(tmp_path, "bad.yml", "categories:\n  framing:\n    warmth: [x]\n")
    assert "'framing'" in str(error)


def test_quanteda_category_that_is_not_a_list(tmp_path):
    error = _error(tmp_path, "bad.yml", "framing:\n  warmth: 3\n")
    assert "'framing.warmth'" in str(error)


def test_invalid_regex(tmp_path):
    error = _error(tmp_path, "bad.yml", "categories:\n  a:\n    - ok*\n    - {regex: 'Regime(('}\n")
    assert "category 'a', entry 2" in str(error) and "regular expression" in str(error)


def test_empty_pattern(tmp_path):
    error = _error(tmp_path, "bad.yml", "categories:\n  a:\n    - '  '\n")
    assert "category 'a', entry 1" in str(error) and "empty" in str(error)


def test_empty_category(tmp_path):
    assert "no entries" in str(_error(tmp_path, "bad.yml", "categories:\n  a: []\n"))


def test_entry_with_two_value_types(tmp_path):
    _error(tmp_path, "bad.yml", "categories:\n  a:\n    - {regex: x, glob: y}\n")


def test_bad_weight(tmp_path):
    assert "weight" in str(_error(tmp_path, "bad.yml", "categories:\n  a:\n    - {glob: x, weight: -1}\n"))


def test_unknown_top_level_key(tmp_path):
    assert "'descripton'" in str(_error(tmp_path, "bad.yml", "descripton: x\ncategories:\n  a: [x]\n"))


def test_python_object_tag_is_refused(tmp_path):
    error = _error(tmp_path, "evil.yml", "categories:\n  a:\n    - !!python/object/apply:os.system ['echo hi']\n")
    assert error.row == 3


def test_invalid_yaml_names_the_line(tmp_path):
    assert _error(tmp_path, "bad.yml", "categories:\n  a: [x\n  b: y\n").row is not None


def test_empty_and_missing_files(tmp_path):
    _error(tmp_path, "empty.yml", "  \n")
    with pytest.raises(LexiconError, match="no such file"):
        read_dictionary(tmp_path / "missing.yml")
