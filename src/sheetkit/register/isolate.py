"""Parsing workbooks in child processes, so one hostile file cannot take the run down.

python-calamine is native code: a crafted 1 KB workbook can make it abort the process
(a Rust panic that is not caught, an allocation that fails) or allocate gigabytes. Each
workbook is therefore parsed in a child process of its own, forked from this one (it
has the reading code imported already and the bytes in memory, so a child costs a few
milliseconds; it is waited for, so its resources count as this process's children's),
with its address space limited (`MEMORY_BUDGET` above what the child starts with, ``RLIMIT_AS``) and its time
bounded (`TIME_BUDGET`). A child that crashes, runs out of its memory or time becomes
one `data.unreadable` finding for its workbook; the other workbooks are still read.
Up to `WORKERS` children run at once.

Where this cannot work (no ``fork``, as on Windows, or ``SHEETKIT_ISOLATE=0``), files
are parsed in the process itself on threads, as before; the guard still applies.
"""

from __future__ import annotations

import os
import sys
import time

from sheetkit.register.guard import MEMORY_BUDGET, unreadable  # per workbook, unless its size justifies more

TIME_BUDGET = float(os.environ.get("SHEETKIT_READ_SECONDS", "300"))  # per workbook
WORKERS = 4

_context = None
_child_base: int | None = None  # in a child: its address space before reading


def available() -> bool:
    """Whether workbooks are parsed in child processes in this environment."""
    if os.environ.get("SHEETKIT_ISOLATE", "1") == "0" or sys.platform == "win32":
        return False
    try:
        import multiprocessing as mp
        import resource  # noqa: F401

        return "fork" in mp.get_all_start_methods()
    except ImportError:  # pragma: no cover
        return False


def _ctx():
    global _context
    if _context is None:
        import multiprocessing as mp

        _context = mp.get_context("fork")
    return _context


def parse_all(jobs, parse, on_done=None) -> list:
    """``parse(wp, data)`` for each (wp, data) of ``jobs``, each in a child process;
    results in the order of ``jobs``. ``on_done(i, result)`` is called as each ends."""
    from multiprocessing.connection import wait

    ctx = _ctx()
    results: list = [None] * len(jobs)
    pending = list(range(len(jobs)))
    pending.reverse()
    running: dict = {}  # reader connection → (index, process, started)
    workers = max(1, min(WORKERS, os.cpu_count() or 1, len(jobs)))
    import gc

    gc.freeze()  # the children's collector leaves the parent's objects alone: no copy-on-write storm
    try:
        while pending or running:
            while pending and len(running) < workers:
                i = pending.pop()
                reader, writer = ctx.Pipe(duplex=False)
                wp, data = jobs[i]
                proc = ctx.Process(target=_child, args=(writer, parse, wp, data, MEMORY_BUDGET),
                                   name=f"sheetkit-read-{i}", daemon=True)
                proc.start()
                writer.close()
                running[reader] = (i, proc, time.monotonic())
            ready = wait(list(running), timeout=1.0)
            for reader in ready:
                i, proc, _ = running.pop(reader)
                results[i] = _collect(reader, proc, jobs[i][0])
                if on_done is not None:
                    on_done(i, results[i])
            now = time.monotonic()
            for reader, (i, proc, started) in list(running.items()):
                if now - started > TIME_BUDGET:
                    proc.kill()
                    proc.join()
                    reader.close()
                    del running[reader]
                    results[i] = _failed(jobs[i][0], f"读取超过 {TIME_BUDGET:.0f} 秒仍未完成，已中止")
                    if on_done is not None:
                        on_done(i, results[i])
    finally:
        for reader, (_, proc, _) in running.items():  # interrupted (Ctrl-C): leave no child behind
            proc.kill()
            proc.join()
            reader.close()
        gc.unfreeze()
    return results


def _collect(reader, proc, wp):
    try:
        status, value = reader.recv()
    except (EOFError, OSError):
        status, value = "crash", None
    finally:
        reader.close()
    proc.join()
    if status == "ok":
        return value
    if status == "memory":
        return _failed(wp, f"读取所需内存超过上限（{MEMORY_BUDGET >> 20} MB），已中止；"
                           "工作簿可能含有极大的区域或被恶意构造，请检查后另存再提交")
    if status == "error":
        return _failed(wp, f"读取时出错：{value}")
    code = proc.exitcode
    why = f"信号 {-code}" if code is not None and code < 0 else f"退出码 {code}"
    return _failed(wp, f"读取程序异常终止（{why}；可能是文件被恶意构造，或所需内存超过上限 "
                       f"{MEMORY_BUDGET >> 20} MB），已跳过；请在 Excel 中打开检查后另存再提交")


def _failed(wp, why: str):
    return [], [unreadable(wp, why)]


def allow(budget: int) -> None:
    """In a child: let reading take ``budget`` bytes (the guard's `Inspection.allowed`: the
    default budget, or more for a workbook whose own size justifies it). Nothing elsewhere."""
    if _child_base is not None:
        _limit(_child_base + max(budget, MEMORY_BUDGET))


def _limit(limit: int) -> None:
    import resource

    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def _child(writer, parse, wp, data, budget) -> None:  # pragma: no cover  (runs in the child)
    global _child_base

    _quiet()
    vm = _vm_size()  # Linux; elsewhere (macOS) the address space says little: no limit
    if vm:
        _child_base = vm + len(data)
        _limit(_child_base + budget)
    try:
        result = ("ok", parse(wp, data))
    except MemoryError:
        result = ("memory", None)
    except BaseException as exc:  # a bug in the reader: the file is not read, the run goes on
        result = ("error", f"程序内部错误（{type(exc).__name__}），请报告此问题")
    del data
    try:
        writer.send(result)
    except MemoryError:
        writer.send(("memory", None))
    writer.close()


def _quiet() -> None:
    """The child says nothing on the terminal: a native reader's own messages (a Rust panic,
    "memory allocation failed") are English internals; what happened is the finding."""
    import faulthandler

    faulthandler.disable()
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def _vm_size() -> int:
    """This process's virtual memory size in bytes (Linux), or 0."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


class ChildFailed(Exception):
    """`call` could not complete: the message says why, in Chinese."""


def call(fn, *args, memory: int = MEMORY_BUDGET, seconds: float = 60.0):
    """``fn(*args)`` in a forked child with ``memory`` bytes of address space above what it
    starts with and ``seconds`` of time; its return value (picklable), or ChildFailed.
    An exception raised by ``fn`` is raised again here when it pickles, else ChildFailed.
    Where children are not available, ``fn(*args)`` runs here."""
    if not available():
        return fn(*args)
    from multiprocessing.connection import wait

    ctx = _ctx()
    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_call_child, args=(writer, fn, args, memory), daemon=True)
    proc.start()
    writer.close()
    try:
        if not wait([reader], timeout=seconds):
            raise ChildFailed(f"超过 {seconds:.0f} 秒仍未完成，已中止")
        try:
            status, value = reader.recv()
        except (EOFError, OSError):
            proc.join()
            raise ChildFailed(f"异常终止（退出码 {proc.exitcode}；可能超过内存上限 {memory >> 20} MB）") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        reader.close()
    if status == "ok":
        return value
    if status == "memory":
        raise ChildFailed(f"所需内存超过上限 {memory >> 20} MB，已中止")
    if isinstance(value, BaseException):
        raise value
    raise ChildFailed(str(value))


def _call_child(writer, fn, args, memory) -> None:  # pragma: no cover  (runs in the child)
    global _child_base

    _quiet()
    vm = _vm_size()
    if vm:
        _child_base = vm
        _limit(vm + memory)
    try:
        result = ("ok", fn(*args))
    except MemoryError:
        result = ("memory", None)
    except BaseException as exc:
        result = ("error", exc)
    try:
        writer.send(result)
    except MemoryError:
        writer.send(("memory", None))
    except Exception:  # an exception that does not pickle
        writer.send(("error", f"{type(result[1]).__name__}: {str(result[1])[:200]}"))
    writer.close()
