"""Random Advanced SIMD (NEON) instructions for gen.py's 'neon' sequences.

neon_insn(gen) returns (pre, (mnemonic, datatype, operands)) as Gen's other classes do.
Only what xlate implements is generated: the integer and f32 data-processing classes
(VFMA/VFMS included, so the programs assemble for neon-vfpv4), the permutes,
VEXT/VTBL/VDUP and every element and structure load and store (without alignment hints:
the scratch bases are only 4-byte aligned).
"""

S = ['s8', 's16', 's32']
U = ['u8', 'u16', 'u32']
I = ['i8', 'i16', 'i32']


def _r(n):
    return 'r%d' % n


def _d(g):
    return 'd%d' % g.randrange(32)


def _q(g):
    return 'q%d' % g.randrange(16)


def _regs(g, q, n):
    f = _q if q else _d
    return ', '.join(f(g) for _ in range(n))


def _bits(dt):
    return int(''.join(ch for ch in dt if ch.isdigit()))


def three_same(g):
    q = g.random() < 0.5
    k = g.randrange(12)
    if k == 0:
        mn, dt = g.choice(['vadd', 'vsub']), g.choice(I + ['i64'])
    elif k == 1:
        mn, dt = g.choice(['vmul', 'vmla', 'vmls']), g.choice(I)
        if mn == 'vmul' and g.random() < 0.2:
            dt = 'p8'
    elif k == 2:
        mn, dt = g.choice(['vand', 'vbic', 'vorr', 'vorn', 'veor', 'vbsl', 'vbit', 'vbif']), ''
    elif k == 3:
        mn, dt = g.choice(['vhadd', 'vrhadd', 'vhsub']), g.choice(S + U)
    elif k == 4:
        mn, dt = g.choice(['vqadd', 'vqsub']), g.choice(S + U + ['s64', 'u64'])
    elif k == 5:
        mn, dt = g.choice(['vcgt', 'vcge']), g.choice(S + U)
    elif k == 6:
        mn, dt = g.choice(['vceq', 'vtst']), g.choice(I)
        if mn == 'vtst':
            dt = dt[1:]
    elif k == 7:
        mn, dt = g.choice(['vshl', 'vqshl', 'vrshl', 'vqrshl']), g.choice(S + U + ['s64', 'u64'])
    elif k == 8:
        mn, dt = g.choice(['vmax', 'vmin', 'vabd', 'vaba']), g.choice(S + U)
    elif k == 9:
        mn, dt = g.choice(['vqdmulh', 'vqrdmulh']), g.choice(['s16', 's32'])
    elif k == 10:
        mn = g.choice(['vpadd', 'vpmax', 'vpmin'])
        dt = g.choice(I) if mn == 'vpadd' else g.choice(S + U)
        q = False
    else:
        # operands that make the saturating and halving forms hit their edges
        mn, dt = g.choice(['vqadd', 'vqsub', 'vqdmulh', 'vqrdmulh']), 's16'
    return [], (mn, dt and '.' + dt, _regs(g, q, 3))


def _imm(g, dt):
    """(datatype, immediate) valid for VMOV/VMVN/VORR/VBIC (immediate)."""
    v = g.randrange(256)
    if dt == 'i8':
        return v
    if dt == 'i16':
        return v << g.choice([0, 8])
    if dt == 'i32':
        k = g.randrange(6)
        if k < 4:
            return v << (8 * k)
        return (v << 8 | 0xff) if k == 4 else (v << 16 | 0xffff)
    return sum(0xff << (8 * i) for i in range(8) if v >> i & 1)       # i64


def modified_imm(g):
    q = g.random() < 0.5
    reg = _q(g) if q else _d(g)
    k = g.randrange(4)
    if k == 0:
        dt = g.choice(['i8', 'i16', 'i32', 'i64'])
        return [], ('vmov', '.' + dt, '%s, #0x%x' % (reg, _imm(g, dt)))
    if k == 1:
        dt = g.choice(['i16', 'i32'])
        v = _imm(g, dt)
        return [], ('vmvn', '.' + dt, '%s, #0x%x' % (reg, v))
    if k == 2:
        dt = g.choice(['i16', 'i32'])
        v = g.randrange(256) << (8 * g.randrange(2 if dt == 'i16' else 4))
        return [], (g.choice(['vorr', 'vbic']), '.' + dt, '%s, #0x%x' % (reg, v))
    f = g.randint(16, 31) / 16.0 * 2.0 ** g.randint(-3, 4) * g.choice([1, -1])
    return [], ('vmov', '.f32', '%s, #%r' % (reg, f))


def shift_imm(g):
    q = g.random() < 0.5
    k = g.randrange(6)
    if k == 0:
        mn = g.choice(['vshr', 'vsra', 'vrshr', 'vrsra'])
        dt = g.choice(S + U + ['s64', 'u64'])
        return [], (mn, '.' + dt, '%s, #%d' % (_regs(g, q, 2), g.randint(1, _bits(dt))))
    if k == 1:
        mn = g.choice(['vsri', 'vsli', 'vshl'])
        b = g.choice([8, 16, 32, 64])
        n = g.randint(1, b) if mn == 'vsri' else g.randint(0, b - 1)
        dt = ('i%d' if mn == 'vshl' else '%d') % b
        return [], (mn, '.' + dt, '%s, #%d' % (_regs(g, q, 2), n))
    if k == 2:
        mn = g.choice(['vqshl', 'vqshlu'])
        dt = g.choice(S + ['s64'] + ([] if mn == 'vqshlu' else U + ['u64']))
        return [], (mn, '.' + dt, '%s, #%d' % (_regs(g, q, 2), g.randint(0, _bits(dt) - 1)))
    if k == 3:
        mn = g.choice(['vshrn', 'vrshrn', 'vqshrn', 'vqrshrn', 'vqshrun', 'vqrshrun'])
        if mn in ('vshrn', 'vrshrn'):
            dt = g.choice(['i16', 'i32', 'i64'])
        elif mn in ('vqshrun', 'vqrshrun'):
            dt = g.choice(['s16', 's32', 's64'])
        else:
            dt = g.choice(['s16', 's32', 's64', 'u16', 'u32', 'u64'])
        return [], (mn, '.' + dt, '%s, %s, #%d' % (_d(g), _q(g), g.randint(1, _bits(dt) // 2)))
    if k == 4:
        dt = g.choice(S + U)
        n = g.randint(1, _bits(dt))
        if n == _bits(dt):          # the shift by the lane size has its own encoding
            dt = 'i' + dt[1:]
        return [], ('vshll', '.' + dt, '%s, %s, #%d' % (_q(g), _d(g), n))
    return [], ('vmovl', '.' + g.choice(S + U), '%s, %s' % (_q(g), _d(g)))


def two_misc(g):
    q = g.random() < 0.5
    k = g.randrange(9)
    if k == 0:
        mn = g.choice(['vrev64', 'vrev32', 'vrev16'])
        dt = {'vrev64': ['8', '16', '32'], 'vrev32': ['8', '16'], 'vrev16': ['8']}[mn]
        return [], (mn, '.' + g.choice(dt), _regs(g, q, 2))
    if k == 1:
        return [], (g.choice(['vpaddl', 'vpadal']), '.' + g.choice(S + U), _regs(g, q, 2))
    if k == 2:
        mn = g.choice(['vcls', 'vclz', 'vcnt', 'vmvn', 'vqabs', 'vqneg', 'vabs', 'vneg'])
        dt = {'vcls': S, 'vclz': I, 'vcnt': ['8'], 'vmvn': [''], 'vqabs': S, 'vqneg': S,
              'vabs': S, 'vneg': S}[mn]
        dt = g.choice(dt)
        return [], (mn, dt and '.' + dt, _regs(g, q, 2))
    if k == 3:
        mn = g.choice(['vceq', 'vcge', 'vcgt', 'vcle', 'vclt'])
        dt = g.choice(I) if mn == 'vceq' else g.choice(S)
        return [], (mn, '.' + dt, '%s, #0' % _regs(g, q, 2))
    if k == 4:
        return [], ('vswp', '', _regs(g, q, 2))
    if k == 5:                      # (Vd == Vm is UNPREDICTABLE)
        mn = g.choice(['vtrn', 'vuzp', 'vzip'])
        dt = g.choice(['8', '16', '32'] if q or mn == 'vtrn' else ['8', '16'])
        a, b = g.sample(range(16 if q else 32), 2)
        return [], (mn, '.' + dt, ('q%d, q%d' if q else 'd%d, d%d') % (a, b))
    if k == 6:
        mn = g.choice(['vmovn', 'vqmovn', 'vqmovun'])
        dt = {'vmovn': ['i16', 'i32', 'i64'], 'vqmovn': ['s16', 's32', 's64', 'u16', 'u32', 'u64'],
              'vqmovun': ['s16', 's32', 's64']}[mn]
        return [], (mn, '.' + g.choice(dt), '%s, %s' % (_d(g), _q(g)))
    if k == 7:
        if q:
            return [], ('vext', '.8', '%s, #%d' % (_regs(g, True, 3), g.randrange(16)))
        return [], ('vext', '.8', '%s, #%d' % (_regs(g, False, 3), g.randrange(8)))
    n = g.randint(1, 4)
    a = g.randrange(33 - n)
    lst = ', '.join('d%d' % (a + i) for i in range(n))
    return [], (g.choice(['vtbl', 'vtbx']), '.8', '%s, {%s}, %s' % (_d(g), lst, _d(g)))


def dup(g):
    q = g.random() < 0.5
    reg = _q(g) if q else _d(g)
    b = g.choice([8, 16, 32])
    if g.random() < 0.5:
        return [], ('vdup', '.%d' % b, '%s, %s[%d]' % (reg, _d(g), g.randrange(64 // b)))
    return [], ('vdup', '.%d' % b, '%s, r%d' % (reg, g.choice(range(13))))


def three_diff(g):
    k = g.randrange(5)
    if k == 0:
        mn = g.choice(['vaddl', 'vsubl', 'vabdl', 'vabal', 'vmull', 'vmlal', 'vmlsl'])
        dt = g.choice(S + U + (['p8'] if mn == 'vmull' else []))
        return [], (mn, '.' + dt, '%s, %s, %s' % (_q(g), _d(g), _d(g)))
    if k == 4:
        mn = g.choice(['vqdmull', 'vqdmlal', 'vqdmlsl'])
        b = g.choice([16, 32])
        m = _d(g) if g.random() < 0.5 else \
            ('d%d[%d]' % ((g.randrange(8), g.randrange(4)) if b == 16 else
                          (g.randrange(16), g.randrange(2))))
        return [], (mn, '.s%d' % b, '%s, %s, %s' % (_q(g), _d(g), m))
    if k == 1:
        mn = g.choice(['vaddw', 'vsubw'])
        return [], (mn, '.' + g.choice(S + U), '%s, %s, %s' % (_q(g), _q(g), _d(g)))
    if k == 2:
        mn = g.choice(['vaddhn', 'vraddhn', 'vsubhn', 'vrsubhn'])
        return [], (mn, '.' + g.choice(['i16', 'i32', 'i64']), '%s, %s, %s' % (_d(g), _q(g), _q(g)))
    # by scalar: a 16-bit scalar is d0-d7[0-3], a 32-bit one d0-d15[0-1]
    b = g.choice([16, 32])
    sc = 'd%d[%d]' % ((g.randrange(8), g.randrange(4)) if b == 16 else
                      (g.randrange(16), g.randrange(2)))
    if g.random() < 0.5:
        mn = g.choice(['vmul', 'vmla', 'vmls', 'vqdmulh', 'vqrdmulh'])
        dt = ('s%d' if mn.startswith('vq') else 'i%d') % b
        q = g.random() < 0.5
        return [], (mn, '.' + dt, '%s, %s' % (_regs(g, q, 2), sc))
    mn = g.choice(['vmull', 'vmlal', 'vmlsl'])
    return [], (mn, '.%s%d' % (g.choice('su'), b), '%s, %s, %s' % (_q(g), _d(g), sc))


def half(gen):
    """Half-precision conversions: Advanced SIMD's, VFP's VCVTB/VCVTT (which follow FPSCR's
    RMode, FZ, DN and AHP, set at random first now and then)."""
    g = gen.g
    k = g.randrange(4)
    pre = []
    if g.random() < 0.3:
        v = g.randrange(16) << 28 | g.randrange(4) << 22 | g.randrange(8) << 24
        t = _r(gen.reg())
        pre = ['movw %s, #%d' % (t, v & 0xffff), 'movt %s, #%d' % (t, v >> 16),
               'vmsr fpscr, %s' % t]
    if k == 0:
        return pre, ('vcvt', '.f16.f32', '%s, %s' % (_d(g), _q(g)))
    if k == 1:
        return pre, ('vcvt', '.f32.f16', '%s, %s' % (_q(g), _d(g)))
    s = lambda: 's%d' % g.randrange(32)
    return pre, (g.choice(['vcvtb', 'vcvtt']), g.choice(['.f16.f32', '.f32.f16']),
                 '%s, %s' % (s(), s()))


def float_ops(g):
    q = g.random() < 0.5
    k = g.randrange(5)
    if k == 0:
        mn = g.choice(['vadd', 'vsub', 'vmul', 'vmla', 'vmls', 'vfma', 'vfms', 'vmax', 'vmin',
                       'vabd', 'vceq', 'vcge', 'vcgt', 'vacge', 'vacgt', 'vrecps', 'vrsqrts'])
        return [], (mn, '.f32', _regs(g, q, 3))
    if k == 1:
        return [], (g.choice(['vpadd', 'vpmax', 'vpmin']), '.f32', _regs(g, False, 3))
    if k == 2:
        mn = g.choice(['vabs', 'vneg', 'vceq', 'vcge', 'vcgt', 'vcle', 'vclt', 'vrecpe',
                       'vrsqrte', 'vrecpe', 'vrsqrte'])
        if mn in ('vabs', 'vneg'):
            return [], (mn, '.f32', _regs(g, q, 2))
        if mn.startswith('vr'):
            return [], (mn, g.choice(['.f32', '.u32']), _regs(g, q, 2))
        return [], (mn, '.f32', '%s, #0' % _regs(g, q, 2))
    if k == 3:
        dt = g.choice(['.s32.f32', '.u32.f32', '.f32.s32', '.f32.u32'])
        if g.random() < 0.5:
            return [], ('vcvt', dt, _regs(g, q, 2))
        return [], ('vcvt', dt, '%s, #%d' % (_regs(g, q, 2), g.randint(1, 32)))
    mn = g.choice(['vmul', 'vmla', 'vmls'])
    sc = 'd%d[%d]' % (g.randrange(16), g.randrange(2))
    return [], (mn, '.f32', '%s, %s' % (_regs(g, q, 2), sc))


def load_store(gen):
    g = gen.g
    tb, pre = gen.tmpbase()
    wb = g.randrange(3)
    if wb == 0:
        addr = '[%s]' % _r(tb)
    elif wb == 1:
        addr = '[%s]!' % _r(tb)
    else:
        rm = gen.reg((tb,))
        pre = pre + ['mov %s, #%d' % (_r(rm), g.randrange(0, 64, 4))]
        addr = '[%s], %s' % (_r(tb), _r(rm))
    ld = g.random() < 0.5
    k = g.randrange(3)
    if k == 0:                      # multiple structures
        n = g.randint(1, 4)
        if n == 1:
            cnt = g.randint(1, 4)
            a = g.randrange(33 - cnt)
            lst = ['d%d' % (a + i) for i in range(cnt)]
            dt = g.choice(['8', '16', '32', '64'])
        else:
            inc = g.choice([1, 2])
            regs = 2 if n == 2 and inc == 1 and g.random() < 0.3 else 1
            cnt = n * regs
            if regs == 2:
                a = g.randrange(29)
                lst = ['d%d' % (a + i) for i in range(4)]
            else:
                a = g.randrange(33 - (n - 1) * inc - 1)
                lst = ['d%d' % (a + i * inc) for i in range(n)]
            dt = g.choice(['8', '16', '32'])
        mn = ('vld%d' if ld else 'vst%d') % n
        return pre, (mn, '.' + dt, '{%s}, %s' % (', '.join(lst), addr))
    n = g.randint(1, 4)
    dt = g.choice([8, 16, 32])
    inc = 1 if n == 1 or dt == 8 else g.choice([1, 2])
    a = g.randrange(32 - (n - 1) * inc)
    regs = ['d%d' % (a + i * inc) for i in range(n)]
    if k == 1 or not ld:            # one lane
        lane = g.randrange(64 // dt)
        lst = ', '.join('%s[%d]' % (x, lane) for x in regs)
        mn = ('vld%d' if ld else 'vst%d') % n
        return pre, (mn, '.%d' % dt, '{%s}, %s' % (lst, addr))
    if n == 1 and g.random() < 0.5 and a < 31:
        regs = ['d%d' % a, 'd%d' % (a + 1)]
    lst = ', '.join('%s[]' % x for x in regs)
    return pre, ('vld%d' % n, '.%d' % dt, '{%s}, %s' % (lst, addr))


def neon_insn(gen):
    g = gen.g
    k = g.randrange(100)
    if k < 30:
        return three_same(g)
    if k < 38:
        return modified_imm(g)
    if k < 52:
        return shift_imm(g)
    if k < 68:
        return two_misc(g)
    if k < 73:
        return dup(g)
    if k < 80:
        return three_diff(g)
    if k < 88:
        return float_ops(g)
    if k < 90:
        return half(gen)
    return load_store(gen)
