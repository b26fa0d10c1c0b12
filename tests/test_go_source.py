"""The Go source reader: `//go:embed` patterns and the import paths that name a runtime."""
from wasmlint.sources.go_source import embed_patterns, imports, runtime_of


def test_grouped_aliased_and_single_imports():
    text = ('package x\n\nimport "embed"\nimport w "github.com/tetratelabs/wazero"\n'
            'import (\n\t"context"\n\twapi "github.com/tetratelabs/wazero/api" // the API\n'
            '\t// "github.com/bytecodealliance/wasmtime-go/v25"\n)\n')
    assert imports(text) == ["embed", "github.com/tetratelabs/wazero", "context", "github.com/tetratelabs/wazero/api"]


def test_runtime_by_import_path_prefix():
    assert runtime_of(["net/http", "github.com/bytecodealliance/wasmtime-go/v25"]) == ("wasmtime", "wasmtime-go")
    assert runtime_of(["github.com/extism/go-sdk"])[0] == "wazero"
    assert runtime_of(["github.com/tetratelabs/wazerox"]) is None     # another module, same prefix
    assert runtime_of(["net/http", "embed"]) is None


def test_embed_patterns_bare_quoted_and_all_prefix():
    text = ('//go:embed wasm/a.wasm "wasm/b c.wasm" `raw.wasm`\nvar a []byte\n'
            '//go:embed all:static\nvar s embed.FS\n'
            '  //go:embed indented.wasm\n// go:embed spaced.wasm\n')
    assert [p for _, p in embed_patterns(text)] == [["wasm/a.wasm", "wasm/b c.wasm", "raw.wasm"], ["static"]]
