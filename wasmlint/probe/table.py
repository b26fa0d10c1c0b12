"""The probe's human output: one table of flag sets, one of allocations, the
findings and the recommendation (rich, on stdout)."""
from __future__ import annotations


def _ms(v) -> str:
    return "–" if v is None else (f"{v:.0f}" if v >= 100 else f"{v:.1f}" if v >= 1 else f"{v:.2f}")


def _ratio(v) -> str:
    return "–" if v is None else f"{v:.2f}x"


def render(out: dict, diags, stream) -> None:
    from ..cli_parser import console
    from rich.markup import escape
    from rich.table import Table

    con = console(stream, soft_wrap=True)
    if not con.is_terminal:
        con.width = max(con.width, 150)
    mode = " (compile only: stub imports do not instantiate it)" if out.get("compile_only") else ""
    con.print(f"[bold]{escape(out['module'])}[/] on node {out['node']} (V8 {out['v8']}), "
              f"{out['cores']} cores{mode}")
    t = Table(title_justify="left")
    for col in ("flags", "compile ms (min–max)", "max/min", "instantiate", "1st call", "steady",
                "1 worker", "N workers", "ratio (cores)", "shared"):
        t.add_column(col, justify="left" if col == "flags" else "right")
    for fs in out["flag_sets"]:
        c = fs.get("compile_ms") or {}
        w = fs.get("workers") or {}
        if fs.get("error"):
            t.add_row(escape(" ".join(fs["flags"]) or "(default)"), f"[red]{escape(fs['error'])}[/]")
            continue
        t.add_row(escape(" ".join(fs["flags"]) or "(default)"),
                  f"{_ms(c.get('median'))} ({_ms(c.get('min'))}–{_ms(c.get('max'))})",
                  _ratio(fs.get("compile_variance")), _ms(fs.get("instantiate_ms")),
                  _ms(fs.get("first_call_ms")), _ms(fs.get("call_ms")), _ms(w.get("single_ms")),
                  f"{_ms(w.get('multi_ms'))} ×{w.get('count', '')}" if w else "–",
                  f"{_ratio(w.get('ratio'))} ({_ratio(w.get('expected_ratio'))})" if w else "–",
                  _ms(w.get("shared_module_ms")))
    con.print(t)
    for s in out.get("skipped_flag_sets", []):
        con.print(f"not measured: {escape(' '.join(s['flags']))}: node refuses it ({escape(s['reason'])})",
                  style="dim")
    if out.get("allocation"):
        a = Table(title="new WebAssembly.Memory({initial: p, maximum: p}) per target", title_justify="left")
        for col in ("target", "pages", "allocated", "address space reserved", "under ulimit -v"):
            a.add_column(col)
        for name, e in out["allocation"].items():
            u = e.get("under_ulimit")
            under = "–" if not u else ("ok" if u["ok"] else f"[red]fails[/] ({escape(u.get('error') or '')})")
            res = e.get("reserved_bytes")
            a.add_row(name, str(e["pages"]), "ok" if e["ok"] else f"[red]fails[/] ({escape(e.get('error') or '')})",
                      "–" if res is None else f"{res / (1 << 30):.2f} GiB", under)
        con.print(a)
    for name, r in (out.get("under_target") or {}).items():
        u = Table(title=f"under {name}'s memory ({r['memory_bytes'] >> 20} MiB as `ulimit -d`"
                        f"{', ' + ' '.join(r.get('node_flags') or []) if r.get('node_flags') else ''})",
                  title_justify="left")
        for col in ("step", "result", "private writable memory"):
            u.add_column(col)
        for s in r.get("steps") or []:
            held = s.get("vm_data")
            u.add_row(escape(s.get("name", "")), "ok" if s.get("ok") else f"[red]fails[/] ({escape(s.get('error') or '')})",
                      "–" if held is None else f"{held >> 20} MiB")
        if r.get("ended") or r.get("skipped"):
            u.add_row("[red]node ended[/]" if r.get("ended") else "not run", escape(r.get("ended") or r.get("skipped")), "")
        con.print(u)
    style = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
    for d in diags:
        con.print(f"[{style[d.severity]}]{d.severity}[{d.code}][/] {escape(d.message)}")
    rec = out["recommendation"]
    flags = " ".join(rec["flags"]) or "no extra flags"
    con.print(f"[bold green]recommended:[/] {escape(flags)} — {escape(rec['why'])}")
