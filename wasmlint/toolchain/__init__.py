"""Build configurations: what emcc and cargo will make of a project's memory and
thread settings, read from the files where they are written.

Layers produce argument lists with positions (``pstr``): Makefiles
(``makefile``), CMake (``cmake``), shell text (``shell_eval`` → ``shell_argv``),
response files, ``EMCC_CFLAGS``, ``.cargo/config.toml``/``Cargo.toml``
(``cargo``, ``toml_pos``), ``build.rs`` (``build_rs``). ``emcc`` applies emcc's
argument grammar (``emcc_settings``, ``grammars/emcc_setting.lark``) and
``emver`` its version-dependent memory layout; ``rust`` models rustc + wasm-ld.
"""
