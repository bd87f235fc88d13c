/*
 * Advanced SIMD integer intrinsics (arm_neon.h), one group per class of the ARM ARM's
 * tables: each result is printed as hex, FPSCR.QC after each saturating group.
 * guest-ldflags: -mfpu=neon
 */
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint8_t buf[256] __attribute__((aligned(16)));

static void show(const char *name, const void *p, unsigned n)
{
    const uint8_t *b = p;
    printf("%-10s", name);
    for (unsigned i = n; i-- > 0;)
        printf("%02x%s", b[i], i % 8 == 0 && i ? " " : "");
    printf("\n");
}

#define SHOWQ(name, v) do { __typeof__(v) t_ = (v); show(name, &t_, 16); } while (0)
#define SHOWD(name, v) do { __typeof__(v) t_ = (v); show(name, &t_, 8); } while (0)

static unsigned qc_take(void)
{
    unsigned f;
    __asm__ volatile("vmrs %0, fpscr" : "=r"(f));
    unsigned q = f >> 27 & 1;
    f &= ~(1u << 27);
    __asm__ volatile("vmsr fpscr, %0" : : "r"(f));
    return q;
}

/* Inputs with the lanes' extremes in them. */
static void inputs(uint8x16_t *a, uint8x16_t *b)
{
    static const uint8_t x[16] = { 0x00, 0x7f, 0x80, 0xff, 0x01, 0xfe, 0x40, 0xc0,
                                   0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0 };
    static const uint8_t y[16] = { 0xff, 0x01, 0x80, 0x7f, 0x00, 0x02, 0x40, 0x41,
                                   0xf3, 0x05, 0x90, 0x88, 0x10, 0x3c, 0x07, 0x0f };
    *a = vld1q_u8(x);
    *b = vld1q_u8(y);
}

static void same_length(uint8x16_t a, uint8x16_t b)
{
    int16x8_t sa = vreinterpretq_s16_u8(a), sb = vreinterpretq_s16_u8(b);
    int32x4_t wa = vreinterpretq_s32_u8(a), wb = vreinterpretq_s32_u8(b);
    SHOWQ("vadd.8", vaddq_u8(a, b));
    SHOWQ("vsub.16", vsubq_s16(sa, sb));
    SHOWQ("vadd.64", vaddq_u64(vreinterpretq_u64_u8(a), vreinterpretq_u64_u8(b)));
    SHOWQ("vmul.16", vmulq_s16(sa, sb));
    SHOWQ("vmul.32", vmulq_s32(wa, wb));
    SHOWQ("vmla.8", vmlaq_u8(a, a, b));
    SHOWQ("vmls.32", vmlsq_s32(wa, wa, wb));
    SHOWQ("vhadd.s8", vhaddq_s8(vreinterpretq_s8_u8(a), vreinterpretq_s8_u8(b)));
    SHOWQ("vrhadd.u8", vrhaddq_u8(a, b));
    SHOWQ("vhsub.u16", vhsubq_u16(vreinterpretq_u16_u8(a), vreinterpretq_u16_u8(b)));
    SHOWQ("vabd.s8", vabdq_s8(vreinterpretq_s8_u8(a), vreinterpretq_s8_u8(b)));
    SHOWQ("vaba.u16", vabaq_u16(vreinterpretq_u16_u8(a), vreinterpretq_u16_u8(a),
                                vreinterpretq_u16_u8(b)));
    SHOWQ("vmax.s16", vmaxq_s16(sa, sb));
    SHOWQ("vmin.u32", vminq_u32(vreinterpretq_u32_u8(a), vreinterpretq_u32_u8(b)));
    SHOWQ("vceq.8", vceqq_u8(a, b));
    SHOWQ("vcgt.s8", vcgtq_s8(vreinterpretq_s8_u8(a), vreinterpretq_s8_u8(b)));
    SHOWQ("vcge.u16", vcgeq_u16(vreinterpretq_u16_u8(a), vreinterpretq_u16_u8(b)));
    SHOWQ("vtst.32", vtstq_s32(wa, wb));
    SHOWQ("vand", vandq_u8(a, b));
    SHOWQ("vorr", vorrq_u8(a, b));
    SHOWQ("veor", veorq_u8(a, b));
    SHOWQ("vbic", vbicq_u8(a, b));
    SHOWQ("vorn", vornq_u8(a, b));
    SHOWQ("vbsl", vbslq_u8(veorq_u8(a, b), a, b));
    SHOWQ("vshl.s8", vshlq_s8(vreinterpretq_s8_u8(a), vreinterpretq_s8_u8(b)));
    SHOWQ("vshl.u16", vshlq_u16(vreinterpretq_u16_u8(a), vdupq_n_s16(-3)));
    SHOWQ("vrshl.s32", vrshlq_s32(wa, vdupq_n_s32(-7)));
    SHOWQ("vshl.u64", vshlq_u64(vreinterpretq_u64_u8(a), vdupq_n_s64(5)));
    SHOWD("vpadd.8", vpadd_u8(vget_low_u8(a), vget_high_u8(b)));
    SHOWD("vpmax.s16", vpmax_s16(vget_low_s16(sa), vget_high_s16(sb)));
    SHOWD("vpmin.u8", vpmin_u8(vget_low_u8(a), vget_high_u8(b)));
}

static void saturating(uint8x16_t a, uint8x16_t b)
{
    int8x16_t sa = vreinterpretq_s8_u8(a), sb = vreinterpretq_s8_u8(b);
    int16x8_t ha = vreinterpretq_s16_u8(a), hb = vreinterpretq_s16_u8(b);
    int32x4_t wa = vreinterpretq_s32_u8(a), wb = vreinterpretq_s32_u8(b);
    qc_take();
    SHOWQ("vqadd.s8", vqaddq_s8(sa, sb));
    printf("qc %u\n", qc_take());
    SHOWQ("vqadd.u8", vqaddq_u8(vandq_u8(a, vdupq_n_u8(0x3f)), vandq_u8(b, vdupq_n_u8(0x3f))));
    printf("qc %u\n", qc_take());
    SHOWQ("vqsub.u16", vqsubq_u16(vreinterpretq_u16_u8(a), vreinterpretq_u16_u8(b)));
    printf("qc %u\n", qc_take());
    SHOWQ("vqsub.s64", vqsubq_s64(vreinterpretq_s64_u8(a), vreinterpretq_s64_u8(b)));
    printf("qc %u\n", qc_take());
    SHOWQ("vqdmulh.16", vqdmulhq_s16(ha, hb));
    printf("qc %u\n", qc_take());
    SHOWQ("vqrdmulh.32", vqrdmulhq_s32(wa, wb));
    SHOWQ("vqrdmulh.m", vqrdmulhq_s16(vdupq_n_s16(-32768), vdupq_n_s16(-32768)));
    printf("qc %u\n", qc_take());
    SHOWQ("vqshl.s8", vqshlq_s8(sa, vdupq_n_s8(3)));
    printf("qc %u\n", qc_take());
    SHOWQ("vqshl.u16n", vqshlq_n_u16(vreinterpretq_u16_u8(a), 4));
    SHOWQ("vqshlu.s32", vqshluq_n_s32(wa, 2));
    printf("qc %u\n", qc_take());
    SHOWD("vqmovn.s16", vqmovn_s16(ha));
    SHOWD("vqmovn.u32", vqmovn_u32(vreinterpretq_u32_u8(b)));
    SHOWD("vqmovun.s64", vqmovun_s64(vreinterpretq_s64_u8(a)));
    printf("qc %u\n", qc_take());
    SHOWD("vqshrn.s32", vqshrn_n_s32(wa, 9));
    SHOWD("vqrshrun", vqrshrun_n_s16(ha, 3));
    SHOWD("vqrshrn.u64", vqrshrn_n_u64(vreinterpretq_u64_u8(b), 17));
    printf("qc %u\n", qc_take());
    SHOWQ("vqabs.s8", vqabsq_s8(sa));
    SHOWQ("vqneg.s16", vqnegq_s16(ha));
    printf("qc %u\n", qc_take());
    SHOWQ("vqrshl.s16", vqrshlq_s16(ha, hb));
    SHOWQ("vqrshl.u32", vqrshlq_u32(vreinterpretq_u32_u8(a), vdupq_n_s32(-9)));
    printf("qc %u\n", qc_take());
    int16x4_t hl = vget_low_s16(ha), hh = vget_high_s16(hb);
    SHOWQ("vqdmull.16", vqdmull_s16(hl, hh));
    SHOWQ("vqdmull.m", vqdmull_s16(vdup_n_s16(-32768), vdup_n_s16(-32768)));
    printf("qc %u\n", qc_take());
    SHOWQ("vqdmlal.32", vqdmlal_s32(vreinterpretq_s64_u8(a), vget_low_s32(wa), vget_high_s32(wb)));
    SHOWQ("vqdmlsl.l", vqdmlsl_lane_s16(vreinterpretq_s32_u8(b), hl, hh, 3));
    SHOWQ("vqdmull.l", vqdmull_lane_s32(vget_high_s32(wa), vget_low_s32(wb), 1));
    printf("qc %u\n", qc_take());
    SHOWQ("vmul.p8", vmulq_p8(vreinterpretq_p8_u8(a), vreinterpretq_p8_u8(b)));
    SHOWQ("vmull.p8", vmull_p8(vget_low_p8(vreinterpretq_p8_u8(a)),
                               vget_high_p8(vreinterpretq_p8_u8(b))));
}

static void shifts(uint8x16_t a, uint8x16_t b)
{
    int16x8_t ha = vreinterpretq_s16_u8(a);
    uint32x4_t wa = vreinterpretq_u32_u8(a), wb = vreinterpretq_u32_u8(b);
    SHOWQ("vshr.s16", vshrq_n_s16(ha, 5));
    SHOWQ("vshr.u32", vshrq_n_u32(wa, 32));
    SHOWQ("vshr.s64", vshrq_n_s64(vreinterpretq_s64_u8(a), 64));
    SHOWQ("vsra.u8", vsraq_n_u8(a, b, 3));
    SHOWQ("vrshr.s32", vrshrq_n_s32(vreinterpretq_s32_u8(a), 31));
    SHOWQ("vrsra.u64", vrsraq_n_u64(vreinterpretq_u64_u8(a), vreinterpretq_u64_u8(b), 64));
    SHOWQ("vshl.n8", vshlq_n_u8(a, 7));
    SHOWQ("vsri.32", vsriq_n_u32(wa, wb, 12));
    SHOWQ("vsli.16", vsliq_n_u16(vreinterpretq_u16_u8(a), vreinterpretq_u16_u8(b), 9));
    SHOWD("vshrn.32", vshrn_n_u32(wa, 11));
    SHOWD("vrshrn.16", vrshrn_n_u16(vreinterpretq_u16_u8(b), 8));
    SHOWQ("vshll.s8", vshll_n_s8(vget_low_s8(vreinterpretq_s8_u8(a)), 3));
    SHOWQ("vshll.u16m", vshll_n_u16(vget_high_u16(vreinterpretq_u16_u8(b)), 16));
    SHOWQ("vmovl.s32", vmovl_s32(vget_high_s32(vreinterpretq_s32_u8(a))));
    SHOWD("vmovn.64", vmovn_u64(vreinterpretq_u64_u8(b)));
}

static void misc(uint8x16_t a, uint8x16_t b)
{
    SHOWQ("vrev64.8", vrev64q_u8(a));
    SHOWQ("vrev32.16", vrev32q_u16(vreinterpretq_u16_u8(a)));
    SHOWQ("vrev16.8", vrev16q_u8(b));
    SHOWQ("vpaddl.s8", vpaddlq_s8(vreinterpretq_s8_u8(a)));
    SHOWQ("vpadal.u16", vpadalq_u16(vreinterpretq_u32_u8(b), vreinterpretq_u16_u8(a)));
    SHOWQ("vcnt", vcntq_u8(a));
    SHOWQ("vclz.16", vclzq_u16(vreinterpretq_u16_u8(b)));
    SHOWQ("vcls.8", vclsq_s8(vreinterpretq_s8_u8(a)));
    SHOWQ("vmvn", vmvnq_u8(a));
    SHOWQ("vabs.s32", vabsq_s32(vreinterpretq_s32_u8(a)));
    SHOWQ("vneg.s8", vnegq_s8(vreinterpretq_s8_u8(b)));
    SHOWQ("vceqz.16", vceqq_s16(vreinterpretq_s16_u8(a), vdupq_n_s16(0)));
    SHOWQ("vcltz.8", vcltq_s8(vreinterpretq_s8_u8(a), vdupq_n_s8(0)));
    uint8x16x2_t z = vzipq_u8(a, b);
    SHOWQ("vzip.8 a", z.val[0]);
    SHOWQ("vzip.8 b", z.val[1]);
    uint16x8x2_t u = vuzpq_u16(vreinterpretq_u16_u8(a), vreinterpretq_u16_u8(b));
    SHOWQ("vuzp.16 a", u.val[0]);
    SHOWQ("vuzp.16 b", u.val[1]);
    uint32x2x2_t t = vtrn_u32(vget_low_u32(vreinterpretq_u32_u8(a)),
                              vget_low_u32(vreinterpretq_u32_u8(b)));
    SHOWD("vtrn.32 a", t.val[0]);
    SHOWD("vtrn.32 b", t.val[1]);
    uint8x8x2_t zd = vzip_u8(vget_low_u8(a), vget_high_u8(b));
    SHOWD("vzip d a", zd.val[0]);
    SHOWD("vzip d b", zd.val[1]);
    SHOWQ("vext.8 #5", vextq_u8(a, b, 5));
    SHOWQ("vext.8 #12", vextq_u8(a, b, 12));
    SHOWD("vext.16", vext_u16(vget_low_u16(vreinterpretq_u16_u8(a)),
                              vget_high_u16(vreinterpretq_u16_u8(b)), 3));
    uint8x8x4_t tab = { { vget_low_u8(a), vget_high_u8(a), vget_low_u8(b), vget_high_u8(b) } };
    uint8x8_t idx = vcreate_u8(0x2019100f0801ff00ull);
    SHOWD("vtbl4", vtbl4_u8(tab, idx));
    SHOWD("vtbl1", vtbl1_u8(vget_low_u8(a), vcreate_u8(0x0706050403020908ull)));
    SHOWD("vtbx2", vtbx2_u8(vget_low_u8(b), (uint8x8x2_t){ { tab.val[0], tab.val[1] } }, idx));
    SHOWQ("vdup.n", vdupq_n_u16(0xbeef));
    SHOWQ("vdup.lane", vdupq_lane_u8(vget_high_u8(a), 6));
    SHOWD("vdup.lane32", vdup_lane_s32(vget_low_s32(vreinterpretq_s32_u8(b)), 1));
    SHOWQ("vmov.imm", vdupq_n_u32(0x00ab0000));
    SHOWQ("vmvn.imm", vdupq_n_u16(0xfeff));
    SHOWQ("vorr.imm", vorrq_u32(vreinterpretq_u32_u8(a), vdupq_n_u32(0x5500)));
    SHOWQ("vbic.imm", vandq_u16(vreinterpretq_u16_u8(b), vdupq_n_u16(0xff0f)));
    SHOWQ("vmov.i64", vdupq_n_u64(0xff00ffff0000ff00ull));
}

static void long_narrow(uint8x16_t a, uint8x16_t b)
{
    int16x4_t ha = vget_low_s16(vreinterpretq_s16_u8(a));
    int16x4_t hb = vget_high_s16(vreinterpretq_s16_u8(b));
    uint32x2_t wa = vget_low_u32(vreinterpretq_u32_u8(a));
    uint32x2_t wb = vget_high_u32(vreinterpretq_u32_u8(b));
    SHOWQ("vaddl.u8", vaddl_u8(vget_low_u8(a), vget_high_u8(b)));
    SHOWQ("vaddw.s16", vaddw_s16(vreinterpretq_s32_u8(a), hb));
    SHOWQ("vsubl.s32", vsubl_s32(vreinterpret_s32_u32(wa), vreinterpret_s32_u32(wb)));
    SHOWQ("vsubw.u8", vsubw_u8(vreinterpretq_u16_u8(b), vget_low_u8(a)));
    SHOWD("vaddhn.16", vaddhn_u16(vreinterpretq_u16_u8(a), vreinterpretq_u16_u8(b)));
    SHOWD("vraddhn.32", vraddhn_s32(vreinterpretq_s32_u8(a), vreinterpretq_s32_u8(b)));
    SHOWD("vsubhn.64", vsubhn_u64(vreinterpretq_u64_u8(a), vreinterpretq_u64_u8(b)));
    SHOWD("vrsubhn.16", vrsubhn_s16(vreinterpretq_s16_u8(a), vreinterpretq_s16_u8(b)));
    SHOWQ("vabdl.s16", vabdl_s16(ha, hb));
    SHOWQ("vabal.u8", vabal_u8(vreinterpretq_u16_u8(a), vget_low_u8(a), vget_high_u8(b)));
    SHOWQ("vmull.s16", vmull_s16(ha, hb));
    SHOWQ("vmull.u32", vmull_u32(wa, wb));
    SHOWQ("vmlal.s8", vmlal_s8(vreinterpretq_s16_u8(b), vget_low_s8(vreinterpretq_s8_u8(a)),
                               vget_high_s8(vreinterpretq_s8_u8(b))));
    SHOWQ("vmlsl.u16", vmlsl_u16(vreinterpretq_u32_u8(a), vreinterpret_u16_s16(ha),
                                 vreinterpret_u16_s16(hb)));
    SHOWQ("vmul.lane", vmulq_lane_s16(vreinterpretq_s16_u8(a), hb, 2));
    SHOWQ("vmla.lane", vmlaq_lane_u32(vreinterpretq_u32_u8(b), vreinterpretq_u32_u8(a), wb, 1));
    SHOWD("vmls.lane", vmls_lane_s16(ha, hb, ha, 3));
    SHOWQ("vmull.lane", vmull_lane_u32(wa, wb, 0));
    SHOWQ("vmlal.lane", vmlal_lane_s16(vreinterpretq_s32_u8(a), ha, hb, 1));
    SHOWQ("vqdmulh.l", vqdmulhq_lane_s16(vreinterpretq_s16_u8(a), hb, 0));
    SHOWQ("vqrdmulh.l", vqrdmulhq_lane_s32(vreinterpretq_s32_u8(b), vreinterpret_s32_u32(wa), 1));
    printf("qc %u\n", qc_take());
}

static void loads_stores(void)
{
    for (unsigned i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 37 + 11);
    uint8x16x2_t l2 = vld2q_u8(buf + 1);
    SHOWQ("vld2 a", l2.val[0]);
    SHOWQ("vld2 b", l2.val[1]);
    uint16x4x3_t l3 = vld3_u16((const uint16_t *)(buf + 40));
    SHOWD("vld3 a", l3.val[0]);
    SHOWD("vld3 b", l3.val[1]);
    SHOWD("vld3 c", l3.val[2]);
    uint32x4x4_t l4 = vld4q_u32((const uint32_t *)(buf + 64));
    SHOWQ("vld4 a", l4.val[0]);
    SHOWQ("vld4 d", l4.val[3]);
    uint8x8_t lane = vld1_lane_u8(buf + 7, vcreate_u8(0x1122334455667788ull), 5);
    SHOWD("vld1.lane", lane);
    SHOWQ("vld1.dup", vld1q_dup_u16((const uint16_t *)(buf + 9)));
    uint16x4x2_t l2l = vld2_lane_u16((const uint16_t *)(buf + 3), (uint16x4x2_t){ { vcreate_u16(0),
                                     vcreate_u16(~0ull) } }, 2);
    SHOWD("vld2.lane a", l2l.val[0]);
    SHOWD("vld2.lane b", l2l.val[1]);
    uint8x8x3_t d3 = vld3_dup_u8(buf + 17);
    SHOWD("vld3.dup", d3.val[2]);
    uint8_t out[96];
    memset(out, 0xee, sizeof(out));
    vst2q_u8(out, l2);
    vst3_u16((uint16_t *)(out + 32), l3);
    uint32x2x4_t four = { { vget_low_u32(l4.val[0]), vget_low_u32(l4.val[1]),
                            vget_low_u32(l4.val[2]), vget_high_u32(l4.val[3]) } };
    vst4_lane_u32((uint32_t *)(out + 56), four, 1);
    vst1_lane_u16((uint16_t *)(out + 73), vreinterpret_u16_u8(lane), 3);
    vst1q_u8(out + 80, vld1q_u8(buf + 200));
    for (unsigned i = 0; i < sizeof(out); i += 16)
        show("stores", out + i, 16);
}

int main(void)
{
    uint8x16_t a, b;
    inputs(&a, &b);
    same_length(a, b);
    saturating(a, b);
    shifts(a, b);
    misc(a, b);
    long_narrow(a, b);
    loads_stores();
    return 0;
}
