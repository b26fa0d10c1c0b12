"""Assignments as bash makes them (``bash._Eval``'s part): ``NAME=value``, ``+=`` to a
string or an array, ``export``/``declare -x``/``local``/``typeset``, and the bounds on
what a value may hold (``VALUE_LIMIT``, the file's expansion budget)."""
from __future__ import annotations

from .bashrun import Binding, size
from .bashwords import WORDS
from .toolchain.pstr import PStr

VALUE_LIMIT = 1 << 16   # characters a shell variable may hold; a longer value is unknown


class Assigns:
    """Mixed into ``bash._Eval``: it holds ``vars``, ``exported``, ``bindings`` and ``frames``."""

    def assign(self, node, exported: bool, prefix: bool = False) -> Binding | None:
        name_node = node.child_by_field_name("name")
        if name_node is None or name_node.type != "variable_name":
            return None
        name = self.name(name_node)
        value_node = node.child_by_field_name("value")
        op = name_node.next_sibling                 # `=` or `+=` (grammar: name, operator, value)
        append = op is not None and op.type == "+="
        parts: list[PStr] | None = None          # a string value's pieces, joined once it fits
        saved, self.reading = self.reading, set()
        # the file's expansion budget is spent (`A="$A$A"` thousands of times): every value
        # assigned from now on is unknown, and is not even expanded (real files never get here)
        spent = value_node is not None and not self.assigned_budget.left
        if value_node is None:
            value: PStr | list[PStr] = PStr.synth("")
        elif spent:
            value = self.unknown(node)
        elif value_node.type == "array":
            value = [f for el in value_node.named_children if el.type in WORDS for f in self.fields(el)]
        else:
            value = parts = self.joined_parts(value_node)
        if append and not spent:
            self.note_read(name)
            old = self.vars[name].value if name in self.vars else None
            if parts is not None:
                if isinstance(old, PStr):
                    parts.insert(0, old)
            elif isinstance(value, list):
                value = (old if isinstance(old, list) else ([old] if old else [])) + value
            elif isinstance(old, PStr):
                value = old + value
        if spent:
            pass
        elif (n := size(value)) > VALUE_LIMIT or not self.assigned_budget.spend(n):
            # `A="$A$A"` doubling, `F="$F -x"` thousands of times: the work would grow with the
            # square, so the value is unknown, and is not even made
            value = self.unknown(node)
        elif parts is not None:
            value = PStr.join(parts) if parts else PStr.synth("")
        rng = self.rng(node)
        value_rng = self.rng(value_node) if value_node is not None else (rng[1], rng[1])
        b = Binding(name, value, rng, value_rng, exported or prefix or name in self.exported, self.label,
                    in_substitution=self.in_subst, file=self.f.id, branch=self.branch)
        got = self.read_since(saved)
        if prefix:
            return b
        self.mark(name, got)
        self.set(b)
        self.bindings.append(b)
        return b

    def set(self, b: Binding) -> None:
        self.vars[b.name] = b
        if b.exported:
            self.exported[b.name] = b

    def declaration(self, node) -> None:
        kw = node.children[0].type if node.children else ""
        flags = [self.name(ch) for ch in node.named_children if ch.type == "word"]
        exported = kw == "export" or any(f.startswith("-") and "x" in f for f in flags)
        local = self.frames and kw in ("local", "declare", "typeset")
        for ch in node.named_children:
            if ch.type not in ("variable_assignment", "variable_name"):
                continue
            if local:
                target = ch.child_by_field_name("name") if ch.type == "variable_assignment" else ch
                self.shadow(self.name(target) if target is not None else "")
            if ch.type == "variable_assignment":
                self.assign(ch, exported)
            elif exported:
                name = self.name(ch)
                old = self.vars.get(name)
                b = Binding(name, old.value if old else None, self.rng(ch), None, True, self.label,
                            declared=True, exports=old, in_substitution=self.in_subst, file=self.f.id)
                if old is not None:
                    self.vars[name] = b
                self.exported[name] = b
                self.bindings.append(b)
            elif local:
                self.vars.pop(self.name(ch), None)

    def shadow(self, name: str) -> None:
        """``local NAME`` in a function: the caller's NAME comes back when it returns."""
        frame = self.frames[-1]
        if name and name not in frame:
            frame[name] = (self.vars.get(name), self.exported.get(name))
