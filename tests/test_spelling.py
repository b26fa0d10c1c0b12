"""Did-you-mean suggestions: the same as difflib's over every candidate, and bounded per file
while the file is read and while the rules read its facts."""
from __future__ import annotations

import difflib
import random
from pathlib import Path

from wasmlint import budget, spelling
from wasmlint.config import Config
from wasmlint.nodeflags import FlagDB
from wasmlint.pipeline import run_check
from wasmlint.ruleset import all_rules


def test_close_matches_by_length_agree_with_difflib_over_every_candidate():
    flags = sorted(FlagDB.for_major(22)._flags)
    words = spelling.Words(flags)
    rng = random.Random(7)
    probes = [f[:k] + f[k + 1:] for f in rng.sample(flags, 80) for k in (2, len(f) // 2)]
    probes += ["--a1", "--bogus-flag", "--max-old-spacesize", "-x", "--" + "q" * 40]
    for word in probes:
        for cutoff in (0.6, 0.85):
            assert spelling.close_matches(word, words, n=3, cutoff=cutoff) == \
                difflib.get_close_matches(word, flags, n=3, cutoff=cutoff), (word, cutoff)


def test_a_file_gets_at_most_limit_new_answers_while_it_is_read_or_checked():
    speller = spelling.Speller(limit=3)
    with budget.for_file(10):
        read = [speller.suggest(k, lambda k=k: [k.upper()]) for k in "abcde"]
    assert read == [["A"], ["B"], ["C"], [], []]
    first, second = spelling.Checked(), spelling.Checked()
    token = spelling.checking(first)
    try:       # an answer computed for an earlier file counts as much as a new one
        assert [speller.suggest(k, lambda k=k: [k.upper()]) for k in "edcba"] == [["E"], ["D"], ["C"], [], []]
        assert speller.suggest("e", lambda: ["E"]) == ["E"]      # asked again: the same answer
        spelling.checking(second)
        assert speller.suggest("a", lambda: ["A"]) == ["A"]
    finally:
        spelling.done_checking(token)
    assert speller.suggest("z", lambda: ["Z"]) == ["Z"]          # outside a file: no limit


def test_a_launch_of_many_unknown_flags_gets_a_bounded_number_of_suggestions(tmp_path):
    # `--max-old-spacesizeN`: each close to `--max-old-space-size`, each a new word; the
    # rules read them after the file (WL206's `unknown_flags`), outside its reading
    flags = " ".join(f"--max-old-spacesize{i}=1" for i in range(400))
    Path(tmp_path, "app.service").write_text(f"[Service]\nExecStart=/usr/bin/node {flags} server.js\n")
    found = [d for d in run_check([str(tmp_path)], Config(root=tmp_path), all_rules(), jobs=1).diagnostics
             if d.code == "WL206"]
    assert len(found) == 400
    hinted = [d for d in found if "did you mean" in d.message]
    assert 0 < len(hinted) <= 256
