#!/usr/bin/env python3
"""Offline structural check of generated Airflow DAG files; Airflow is not needed.

Usage: airflow_ast_check.py FILE...

Each file is parsed with the standard library's ast module and checked for:
a DAG(...) call with a literal dag_id; a literal, unique task_id on every
operator or sensor assigned to a variable; every name used in `a >> b`,
`a << b`, `a.set_downstream(b)` and `a.set_upstream(b)` being such a task
variable; no dependency cycle; a literal string schedule being a 5-field cron
expression or a preset.

Prints one finding per line as FILE:LINE: MESSAGE and exits 1 when there is
any, 0 otherwise.
"""
import ast
import sys

PRESETS = {"@once", "@hourly", "@daily", "@weekly", "@monthly", "@quarterly", "@yearly", "@annually", "@continuous"}


def callee(call):
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return ""


def keyword(call, name):
    for k in call.keywords:
        if k.arg == name:
            return k.value
    return None


def literal(node):
    return node.value if isinstance(node, ast.Constant) else None


def names(node):
    """Task variables on one side of a >> or << chain."""
    if isinstance(node, ast.Name):
        return [(node.id, node.lineno)]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [n for e in node.elts for n in names(e)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.LShift)):
        return names(node.right)  # `a >> b` evaluates to b
    return []


def check(path):
    try:
        with open(path, encoding="utf-8") as f:
            src = f.read()
        tree = ast.parse(src, path)
        compile(tree, path, "exec")
    except SyntaxError as e:
        return [(e.lineno or 0, f"syntax error: {e.msg}")]
    errs = []
    dags = 0
    tasks = {}     # variable -> task_id
    task_ids = {}  # task_id -> line
    edges = []     # (upstream, downstream, line)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and callee(node) == "DAG":
            dags += 1
            dag_id = keyword(node, "dag_id") or (node.args[0] if node.args else None)
            if not isinstance(literal(dag_id), str) or not literal(dag_id):
                errs.append((node.lineno, "DAG(...) without a literal dag_id"))
            for kw in ("schedule", "schedule_interval"):
                sched = literal(keyword(node, kw))
                if isinstance(sched, str) and sched not in PRESETS and len(sched.split()) != 5:
                    errs.append((node.lineno, f"{kw} {sched!r} is neither a 5-field cron expression nor a preset"))
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            kind = callee(node.value)
            if kind.endswith("Operator") or kind.endswith("Sensor"):
                tid = literal(keyword(node.value, "task_id"))
                if not isinstance(tid, str) or not tid:
                    errs.append((node.lineno, f"{kind}(...) without a literal task_id"))
                elif tid in task_ids:
                    errs.append((node.lineno, f"duplicate task_id {tid!r} (first on line {task_ids[tid]})"))
                else:
                    task_ids[tid] = node.lineno
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        tasks[t.id] = tid
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.LShift)):
            for a, _ in names(node.left):
                for b, _ in names(node.right):
                    edges.append((a, b, node.lineno) if isinstance(node.op, ast.RShift) else (b, a, node.lineno))
            for n, line in names(node.left) + names(node.right):
                edges.append((n, None, line))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("set_downstream", "set_upstream"):
            for a, _ in names(node.func.value):
                for arg in node.args:
                    for b, _ in names(arg):
                        edges.append((a, b, node.lineno) if node.func.attr == "set_downstream" else (b, a, node.lineno))
    if dags == 0:
        errs.append((0, "no DAG(...) call"))
    reported = set()
    for a, b, line in edges:
        for n in (a, b):
            if n is not None and n not in tasks and n not in reported:
                reported.add(n)
                errs.append((line, f"dependency uses unknown task variable {n!r}"))
    graph = {}
    for a, b, _ in edges:
        if b is not None:
            graph.setdefault(a, set()).add(b)
    state = {}  # 1: on the stack, 2: done

    def cyclic(n):
        if state.get(n) == 1:
            return True
        if state.get(n) == 2:
            return False
        state[n] = 1
        found = any(cyclic(m) for m in sorted(graph.get(n, ())))
        state[n] = 2
        return found

    for n in sorted(graph):
        if cyclic(n):
            errs.append((0, f"dependency cycle through task variable {n!r}"))
            break
    return sorted(set(errs))


def main():
    bad = False
    for path in sys.argv[1:]:
        for line, msg in check(path):
            bad = True
            print(f"{path}:{line}: {msg}")
    sys.exit(1 if bad else 0)


main()
