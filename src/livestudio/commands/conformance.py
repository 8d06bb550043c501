"""`livestudio conformance FILE.json`: check pattern semantics against reference cases."""

from __future__ import annotations

import json

import click


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--verbose", "-v", is_flag=True, help="Also list passing cases and full hap lists of failures.")
@click.option("--only", default=None, help="Only run cases whose id starts with this prefix (e.g. 'random/').")
def conformance(file: str, verbose: bool, only: str | None) -> None:
    """Run every case of FILE; print failures and `N passed, M failed`."""
    from livestudio.conformance import run_file, sort_records

    results = run_file(file, only=only)
    failed = 0
    for r in results:
        if r.passed:
            if verbose:
                click.echo(f"ok   {r.id}")
            continue
        failed += 1
        click.echo(f"FAIL {r.id}: {r.message}")
        if verbose:
            click.echo("  expected:")
            for h in sort_records(r.expected):
                click.echo("    " + json.dumps(h))
            click.echo("  actual:")
            for h in sort_records(r.actual):
                click.echo("    " + json.dumps(h, default=str))
    passed = len(results) - failed
    click.echo(f"{passed} passed, {failed} failed")
    if failed:
        raise SystemExit(1)
