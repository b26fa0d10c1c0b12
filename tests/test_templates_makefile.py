"""A Makefile is a template by its own lines, not by the shell data of its recipes."""
from wasmlint.templates import not_analysed_template

RECIPE_TAG = (
    "PAGE_URL ?= ./\n"
    "dist/console.html: src/templates/console.html\n"
    "\tcp $< $@\n"
    "\tsed -i -e 's#{{ PAGE_URL }}#$(PAGE_URL)#g' \\\n"
    "\t  $@\n"
)
OWN_TAG = "NAME = {{ project_name }}\n" + RECIPE_TAG


def test_a_tag_in_a_recipe_is_shell_data():
    assert not_analysed_template("Makefile", "makefile", RECIPE_TAG.encode()) is None


def test_a_tag_in_the_makefile_s_own_lines_makes_it_a_template():
    note = not_analysed_template("Makefile", "makefile", OWN_TAG.encode())
    assert note is not None
    assert (note.span.line, note.span.column, note.detail) == (
        1, 8, "template tag `{{ project_name }}`: the file is generated from it")
