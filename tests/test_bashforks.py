"""The branches of an if/case that the bash evaluation does not follow (``wasmlint.bashforks``)."""
from wasmlint import bash, bashforks
from wasmlint.toolchain.pstr import PStr


def _emcc_runs(text: str, forks=lambda words: "emcc" in words) -> list[tuple[str | None, list[str]]]:
    run = bash.evaluate(PStr.source(text, 0), {}, variants=True, forks=forks)
    return [(c.variant, [f.text for w in c.words for f in w.fields]) for c in run.commands
            if c.words and c.words[0].fields and c.words[0].fields[0].text == "emcc"]


def test_each_branch_of_an_unknown_test_reaches_the_link():
    text = ('if [ "$MODE" = "jspi" ]; then\n  FLAGS="-sJSPI"\nelse\n  FLAGS="-sASYNCIFY"\nfi\n'
            'emcc -O3 $FLAGS main.c -o out.js\n')
    runs = _emcc_runs(text)
    assert (None, ["emcc", "-O3", "-sASYNCIFY", "main.c", "-o", "out.js"]) in runs      # the else: the base build
    assert ('if [ "$MODE" = "jspi" ]', ["emcc", "-O3", "-sJSPI", "main.c", "-o", "out.js"]) in runs
    assert len(runs) == 2


def test_a_branch_that_exits_is_not_a_build():
    text = ('if [ "$T" = std ]; then\n  M="-sINITIAL_MEMORY=16MB"\nelse\n  M="-sINITIAL_MEMORY=1MB"\n  exit 1\nfi\n'
            'emcc $M lib.a -o lib.js\n')
    assert [w for _, w in _emcc_runs(text)] == [["emcc", "-sINITIAL_MEMORY=16MB", "lib.a", "-o", "lib.js"]]


def test_case_patterns_name_their_branch_and_functions_carry_their_arguments():
    text = ('case "$1" in\n  --small) MEM=16MB ;;\n  --large) MEM=64MB ;;\nesac\n'
            'link() { emcc "$@" -o out.js; }\nlink -sINITIAL_MEMORY=$MEM\n')
    runs = _emcc_runs(text)
    assert ('"$1" is --large', ["emcc", "-sINITIAL_MEMORY=64MB", "-o", "out.js"]) in runs
    assert ('"$1" is --small', ["emcc", "-sINITIAL_MEMORY=16MB", "-o", "out.js"]) in runs


def test_commands_that_read_no_contested_value_are_evaluated_once():
    text = ('if [ -n "$DEBUG" ]; then\n  OPT=-O0\nelse\n  OPT=-O3\nfi\n'
            'emcc -sALLOW_MEMORY_GROWTH=1 tool.c -o tool.js\nemcc $OPT app.c -o app.js\n')
    runs = _emcc_runs(text)
    assert sum("tool.c" in w for _, w in runs) == 1
    assert sum("app.c" in w for _, w in runs) == 2


def test_an_evaluation_without_forks_is_not_reused_for_one_with_them():
    text = 'if [ "$X" = a ]; then F=-sA=1; else F=-sB=1; fi\nemcc $F x.c\n'
    assert len(_emcc_runs(text, forks=None)) == 1
    assert len(_emcc_runs(text)) == 2


def test_an_evaluation_without_forks_serves_one_whose_forks_would_evaluate_no_branch():
    # the launch view (no forks) then the build view of one script: the case sets B or C, which
    # no emcc command reads, so the build view's forks evaluate no branch and the run is shared
    text = 'export A=1\ncase $X in a) B=1;; *) C=2;; esac\nemcc -O3 x.c -o x.js\n'
    launch = bash.evaluate(PStr.source(text, 0), {})
    assert launch.contested
    build = bash.evaluate(PStr.source(text, 0), {}, forks=lambda words: "emcc" in words)
    assert build is launch
    read = text.replace("emcc -O3", "emcc -O3 $B")       # now a build command reads what the case sets
    assert bash.evaluate(PStr.source(read, 0), {}) is not bash.evaluate(PStr.source(read, 0), {},
                                                                         forks=lambda words: "emcc" in words)


def test_a_value_set_again_by_many_statements_keeps_the_first_it_depends_on():
    # each `case` may set B or leave it: B's value depends on all 300; a set of them copied at
    # each statement grew with the square of the script; the forks run the first ones only
    text = "".join(f"case $X{i} in a) B=-sB{i}=1;; *) C={i};; esac\n" for i in range(300)) + "emcc $B x.c\n"
    run = bash.evaluate(PStr.source(text, 0), {}, variants=True, forks=lambda words: "emcc" in words)
    emcc = [c for c in run.commands if c.words and c.words[0].fields[0].text == "emcc"]
    base = emcc[0]
    assert len(base.contests) == bashforks.MAX_KEYS
    starts = [i for i in range(len(text)) if text.startswith("case", i)]
    assert sorted(start for _, start in base.contests) == starts[:bashforks.MAX_KEYS]
    # the forks are those of the first statements: B as each of them sets it
    assert ["-sB0=1", "-sB1=1"] == [c.words[1].fields[0].text for c in emcc[1:3]]
    assert len(emcc) == 1 + bashforks.MAX_FORKS
