"""LALR parses that skip their unit steps (``skip_unit_steps``).

A grammar's precedence ladder (``?or_expr: and_expr | …``, ``?and_expr: not_expr | …``,
down to ``?atom``) makes an LALR parser reduce every value once per rung: a string in an
array of a Meson file or of a Terraform list goes up ten one-child rules, each a table
lookup, a stack pop and push and a callback that hands the child back (a ``?`` rule with one
child is that child). Meson's 256 KB inputs made 4 reductions a token, 3 of them such steps.

Such a step changes nothing but the state on top of the stack, and where the steps end
depends only on the state below the reduced value, the rule reduced and the lookahead: that
landing state is worked out once per (state, rule, lookahead) and the steps are skipped. The
tree is the same object for object (the steps skipped only returned their child) and an
error is raised in the same state for the same token (a step is skipped only where the
table says to reduce by it). The grammar, its tables and lark's lexer are lark's own.
"""
from __future__ import annotations

from lark import Lark, Tree
from lark.exceptions import UnexpectedToken
from lark.grammar import NonTerminal
from lark.parsers.lalr_analysis import Shift
from lark.parsers.lalr_parser import _Parser
from lark.parsers.lalr_parser_state import ParseConf, ParserState


class _SkippingState(ParserState):
    """lark's ``ParserState.feed_token``, landing each reduction past its unit steps. The
    per-parser subclass (``_state_class``) holds ``units`` and ``landings``."""

    __slots__ = ()
    units: frozenset = frozenset()     # the one-child rules whose callback returns the child
    landings: dict = {}                # (state below, rule's name, lookahead) -> state

    def feed_token(self, token, is_end=False):
        state_stack = self.state_stack
        value_stack = self.value_stack
        conf = self.parse_conf
        states = conf.states
        end_state = conf.end_state
        callbacks = conf.callbacks
        landings = self.landings
        kind = token.type
        while True:
            state = state_stack[-1]
            try:
                action, arg = states[state][kind]
            except KeyError:
                expected = {s for s in states[state].keys() if s.isupper()}
                raise UnexpectedToken(token, expected, state=self, interactive_parser=None) from None
            if action is Shift:
                state_stack.append(arg)
                value_stack.append(token if kind not in callbacks else callbacks[kind](token))
                return None
            rule = arg
            size = len(rule.expansion)
            if size:
                children = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                children = []
            value = callbacks[rule](children) if callbacks else children
            key = (state_stack[-1], rule.origin.name, kind)
            landing = landings.get(key)
            if landing is None:
                landing = landings[key] = self._landing(key, end_state)
            state_stack.append(landing)
            value_stack.append(value)
            if is_end and landing == end_state:
                return value

    def _landing(self, key, end_state):
        """The state a value of rule ``name`` lands in over state ``below`` with lookahead
        ``kind``, after the unit steps the table would take."""
        below, name, kind = key
        states = self.parse_conf.states
        _, state = states[below][name]
        while state != end_state:
            action, rule = states[state].get(kind, (None, None))
            if action is None or action is Shift or rule not in self.units:
                break
            _, state = states[below][rule.origin.name]
        return state


class _SkippingParser(_Parser):
    """lark's LALR driver with ``_SkippingState`` (an interactive parse keeps lark's)."""

    state_class: type = _SkippingState

    def parse(self, lexer, start, value_stack=None, state_stack=None, start_interactive=False):
        if start_interactive:
            return super().parse(lexer, start, value_stack, state_stack, start_interactive)
        conf = ParseConf(self.parse_table, self.callbacks, start)
        return self.parse_from_state(self.state_class(conf, lexer, state_stack, value_stack))


def _identity_units(callbacks: dict) -> frozenset:
    """The rules of one nonterminal child whose callback returns that child as it is."""
    probe = Tree("probe", ["a", "b"])
    return frozenset(rule for rule, call in callbacks.items()
                     if not isinstance(rule, str) and len(rule.expansion) == 1
                     and isinstance(rule.expansion[0], NonTerminal) and call([probe]) is probe)


def skip_unit_steps(parser: Lark) -> Lark:
    """``parser`` (an LALR ``Lark``), its parses made without unit steps."""
    lalr = parser.parser.parser
    inner = lalr.parser
    state_class = type("SkippingState", (_SkippingState,),
                       {"__slots__": (), "units": _identity_units(inner.callbacks), "landings": {}})
    fast = _SkippingParser(inner.parse_table, inner.callbacks, inner.debug)
    fast.state_class = state_class
    lalr.parser = fast
    return parser
