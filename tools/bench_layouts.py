#!/usr/bin/env python3
"""Is one tree faster than another?  Timed over shuffled code layouts.

    tools/bench_layouts.py REV_A REV_B [options]

One binary timed against another says little on a modern processor: the
placement of the code (link order, alignment) and of the file moves a run
by several per cent (Mytkowicz, Diwan, Hauswirth and Sweeney, "Producing
wrong data without doing anything obviously wrong", ASPLOS 2009).  So each
revision is built once (the -O3 build of `make bench`, or --opt's flags,
in a temporary worktree), its objects are linked in K shuffled orders,
the same K seeds for both, and the runs of both are interleaved.  Printed
per revision: the mean over layouts of each layout's median CPU time
(user + system), and the spread of the layouts.  The scenario is configs/bench/lifecycles.ini.
"""
import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build(rev, work, trees, opt_flags):
    """The objects of rev built with opt_flags, and the link flags its Makefile uses."""
    tree = os.path.join(work, f'tree{len(trees)}')
    subprocess.run(['git', '-C', ROOT, 'worktree', 'add', '-q', '--detach', tree, rev], check=True)
    trees.append(tree)
    shared = os.path.join(os.path.dirname(ROOT), 'shared')
    if os.path.isdir(shared) and not os.path.exists(os.path.join(work, 'shared')):
        os.symlink(shared, os.path.join(work, 'shared'))
    opt = ['BUILD=build-bench', 'OPT=' + opt_flags]
    subprocess.run(['make', '-s', '-C', tree, '-j2'] + opt +
                   ['build-bench/libtcpsim.a', 'build-bench/sim/main.o'], check=True)
    libs = subprocess.run(['make', '-s', '-C', tree, '-f', 'Makefile', '-f', '-', 'print-ldlibs'],
                          input='print-ldlibs:\n\t@echo $(LDLIBS_ALL)\n', text=True,
                          capture_output=True, check=True).stdout.split()
    members = subprocess.run(['ar', 't', os.path.join(tree, 'build-bench/libtcpsim.a')],
                             capture_output=True, text=True, check=True).stdout.split()
    found = subprocess.run(['find', os.path.join(tree, 'build-bench'), '-name', '*.o'],
                           capture_output=True, text=True, check=True).stdout.split()
    by_name = {os.path.basename(o): o for o in found}
    return tree, sorted(by_name[m] for m in members), libs


def link(tree, objs, libs, seed, out, opt_flags):
    """The binary with rev's objects in the order this seed shuffles them."""
    order = list(objs)
    random.Random(seed).shuffle(order)
    # the optimisation flags again: with -flto the link compiles
    main_o = os.path.join(tree, 'build-bench/sim/main.o')
    subprocess.run(['gcc'] + opt_flags.split() + ['-o', out, main_o] + order + libs, check=True)


def cpu_time(binary, args, cpu):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(['taskset', '-c', cpu, binary] + args, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('revs', nargs='+', help='git revisions; the first is the reference')
    ap.add_argument('--layouts', type=int, default=8, help='shuffled link orders (8)')
    ap.add_argument('--rounds', type=int, default=5, help='runs of each layout (5)')
    ap.add_argument('--lifecycles', type=int, default=100000)
    ap.add_argument('--pcap', action='store_true', help='with the capture on')
    ap.add_argument('--cpu', default='0', help='the core to run on (taskset)')
    ap.add_argument('--opt', default='-O3 -DNDEBUG',
                    help="the build's optimisation flags ('-O3 -DNDEBUG', make bench's)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        trees = []
        try:
            built = [build(rev, work, trees, a.opt) for rev in a.revs]
            bins = {}
            for i, (tree, objs, libs) in enumerate(built):
                for k in range(a.layouts):
                    # path lengths differ too: the environment's size moves the stack
                    d = os.path.join(work, f'bin{i}', 'l' * (k + 1))
                    os.makedirs(d)
                    bins[i, k] = os.path.join(d, 'tcpsim')
                    link(tree, objs, libs, 1000 + k, bins[i, k], a.opt)
            out = os.path.join(work, 'out')
            args = [os.path.join(ROOT, 'configs/bench/lifecycles.ini'), '-q', '-o', out,
                    '--set', f'client.repeat={a.lifecycles}',
                    '--set', f'simulation.pcap={"true" if a.pcap else "false"}']
            t = {key: [] for key in bins}
            for _ in range(a.rounds):
                for k in range(a.layouts):
                    for i in range(len(a.revs)):
                        t[i, k].append(cpu_time(bins[i, k], args, a.cpu))
            ref = None
            for i, rev in enumerate(a.revs):
                meds = [statistics.median(t[i, k]) for k in range(a.layouts)]
                mean = statistics.mean(meds)
                ref = ref or mean
                print(f'{rev:>12}: {mean * 1000:7.1f} ms ({mean / ref:.3f})  layouts '
                      f'{min(meds) * 1000:.1f} to {max(meds) * 1000:.1f} ms, '
                      f'sd {statistics.stdev(meds) * 1000:.1f}')
        finally:
            for tree in trees:
                subprocess.run(['git', '-C', ROOT, 'worktree', 'remove', '--force', tree])


if __name__ == '__main__':
    sys.exit(main())
