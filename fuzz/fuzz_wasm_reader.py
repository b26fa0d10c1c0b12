"""atheris harness: the binary reader and the wasm source on arbitrary bytes.

    pip install atheris
    python fuzz/fuzz_wasm_reader.py -runs=1000000 fuzz/seeds/wasm

Any exception other than WasmParseError is a crash; crashing inputs go to
tests/fuzz_regressions/wasm/ and are replayed by the normal test suite.
"""
import sys

import atheris

with atheris.instrument_imports():
    from wasmlint.sources.wasm import facts_from_bytes
    from wasmlint.wasm.reader import WasmParseError, parse_module


def one_input(data: bytes) -> None:
    try:
        parse_module(data)
    except WasmParseError as exc:
        assert 0 <= exc.offset <= len(data), (exc.offset, len(data))
    facts_from_bytes(data, "fuzz.wasm")


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
