"""The Go source reader: `//go:embed` patterns and the import paths that name a runtime."""
from wasmlint.sources.go_source import direct_requirements, embed_patterns, imports, runtime_of


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


def test_direct_requirements_of_go_mod():
    go_mod = ("module example.com/x\n\ngo 1.22\ntoolchain go1.22.1\n\nrequire (\n"
              "\tgithub.com/tetratelabs/wazero v1.8.2\n\tgolang.org/x/sys v0.26.0 // indirect\n)\n\n"
              "require\tgithub.com/extism/go-sdk v1.6.0\n"
              "replace github.com/a/b => ../b\nexclude (\n\tgithub.com/bytecodealliance/wasmtime-go v1.0.0\n)\n")
    assert direct_requirements(go_mod) == ["github.com/tetratelabs/wazero", "github.com/extism/go-sdk"]
