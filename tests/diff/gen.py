#!/usr/bin/env python3
"""Random valid ARM/Thumb/VFP instruction sequences for differential testing (risu-like).

A sequence is a list of items; an item is a dict:
  {'k': 'ins', 'pre': [lines], 'ins': (mnem, dt, ops), 'cond': c}  one instruction (plus
       unconditional set-up lines, e.g. a temporary base register, dropped with it)
  {'k': 'it', 'cond': c, 'body': [(item, then)]}  a Thumb IT block of 1-4 'ins' items
  {'k': 'br', 'ins': ..., 'label': name}          forward branch
  {'k': 'label', 'name': name}                    branch target (never dropped)
The initial state ('init') is part of the sequence. program() turns a list of sequences into
GNU assembler source; each sequence prints a header line '=== <hex id>' and 80 hex words:
checksum, d0-d31 (low word first), apsr, fpscr, r0-r12.

The 'neon' ISA adds Advanced SIMD instructions (gen_neon.py) to the A32 or T32 mix.
Used as a module by ./run; `gen.py --seed S --isa I --count N` prints a program.
"""
import argparse
import random
import struct

import gen_neon

BASE = 11                          # reserved: points into the scratch buffer (scratch + 1024)
REGS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12]
CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le']
INV = {'eq': 'ne', 'ne': 'eq', 'cs': 'cc', 'cc': 'cs', 'mi': 'pl', 'pl': 'mi', 'vs': 'vc',
       'vc': 'vs', 'hi': 'ls', 'ls': 'hi', 'ge': 'lt', 'lt': 'ge', 'gt': 'le', 'le': 'gt'}
SCRATCH = 2048
NWORDS = 80


def r(n):
    return 'sp' if n == 13 else 'lr' if n == 14 else 'r%d' % n


def ror32(v, n):
    n %= 32
    return ((v >> n) | (v << (32 - n))) & 0xffffffff


class Gen:
    def __init__(self, rng, thumb, isa, fpexc=True):
        self.fpexc = fpexc
        self.g = rng
        self.thumb = thumb
        self.isa = isa
        self.nlabel = 0
        self.neon = False               # the last insn() was a NEON one

    # ---- operands -------------------------------------------------------------------
    def reg(self, exclude=()):
        return self.g.choice([x for x in REGS if x not in exclude])

    def modimm(self):
        g = self.g
        if g.random() < 0.2:
            return g.choice([0, 1, 0xff, 0x80000000, 0xff000000, 0x7f, 31, 32])
        v = g.randrange(256)
        if not self.thumb:
            return ror32(v, 2 * g.randrange(16))
        k = g.randrange(5)
        if k == 0:
            return v
        if k == 1:
            return v | v << 16
        if k == 2:
            return v << 8 | v << 24
        if k == 3:
            return v * 0x01010101
        return ror32(0x80 | (v & 0x7f), g.randrange(8, 32))

    def shifted(self, allow_regshift=True):
        g, m = self.g, r(self.reg())
        k = g.randrange(8 if (allow_regshift and not self.thumb) else 6)
        if k == 0:
            return m
        if k == 1:
            return '%s, lsl #%d' % (m, g.randrange(1, 32))
        if k == 2:
            return '%s, lsr #%d' % (m, g.randrange(1, 33))
        if k == 3:
            return '%s, asr #%d' % (m, g.randrange(1, 33))
        if k == 4:
            return '%s, ror #%d' % (m, g.randrange(1, 32))
        if k == 5:
            return '%s, rrx' % m
        return '%s, %s %s' % (m, g.choice(['lsl', 'lsr', 'asr', 'ror']), r(self.reg()))

    def op2(self):
        if self.g.random() < 0.4:
            return '#%d' % self.modimm()
        return self.shifted()

    def s(self):
        return 's' if self.g.random() < 0.5 else ''

    # ---- instruction classes: each returns (pre, (mnem, dt, ops)) ----------------------
    def dp(self):
        g = self.g
        ops3 = ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'orr', 'bic']
        ops3 += ['orn'] if self.thumb else ['rsc']
        k = g.randrange(10)
        d = r(self.reg())
        if k < 5:
            return [], (g.choice(ops3) + self.s(), '', '%s, %s, %s' % (d, r(self.reg()), self.op2()))
        if k == 5:
            return [], (g.choice(['tst', 'teq', 'cmp', 'cmn']), '', '%s, %s' % (r(self.reg()), self.op2()))
        if k == 6:
            if g.random() < 0.5:
                return [], (g.choice(['mov', 'mvn']) + self.s(), '', '%s, #%d' % (d, self.modimm()))
            src = r(self.reg())
            return [], (g.choice(['mov', 'mvn']) + self.s(), '', '%s, %s' % (d, src if g.random() < 0.5 else self.shifted(False)))
        if k == 7:
            sh = g.choice(['lsl', 'lsr', 'asr', 'ror', 'rrx'])
            m = r(self.reg())
            if sh == 'rrx':
                return [], ('rrx' + self.s(), '', '%s, %s' % (d, m))
            if g.random() < 0.5:
                return [], (sh + self.s(), '', '%s, %s, %s' % (d, m, r(self.reg())))
            lim = {'lsl': 31, 'ror': 31}.get(sh, 32)
            return [], (sh + self.s(), '', '%s, %s, #%d' % (d, m, g.randint(1, lim)))
        if k == 8:
            return [], (g.choice(['movw', 'movt']), '', '%s, #%d' % (d, g.randrange(65536)))
        if self.thumb:
            return [], (g.choice(['addw', 'subw']), '', '%s, %s, #%d' % (d, r(self.reg()), g.randrange(4096)))
        return [], (g.choice(['adc', 'sbc', 'rsc']) + self.s(), '', '%s, %s, %s' % (d, r(self.reg()), self.shifted()))

    def mul(self):
        g = self.g
        d, n, m, a = (r(self.reg()) for _ in range(4))
        lo = self.reg()
        hi = r(self.reg((lo,)))
        lo = r(lo)
        xy = g.choice(['bb', 'bt', 'tb', 'tt'])
        y = g.choice('bt')
        x = g.choice(['', 'x'])
        rr = g.choice(['', 'r'])
        ss = '' if self.thumb else self.s()
        c = [
            ('mul' + ss, '%s, %s, %s' % (d, n, m)),
            ('mla' + ss, '%s, %s, %s, %s' % (d, n, m, a)),
            ('mls', '%s, %s, %s, %s' % (d, n, m, a)),
            (g.choice(['umull', 'smull', 'umlal', 'smlal']) + ss, '%s, %s, %s, %s' % (lo, hi, n, m)),
            ('umaal', '%s, %s, %s, %s' % (lo, hi, n, m)),
            ('smul' + xy, '%s, %s, %s' % (d, n, m)),
            ('smla' + xy, '%s, %s, %s, %s' % (d, n, m, a)),
            ('smulw' + y, '%s, %s, %s' % (d, n, m)),
            ('smlaw' + y, '%s, %s, %s, %s' % (d, n, m, a)),
            ('smlal' + xy, '%s, %s, %s, %s' % (lo, hi, n, m)),
            (g.choice(['smuad', 'smusd']) + x, '%s, %s, %s' % (d, n, m)),
            (g.choice(['smlad', 'smlsd']) + x, '%s, %s, %s, %s' % (d, n, m, a)),
            (g.choice(['smlald', 'smlsld']) + x, '%s, %s, %s, %s' % (lo, hi, n, m)),
            ('smmul' + rr, '%s, %s, %s' % (d, n, m)),
            (g.choice(['smmla', 'smmls']) + rr, '%s, %s, %s, %s' % (d, n, m, a)),
            ('usad8', '%s, %s, %s' % (d, n, m)),
            ('usada8', '%s, %s, %s, %s' % (d, n, m, a)),
            (g.choice(['sdiv', 'udiv']), '%s, %s, %s' % (d, n, m)),
            (g.choice(['sdiv', 'udiv']), '%s, %s, %s' % (d, n, m)),
        ]
        mn, ops = g.choice(c)
        return [], (mn, '', ops)

    def misc(self):
        g = self.g
        d, n, m = (r(self.reg()) for _ in range(3))
        rot = g.choice(['', '', ', ror #8', ', ror #16', ', ror #24'])
        lsb = g.randrange(32)
        w = g.randint(1, 32 - lsb)
        k = g.randrange(12)
        if k == 0:
            return [], (g.choice(['clz', 'rbit', 'rev', 'rev16', 'revsh']), '', '%s, %s' % (d, m))
        if k == 1:
            return [], (g.choice(['sxtb', 'sxth', 'uxtb', 'uxth', 'sxtb16', 'uxtb16']), '', '%s, %s%s' % (d, m, rot))
        if k == 2:
            return [], (g.choice(['sxtab', 'sxtah', 'uxtab', 'uxtah', 'sxtab16', 'uxtab16']), '', '%s, %s, %s%s' % (d, n, m, rot))
        if k == 3:
            return [], ('bfc', '', '%s, #%d, #%d' % (d, lsb, w))
        if k == 4:
            return [], ('bfi', '', '%s, %s, #%d, #%d' % (d, n, lsb, w))
        if k == 5:
            return [], (g.choice(['sbfx', 'ubfx']), '', '%s, %s, #%d, #%d' % (d, n, lsb, w))
        if k == 6:
            sh = g.choice(['', ', lsl #%d' % g.randint(1, 31), ', asr #%d' % g.randint(1, 31)])
            if g.random() < 0.5:
                return [], ('ssat', '', '%s, #%d, %s%s' % (d, g.randint(1, 32), n, sh))
            return [], ('usat', '', '%s, #%d, %s%s' % (d, g.randint(0, 31), n, sh))
        if k == 7:
            if g.random() < 0.5:
                return [], ('ssat16', '', '%s, #%d, %s' % (d, g.randint(1, 16), n))
            return [], ('usat16', '', '%s, #%d, %s' % (d, g.randint(0, 15), n))
        if k == 8:
            return [], (g.choice(['qadd', 'qsub', 'qdadd', 'qdsub']), '', '%s, %s, %s' % (d, m, n))
        if k == 9:
            if g.random() < 0.5:
                return [], ('pkhbt', '', '%s, %s, %s%s' % (d, n, m, g.choice(['', ', lsl #%d' % g.randint(1, 31)])))
            return [], ('pkhtb', '', '%s, %s, %s, asr #%d' % (d, n, m, g.randint(1, 31)))
        if k == 10:
            return [], ('sel', '', '%s, %s, %s' % (d, n, m))
        return self.status()

    def parallel(self):
        g = self.g
        d, n, m = (r(self.reg()) for _ in range(3))
        mn = g.choice(['s', 'q', 'sh', 'u', 'uq', 'uh']) + g.choice(['add16', 'asx', 'sax', 'sub16', 'add8', 'sub8'])
        return [], (mn, '', '%s, %s, %s' % (d, n, m))

    def status(self):
        g = self.g
        k = g.randrange(4)
        if k == 0:
            return [], ('mrs', '', '%s, apsr' % r(self.reg()))
        if k == 1 and not self.thumb:
            return [], ('msr', '', 'APSR_nzcvq, #%d' % self.modimm())
        return [], ('msr', '', '%s, %s' % (g.choice(['APSR_nzcvq', 'APSR_g', 'APSR_nzcvqg']), r(self.reg())))

    def off(self, lim, align):
        v = self.g.randrange(0, lim + 1, align)
        return -v if self.g.random() < 0.4 else v

    def tmpbase(self, exclude=()):
        t = self.reg(exclude)
        return t, ['add %s, %s, #%d' % (r(t), r(BASE), self.g.randrange(0, 257, 4))
                   if self.g.random() < 0.5 else
                   'sub %s, %s, #%d' % (r(t), r(BASE), self.g.randrange(0, 257, 4))]

    def mem(self):
        g = self.g
        k = g.randrange(10)
        if k < 6:
            return self.mem_single()
        if k < 8:
            return self.mem_dual()
        return self.mem_multi()

    def mem_single(self):
        g = self.g
        mn = g.choice(['ldr', 'ldrb', 'ldrh', 'ldrsb', 'ldrsh', 'str', 'strb', 'strh'])
        load = mn.startswith('ldr')
        t = self.reg() if load else g.choice(REGS + [BASE])
        size = {'ldr': 4, 'str': 4, 'ldrh': 2, 'ldrsh': 2, 'strh': 2}.get(mn, 1)
        align = size if g.random() < 0.9 else 1
        hw = mn in ('ldrh', 'ldrsh', 'strh', 'ldrsb')
        mode = g.randrange(6)
        if mode == 0:
            return [], (mn, '', '%s, [%s, #%d]' % (r(t), r(BASE), self.off(252, align)))
        if mode in (1, 2):
            tb, pre = self.tmpbase((t,))
            o = self.off(252, align)
            fmt = '%s, [%s, #%d]!' if mode == 1 else '%s, [%s], #%d'
            return pre, (mn, '', fmt % (r(t), r(tb), o))
        # register offset: index masked into range first
        i = self.reg((t,))
        pre = ['and %s, %s, #0x%x' % (r(i), r(self.reg()), 0x7c if self.thumb else 0xfc)]
        if self.thumb:
            return pre, (mn, '', '%s, [%s, %s, lsl #%d]' % (r(t), r(BASE), r(i), g.randrange(4)))
        sign = g.choice(['', '-'])
        sh = '' if hw else g.choice(['', ', lsl #1', ', lsl #2'])
        if mode == 3:
            return pre, (mn, '', '%s, [%s, %s%s%s]' % (r(t), r(BASE), sign, r(i), sh))
        tb, pre2 = self.tmpbase((t, i))
        fmt = '%s, [%s, %s%s%s]!' if mode == 4 else '%s, [%s], %s%s%s'
        # the temporary base is up to 256 bytes off BASE: 0xfc << 2 from there would leave
        # the scratch buffer and overwrite the next sequence's initial state (seed 777,
        # sequence 73062 stored 172 bytes below it), so the index goes in at most << 1
        sh = sh.replace('lsl #2', 'lsl #1')
        return pre + pre2, (mn, '', fmt % (r(t), r(tb), sign, r(i), sh))

    def mem_dual(self):
        g = self.g
        load = g.random() < 0.5
        mn = 'ldrd' if load else 'strd'
        if self.thumb:
            t = self.reg()
            t2 = self.reg((t,)) if load else g.choice(REGS + [BASE])
        else:
            t = g.choice([0, 2, 4, 6, 8] + ([] if load else [10]))
            t2 = t + 1
        mode = g.randrange(4 if self.thumb else 5)
        if mode == 0:
            return [], (mn, '', '%s, %s, [%s, #%d]' % (r(t), r(t2), r(BASE), self.off(248, 4)))
        if mode in (1, 2):
            tb, pre = self.tmpbase((t, t2))
            fmt = '%s, %s, [%s, #%d]!' if mode == 1 else '%s, %s, [%s], #%d'
            return pre, (mn, '', fmt % (r(t), r(t2), r(tb), self.off(248, 4)))
        if mode == 3 and not self.thumb:
            i = self.reg((t, t2))
            pre = ['and %s, %s, #0xf8' % (r(i), r(self.reg()))]
            return pre, (mn, '', '%s, %s, [%s, %s%s]' % (r(t), r(t2), r(BASE), g.choice(['', '-']), r(i)))
        return [], (mn, '', '%s, %s, [%s]' % (r(t), r(t2), r(BASE)))

    def reglist(self, exclude, lo=1, hi=6):
        regs = [x for x in REGS + [BASE] if x not in exclude]
        return sorted(self.g.sample(regs, self.g.randint(lo, hi)))

    def mem_multi(self):
        g = self.g
        load = g.random() < 0.5
        modes = ['ia', 'db'] if self.thumb else ['ia', 'ib', 'da', 'db']
        mode = g.choice(modes)
        mn = ('ldm' if load else 'stm') + mode
        nmin = 2 if self.thumb else 1
        if g.random() < 0.4:
            lst = self.reglist((BASE,) if load else (), nmin)
            return [], (mn, '', '%s, {%s}' % (r(BASE), ', '.join(map(r, lst))))
        tb, pre = self.tmpbase()
        lst = self.reglist((BASE, tb) if load else (tb,), nmin)
        return pre, (mn, '', '%s!, {%s}' % (r(tb), ', '.join(map(r, lst))))

    # ---- VFP ----------------------------------------------------------------------------
    def sreg(self):
        return 's%d' % self.g.randrange(32)

    def dreg(self):
        return 'd%d' % self.g.randrange(32)

    def vfp(self):
        g = self.g
        dbl = g.random() < 0.5
        dt = '.f64' if dbl else '.f32'
        fr = self.dreg if dbl else self.sreg
        k = g.randrange(20)
        if k < 5:
            mn = g.choice(['vadd', 'vsub', 'vmul', 'vdiv', 'vnmul', 'vmla', 'vmls', 'vnmla', 'vnmls'])
            return [], (mn, dt, '%s, %s, %s' % (fr(), fr(), fr()))
        if k < 7:
            return [], (g.choice(['vabs', 'vneg', 'vsqrt', 'vmov']), dt, '%s, %s' % (fr(), fr()))
        if k == 7:
            v = g.randint(16, 31) / 16.0 * 2.0 ** g.randint(-3, 4) * g.choice([1, -1])
            return [], ('vmov', dt, '%s, #%r' % (fr(), v))
        if k == 8:
            mn = g.choice(['vcmp', 'vcmpe'])
            return [], (mn, dt, '%s, %s' % (fr(), fr() if g.random() < 0.7 else '#0'))
        if k == 9:
            return [], ('vmrs', '', 'APSR_nzcv, fpscr')
        if k == 10:
            if g.random() < 0.5:
                return [], ('vcvt', '.f64.f32', '%s, %s' % (self.dreg(), self.sreg()))
            return [], ('vcvt', '.f32.f64', '%s, %s' % (self.sreg(), self.dreg()))
        if k == 11:
            mn = g.choice(['vcvt', 'vcvtr'])
            return [], (mn, g.choice(['.s32', '.u32']) + dt, '%s, %s' % (self.sreg(), fr()))
        if k == 12:
            return [], ('vcvt', dt + g.choice(['.s32', '.u32']), '%s, %s' % (fr(), self.sreg()))
        if k == 13:
            x = fr()
            ty = g.choice(['.s32', '.u32', '.s16', '.u16'])
            fb = g.randint(1, 16 if '16' in ty else 32)
            if g.random() < 0.5:
                return [], ('vcvt', ty + dt, '%s, %s, #%d' % (x, x, fb))
            return [], ('vcvt', dt + ty, '%s, %s, #%d' % (x, x, fb))
        if k == 14:
            c = g.randrange(6)
            a = r(self.reg())
            b = r(self.reg((int(a[1:]),)))
            if c == 0:
                return [], ('vmov', '', '%s, %s' % (self.sreg(), a))
            if c == 1:
                return [], ('vmov', '', '%s, %s' % (a, self.sreg()))
            if c == 2:
                return [], ('vmov', '', '%s, %s, %s' % (self.dreg(), a, b))
            if c == 3:
                return [], ('vmov', '', '%s, %s, %s' % (a, b, self.dreg()))
            if c == 4:
                return [], ('vmov', '.32', '%s[%d], %s' % (self.dreg(), g.randrange(2), a))
            return [], ('vmov', '.32', '%s, %s[%d]' % (a, self.dreg(), g.randrange(2)))
        if k == 15:
            t = r(self.reg())
            if not self.fpexc:                   # mask the cumulative exception flags
                return ['vmrs %s, fpscr' % t], ('bic', '', '%s, %s, #0x9f' % (t, t))
            return [], ('vmrs', '', '%s, fpscr' % t)
        if k == 16:
            # FPSCR with random NZCV and occasionally another rounding mode, FZ or DN
            v = g.randrange(16) << 28
            if g.random() < 0.3:
                v |= g.randrange(4) << 22 | g.randrange(2) << 24 | g.randrange(2) << 25
            t = r(self.reg())
            return ['movw %s, #%d' % (t, v & 0xffff), 'movt %s, #%d' % (t, v >> 16)], \
                ('vmsr', '', 'fpscr, %s' % t)
        if k == 17:
            return [], (g.choice(['vldr', 'vstr']), '', '%s, [%s, #%d]' % (fr(), r(BASE), self.off(248, 4)))
        # vldm/vstm
        n = g.randint(1, 8)
        if dbl:
            a = g.randrange(0, 33 - n)
            lst = 'd%d-d%d' % (a, a + n - 1) if n > 1 else 'd%d' % a
        else:
            a = g.randrange(0, 33 - n)
            lst = 's%d-s%d' % (a, a + n - 1) if n > 1 else 's%d' % a
        mn = g.choice(['vldm', 'vstm'])
        if g.random() < 0.4:
            return [], (mn + 'ia', '', '%s, {%s}' % (r(BASE), lst))
        tb, pre = self.tmpbase()
        return pre, (mn + g.choice(['ia', 'db']), '', '%s!, {%s}' % (r(tb), lst))

    # ---- sequences ------------------------------------------------------------------------
    def insn(self):
        g = self.g
        if self.isa == 'vfp' and g.random() < 0.65:
            return self.vfp()
        self.neon = self.isa == 'neon' and g.random() < 0.7
        if self.neon:
            return gen_neon.neon_insn(self)
        k = g.randrange(100)
        if k < 35:
            return self.dp()
        if k < 48:
            return self.mul()
        if k < 63:
            return self.misc()
        if k < 70:
            return self.parallel()
        return self.mem()

    def item(self):
        pre, ins = self.insn()
        # a masked vmrs must run whole: never conditional; nor is any NEON insn in A32 (and
        # gas reads some in an IT block as other mnemonics: vshl + lt)
        nocond = (bool(pre) and pre[0].startswith('vmrs')) or self.neon
        return {'k': 'ins', 'pre': pre, 'ins': ins, 'cond': '', 'nocond': nocond}

    def label(self):
        self.nlabel += 1
        return 'L%d' % self.nlabel

    def sequence(self):
        g = self.g
        items = []
        pending = []                        # [countdown, label]
        n = g.randint(4, 20)
        for _ in range(n):
            for p in pending:
                p[0] -= 1
            for p in [p for p in pending if p[0] <= 0]:
                items.append({'k': 'label', 'name': p[1]})
                pending.remove(p)
            x = g.random()
            if x < 0.08:
                lab = self.label()
                if self.thumb and g.random() < 0.3:
                    ins = (g.choice(['cbz', 'cbnz']), '', '%s, %s' % (r(g.choice(range(8))), lab))
                else:
                    ins = ('b' + g.choice(CONDS + [''] * 2), '', lab)
                items.append({'k': 'br', 'ins': ins, 'label': lab})
                pending.append([g.randint(1, 4), lab])
            elif self.thumb and x < 0.35:
                cond = g.choice(CONDS)
                # an insn with set-up lines (hoisted before the IT) comes first, so that no
                # insn of the block clobbers its temporaries
                body = []
                for j in range(g.randint(1, 4)):
                    it = self.item()
                    while (it['pre'] and j) or it['nocond']:
                        it = self.item()
                    body.append((it, j == 0 or g.random() < 0.5))
                items.append({'k': 'it', 'cond': cond, 'body': body})
            else:
                it = self.item()
                if not self.thumb and not it['nocond'] and g.random() < 0.3:
                    it['cond'] = g.choice(CONDS)
                items.append(it)
        for p in pending:
            items.append({'k': 'label', 'name': p[1]})
        return {'items': items, 'init': self.init_state(), 'thumb': self.thumb,
                'neon': self.isa == 'neon'}

    def fpval(self):
        g = self.g
        k = g.randrange(12)
        if k == 0:
            return g.choice([0x7ff8000000000000, 0xfff8000000000000, 0x7ff0000000000001,
                             0x7ff4000000000000 | g.getrandbits(32), 0x7ffc00000000abcd])
        if k == 1:
            return g.choice([0x7ff0000000000000, 0xfff0000000000000, 0, 1 << 63])
        if k == 2:
            return g.getrandbits(52) | g.choice([0, 1 << 63])          # denormal
        if k == 3:
            return struct.unpack('<Q', struct.pack('<d', float(g.choice(
                [2 ** 31, 2 ** 32, -2 ** 31 - 1, 2 ** 63, 4294967295.5, -0.5, 0.5, 1.5, 2.5,
                 g.randint(-2 ** 40, 2 ** 40)]))))[0]
        if k == 4:                          # two singles, incl. NaN/inf/denormal
            sv = lambda: g.choice([0x7fc00000, 0x7f800001, 0xff800000, 0x7f800000, 0x80000000,
                                   g.getrandbits(23), 0x4f000000, 0xcf000000, 0x3f000000,
                                   g.getrandbits(32)])
            return sv() | sv() << 32
        if k < 8:                           # ordinary doubles
            return struct.unpack('<Q', struct.pack('<d', g.uniform(-1e6, 1e6)))[0]
        if k < 10:                          # ordinary singles in both halves
            f = lambda: struct.unpack('<I', struct.pack('<f', g.uniform(-1e4, 1e4)))[0]
            return f() | f() << 32
        return g.getrandbits(64)

    def init_state(self):
        g = self.g

        def word():
            k = g.randrange(6)
            if k == 0:
                return g.choice([0, 1, 0xffffffff, 0x80000000, 0x7fffffff, 0xff, 0x8000, 0xffff])
            if k == 1:
                return g.randrange(256)
            return g.getrandbits(32)
        return {'d': [self.fpval() for _ in range(32)],
                'fpscr': g.randrange(16) << 28,
                'apsr': g.randrange(32) << 27 | g.randrange(16) << 16,
                'r': [word() for _ in range(13)],
                'fill': g.getrandbits(32) | 1}


def gen_sequence(seed, isa, index, thumb, fpexc=True):
    rng = random.Random('%s:%s:%d' % (seed, isa, index))
    return Gen(rng, thumb, isa, fpexc).sequence()


# ---- assembly ---------------------------------------------------------------------------
def cond_ins(ins, cond):
    mn, dt, ops = ins
    return '\t%s%s%s %s' % (mn, cond, dt, ops)


def units(seq):
    """Droppable units: ('i', item index) or ('t', item index, body index)."""
    out = []
    for i, it in enumerate(seq['items']):
        if it['k'] == 'it':
            out += [('t', i, j) for j in range(len(it['body']))]
        elif it['k'] != 'label':
            out.append(('i', i))
    return out


def drop(seq, gone):
    """A copy of seq without the units in gone (IT masks recomputed)."""
    items = []
    for i, it in enumerate(seq['items']):
        if it['k'] == 'it':
            body = [b for j, b in enumerate(it['body']) if ('t', i, j) not in gone]
            if body:
                if not body[0][1]:          # first insn must be 'then': flip the block
                    body = [(b, not t) for b, t in body]
                    items.append({'k': 'it', 'cond': INV[it['cond']], 'body': body})
                else:
                    items.append({'k': 'it', 'cond': it['cond'], 'body': body})
        elif ('i', i) not in gone:
            items.append(it)
    return dict(seq, items=items)


def seq_lines(seq, pfx):
    out = []
    for it in seq['items']:
        k = it['k']
        if k == 'label':
            out.append('%s%s:' % (pfx, it['name']))
        elif k == 'br':
            mn, dt, ops = it['ins']
            out.append('\t%s %s' % (mn, ops.replace(it['label'], pfx + it['label'])))
        elif k == 'ins':
            out += ['\t' + p for p in it['pre']]
            out.append(cond_ins(it['ins'], it['cond']))
        else:
            for b, _ in it['body']:
                out += ['\t' + p for p in b['pre']]
            mask = ''.join('t' if t else 'e' for _, t in it['body'][1:])
            out.append('\tit%s %s' % (mask, it['cond']))
            for b, t in it['body']:
                out.append(cond_ins(b['ins'], it['cond'] if t else INV[it['cond']]))
    return out


def listing(seq):
    """The sequence as readable assembly (for reproducers)."""
    used = set(it['label'] for it in seq['items'] if it['k'] == 'br')
    items = [it for it in seq['items'] if it['k'] != 'label' or it['name'] in used]
    return '\n'.join(l.replace('\t', '    ') for l in seq_lines(dict(seq, items=items), '.'))


RUNTIME = r'''
	.p2align 2
@ fill(r0 = seed): xorshift32 over the scratch buffer
fill:
	movw r1, #:lower16:scratch
	movt r1, #:upper16:scratch
	add r2, r1, #%(SCRATCH)d
1:	eor r0, r0, r0, lsl #13
	eor r0, r0, r0, lsr #17
	eor r0, r0, r0, lsl #5
	str r0, [r1], #4
	cmp r1, r2
	bne 1b
	bx lr
@ cksum() -> r0: FNV-1a over the scratch buffer
cksum:
	movw r1, #:lower16:scratch
	movt r1, #:upper16:scratch
	add r2, r1, #%(SCRATCH)d
	movw r0, #0x9dc5
	movt r0, #0x811c
	movw r3, #0x0193
	movt r3, #0x0100
1:	ldrb r12, [r1], #1
	eor r0, r0, r12
	mul r0, r0, r3
	cmp r1, r2
	bne 1b
	bx lr
@ hex8(r0 = value): 8 hex digits at r6, advancing it
hex8:
	movw r2, #:lower16:hexdigits
	movt r2, #:upper16:hexdigits
	mov r3, #28
1:	lsr r12, r0, r3
	and r12, r12, #15
	ldrb r12, [r2, r12]
	strb r12, [r6], #1
	subs r3, r3, #4
	bpl 1b
	bx lr
@ dump(r0 = saved words, r1 = sequence id): '=== id' and %(NWORDS)d words, one write
dump:
	push {r4, r5, r6, r7, lr}
	mov r4, r0
	movw r6, #:lower16:outbuf
	movt r6, #:upper16:outbuf
	mov r0, #0x3d
	strb r0, [r6], #1
	strb r0, [r6], #1
	strb r0, [r6], #1
	mov r0, #0x20
	strb r0, [r6], #1
	mov r0, r1
	bl hex8
	mov r5, #0
1:	mov r0, #10
	tst r5, #7
	it ne
	movne r0, #0x20
	strb r0, [r6], #1
	ldr r0, [r4, r5, lsl #2]
	bl hex8
	add r5, r5, #1
	cmp r5, #%(NWORDS)d
	bne 1b
	mov r0, #10
	strb r0, [r6], #1
	movw r1, #:lower16:outbuf
	movt r1, #:upper16:outbuf
	sub r2, r6, r1
	mov r0, #1
	mov r7, #4
	svc #0
	pop {r4, r5, r6, r7, pc}
'''


def program(seqs, thumb):
    """GNU as source for the sequences [(id, seq)], all in one instruction set. Each sequence
    is a function of its own that _start calls: translated ahead of time, a hundred small
    functions cost LLVM a fraction of one function that holds them all."""
    fpu = 'neon-vfpv4' if any(s.get('neon') for _, s in seqs) else 'vfpv3'
    o = ['\t.syntax unified', '\t.arch armv7-a', '\t.arch_extension idiv', '\t.fpu ' + fpu,
         '\t.text', '\t.thumb' if thumb else '\t.arm', '\t.global _start',
         '\t.type _start, %function', '_start:']
    o += ['\tbl .Lq%d_run' % vid for vid, _ in seqs]
    o += ['\tmov r0, #0', '\tmov r7, #1', '\tsvc #0']
    data = []
    for vid, seq in seqs:
        pfx = '.Lq%d_' % vid
        o += ['@ ---- sequence %d' % vid, '%srun:' % pfx, '\tpush {lr}',
              '\tmovw r0, #%d' % (seq['init']['fill'] & 0xffff),
              '\tmovt r0, #%d' % (seq['init']['fill'] >> 16),
              '\tbl fill',
              '\tmovw r0, #:lower16:%sinit' % pfx, '\tmovt r0, #:upper16:%sinit' % pfx,
              '\tvldmia r0!, {d0-d15}', '\tvldmia r0!, {d16-d31}',
              '\tldmia r0!, {r1, r2}', '\tvmsr fpscr, r1', '\tmsr APSR_nzcvqg, r2',
              '\tldm r0, {r0-r12}']
        o += seq_lines(seq, pfx)
        o += ['\tpush {r0-r12}', '\tmrs r0, apsr', '\tvmrs r1, fpscr', '\tpush {r0, r1}',
              '\tvpush {d16-d31}', '\tvpush {d0-d15}', '\tbl cksum', '\tpush {r0}',
              '\tmov r0, sp', '\tmovw r1, #%d' % (vid & 0xffff), '\tmovt r1, #%d' % (vid >> 16),
              '\tbl dump', '\tadd sp, sp, #%d' % (NWORDS * 4), '\tpop {pc}']
        ini = seq['init']
        words = []
        for d in ini['d']:
            words += [d & 0xffffffff, d >> 32]
        words += [ini['fpscr'], ini['apsr']] + ini['r']
        ws = ['0x%08x' % w for w in words]
        ws[2 * 32 + 2 + BASE] = 'scratch+%d' % (SCRATCH // 2)
        data += ['\t.p2align 3', '%sinit:' % pfx] + ['\t.word ' + ', '.join(ws[i:i + 8])
                                                     for i in range(0, len(ws), 8)]
    o.append(RUNTIME % {'SCRATCH': SCRATCH, 'NWORDS': NWORDS})
    o += ['\t.section .rodata', 'hexdigits: .ascii "0123456789abcdef"', '\t.data'] + data
    o += ['\t.bss', '\t.p2align 3', 'scratch: .space %d' % SCRATCH, 'outbuf: .space 1024', '']
    return '\n'.join(o)


NAMES = (['mem'] + ['d%d' % i for i in range(32)] + ['apsr', 'fpscr'] +
         ['r%d' % i for i in range(13)])
APSR_MASK = 0xf80f0000


def parse(text):
    """{id: {name: value}} from a program's output; incomplete records are left out."""
    res = {}
    for blk in text.split('=== ')[1:]:
        toks = blk.split()
        if len(toks) != NWORDS + 1:
            continue
        try:
            vid = int(toks[0], 16)
            w = [int(t, 16) for t in toks[1:]]
        except ValueError:
            continue
        v = {'mem': w[0]}
        for i in range(32):
            v['d%d' % i] = w[1 + 2 * i] | w[2 + 2 * i] << 32
        v['apsr'] = w[65] & APSR_MASK
        v['fpscr'] = w[66]
        for i in range(13):
            v['r%d' % i] = w[67 + i]
        res[vid] = v
    return res


ORDER = ['r%d' % i for i in range(13)] + ['apsr', 'fpscr'] + ['d%d' % i for i in range(32)] + ['mem']


def first_diff(a, b):
    for n in ORDER:
        if a[n] != b[n]:
            return n
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seed', default='1')
    ap.add_argument('--isa', default='arm', choices=['arm', 'thumb', 'vfp', 'neon'])
    ap.add_argument('--count', type=int, default=50)
    ap.add_argument('--thumb', action='store_true', help='vfp sequences in Thumb')
    ap.add_argument('--no-fpexc', action='store_true',
                    help='mask the FPSCR cumulative exception flags where read')
    a = ap.parse_args()
    thumb = a.isa == 'thumb' or a.thumb
    seqs = [(i, gen_sequence(a.seed, a.isa, i, thumb, not a.no_fpexc)) for i in range(a.count)]
    print(program(seqs, thumb))


if __name__ == '__main__':
    main()
