/*
 * The report of `xlate bench` (docs/benchmarks.md): the table on stdout, the CSV (--csv)
 * and the SVG chart (--chart), from the results that tools/bench.c measured.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tools/args.h"
#include "tools/bench_internal.h"

/* ---- the table ---- */

/* A table row being built: cells padded to their widths, printed without trailing blanks. */
struct row {
    char s[512];
    size_t n;
};

static void put(struct row *r, int w, const char *text)
{
    int k = snprintf(r->s + r->n, sizeof r->s - r->n, "%-*s", w, text);
    if (k > 0)
        r->n = r->n + (size_t)k < sizeof r->s ? r->n + (size_t)k : sizeof r->s - 1;
}

/* A value with a format, or "-" when unknown. */
static void cell(struct row *r, int w, const char *fmt, double v)
{
    char s[32];
    if (v < 0)
        snprintf(s, sizeof s, "-");
    else
        snprintf(s, sizeof s, fmt, v);
    put(r, w, s);
}

/* 1234567 as "1.23M": insns per second. */
static void cell_si(struct row *r, int w, double v)
{
    char s[32];
    if (v < 0)
        snprintf(s, sizeof s, "-");
    else if (v >= 1e9)
        snprintf(s, sizeof s, "%.2fG", v / 1e9);
    else if (v >= 1e6)
        snprintf(s, sizeof s, "%.2fM", v / 1e6);
    else if (v >= 1e3)
        snprintf(s, sizeof s, "%.1fk", v / 1e3);
    else
        snprintf(s, sizeof s, "%.0f", v);
    put(r, w, s);
}

static void row_end(struct row *r)
{
    while (r->n && r->s[r->n - 1] == ' ')
        r->n--;
    r->s[r->n] = '\0';
    puts(r->s);
    r->n = 0;
}

static void print_header(const struct bench *b)
{
    printf("xlate bench: %zu benchmark%s, %s builds, scale %d, median of %d run%s%s; "
           "AOT at -O%d -j %u%s\n", b->nres, b->nres == 1 ? "" : "s",
           b->o.thumb ? "Thumb (-mthumb)" : "ARM (-marm)", b->o.scale, b->o.runs,
           b->o.runs == 1 ? "" : "s", b->o.quick ? " (--quick)" : "", b->o.opt_level,
           b->o.jobs, b->o.opt_level != DEFAULT_OPT_LEVEL ?
           " (not xlate's default -O2: AOT figures are not representative)" : "");
    printf("machine: %s, %ld cores; qemu-arm: %s\n\n", b->cpu, b->ncpu,
           b->qemu[0] ? b->qemu : "not found");
}

void print_tables(const struct bench *b)
{
    static const struct { const char *name; int w; } times[] = {
        { "benchmark", 12 }, { "native", 10 }, { "aot", 10 }, { "jit", 10 },
        { "qemu-arm", 10 }, { "aot/native", 12 }, { "jit/native", 12 }, { "qemu/native", 12 },
        { "jit/qemu", 10 }, { "xlate-s", 9 }, { "jit-translate-ms", 18 }, { "check", 0 },
    }, code[] = {
        { "translation", 12 }, { "aot-insns", 12 }, { "aot-insns/s", 14 },
        { "aot-bytes/insn", 16 }, { "jit-insns", 12 }, { "jit-insns/s", 14 },
        { "jit-bytes/insn", 16 }, { "aot-run-jit-blocks", 0 },
    };
    struct row row = { .n = 0 };
    struct figures g = geomeans(b);
    print_header(b);
    for (size_t c = 0; c < sizeof times / sizeof times[0]; c++)
        put(&row, times[c].w, times[c].name);
    row_end(&row);
    for (size_t i = 0; i < b->nres; i++) {
        const struct result *r = &b->res[i];
        struct figures f = figures_of(r);
        put(&row, 12, r->name);
        for (int w = 0; w < NWAYS; w++)
            cell(&row, 10, "%.3f s", r->med[w]);
        cell(&row, 12, "%.2fx", f.vs_native[W_AOT]);
        cell(&row, 12, "%.2fx", f.vs_native[W_JIT]);
        cell(&row, 12, "%.2fx", f.vs_native[W_QEMU]);
        cell(&row, 10, "%.2fx", f.jit_qemu);
        cell(&row, 9, "%.1f", r->xlate_s);
        cell(&row, 18, "%.1f", r->jit_translate_s < 0 ? -1 : r->jit_translate_s * 1e3);
        put(&row, 0, result_ok(r) ? "ok" : "FAIL");
        row_end(&row);
    }
    put(&row, 52, "geomean");
    cell(&row, 12, "%.2fx", g.vs_native[W_AOT]);
    cell(&row, 12, "%.2fx", g.vs_native[W_JIT]);
    cell(&row, 12, "%.2fx", g.vs_native[W_QEMU]);
    cell(&row, 10, "%.2fx", g.jit_qemu);
    row_end(&row);
    putchar('\n');

    for (size_t c = 0; c < sizeof code / sizeof code[0]; c++)
        put(&row, code[c].w, code[c].name);
    row_end(&row);
    for (size_t i = 0; i < b->nres; i++) {
        const struct result *r = &b->res[i];
        struct figures f = figures_of(r);
        put(&row, 12, r->name);
        cell(&row, 12, "%.0f", r->aot_insns ? (double)r->aot_insns : -1);
        cell_si(&row, 14, f.aot_ips);
        cell(&row, 16, "%.1f", f.aot_bpi);
        cell(&row, 12, "%.0f", r->jit_insns ? (double)r->jit_insns : -1);
        cell_si(&row, 14, f.jit_ips);
        cell(&row, 16, "%.1f", f.jit_bpi);
        cell(&row, 0, "%.0f",
             r->xlate_s >= 0 && !r->failed[W_AOT] ? (double)r->aot_jit_blocks : -1);
        row_end(&row);
    }
    put(&row, 24, "geomean");
    cell_si(&row, 14, g.aot_ips);
    cell(&row, 16, "%.1f", g.aot_bpi);
    put(&row, 12, "");
    cell_si(&row, 14, g.jit_ips);
    cell(&row, 16, "%.1f", g.jit_bpi);
    row_end(&row);
    for (size_t i = 0; i < b->nres; i++)
        if (b->res[i].problem[0])
            printf("FAIL %s: %s\n", b->res[i].name, b->res[i].problem);
    fflush(stdout);
}

/* ---- CSV ---- */

static void csv_num(FILE *f, const char *fmt, double v)
{
    fputc(',', f);
    if (v >= 0)
        fprintf(f, fmt, v);
}

int write_csv(const struct bench *b)
{
    FILE *f = fopen(b->o.csv, "w");
    if (!f) {
        tool_error("cannot write %s: %s", b->o.csv, strerror(errno));
        return -1;
    }
    fputs("benchmark", f);
    for (int w = 0; w < NWAYS; w++)
        fprintf(f, ",%s", ways[w].csv);
    fputs(",aot_native,jit_native,qemu_native,jit_qemu,xlate_s,aot_functions,aot_guest_insns,"
          "aot_code_bytes,aot_insns_per_s,aot_bytes_per_insn,aot_run_jit_blocks,"
          "jit_translate_ms,jit_guest_insns,jit_code_bytes,jit_insns_per_s,"
          "jit_bytes_per_insn,scale,runs,check\n", f);
    for (size_t i = 0; i < b->nres; i++) {
        const struct result *r = &b->res[i];
        struct figures fg = figures_of(r);
        bool aot = r->xlate_s >= 0;
        fputs(r->name, f);      /* file names of NAME.native: no commas or quotes expected */
        for (int w = 0; w < NWAYS; w++)
            csv_num(f, "%.6f", r->med[w]);
        csv_num(f, "%.4f", fg.vs_native[W_AOT]);
        csv_num(f, "%.4f", fg.vs_native[W_JIT]);
        csv_num(f, "%.4f", fg.vs_native[W_QEMU]);
        csv_num(f, "%.4f", fg.jit_qemu);
        csv_num(f, "%.3f", r->xlate_s);
        csv_num(f, "%.0f", aot ? (double)r->aot_fns : -1);
        csv_num(f, "%.0f", aot ? (double)r->aot_insns : -1);
        csv_num(f, "%.0f", aot ? (double)r->aot_bytes : -1);
        csv_num(f, "%.0f", fg.aot_ips);
        csv_num(f, "%.3f", fg.aot_bpi);
        csv_num(f, "%.0f", aot && !r->failed[W_AOT] ? (double)r->aot_jit_blocks : -1);
        csv_num(f, "%.3f", r->jit_translate_s < 0 ? -1 : r->jit_translate_s * 1e3);
        csv_num(f, "%.0f", r->jit_insns ? (double)r->jit_insns : -1);
        csv_num(f, "%.0f", r->jit_bytes ? (double)r->jit_bytes : -1);
        csv_num(f, "%.0f", fg.jit_ips);
        csv_num(f, "%.3f", fg.jit_bpi);
        fprintf(f, ",%d,%d,%s\n", b->o.scale, b->o.runs, result_ok(r) ? "ok" : "FAIL");
    }
    bool ok = !ferror(f);
    if (fclose(f) != 0 || !ok) {
        tool_error("cannot write %s", b->o.csv);
        return -1;
    }
    return 0;
}

/* ---- the SVG chart ---- */

/* Text for XML character data and attribute values. */
static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
                fputc(*s, f);
        }
}

/* The 1-2-5 series: the largest value <= v (down) or the smallest >= v (up). */
static double nice_125(double v, bool up)
{
    double p = pow(10, floor(log10(v)));
    static const double steps[] = { 1, 2, 5, 10 };
    if (up) {
        for (int i = 0; i < 4; i++)
            if (steps[i] * p >= v * (1 - 1e-9))
                return steps[i] * p;
        return 10 * p;
    }
    for (int i = 3; i >= 0; i--)
        if (steps[i] * p <= v * (1 + 1e-9))
            return steps[i] * p;
    return p;
}

static void fmt_ratio(char *s, size_t n, double v)
{
    snprintf(s, n, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
}

enum { SVG_LEFT = 80, SVG_RIGHT = 24, SVG_TOP = 92, SVG_PLOT_H = 320, SVG_BOTTOM = 96,
       SVG_BAR = 14, SVG_GAP = 20, SVG_MIN_PLOT_W = 620 };
static const enum way chart_ways[] = { W_AOT, W_JIT, W_QEMU };
enum { NCHART = sizeof chart_ways / sizeof chart_ways[0] };

struct chart {
    FILE *f;
    double lo, hi;              /* the y range (ratios), 1-2-5 values */
    int width, plot_w;
    double gw;                  /* the width of a group of bars */
};

static double chart_y(const struct chart *c, double v)
{
    return SVG_TOP + SVG_PLOT_H * (log(c->hi) - log(v)) / (log(c->hi) - log(c->lo));
}

/* One group of bars (aot, jit, qemu-arm) from 1x up (slower than native) or down. */
static void chart_group(const struct chart *c, int g, const char *name, const double *v,
                        bool failed)
{
    FILE *f = c->f;
    double x0 = SVG_LEFT + g * c->gw + (c->gw - NCHART * SVG_BAR) / 2, y1 = chart_y(c, 1);
    for (int k = 0; k < NCHART; k++) {
        if (v[k] <= 0)
            continue;
        double x = x0 + k * SVG_BAR, y = chart_y(c, v[k]);
        double top = y < y1 ? y : y1, h = fabs(y - y1) < 1 ? 1 : fabs(y - y1);
        char val[32];
        fmt_ratio(val, sizeof val, v[k]);
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\">"
                "<title>", x, top, SVG_BAR - 2, h, ways[chart_ways[k]].color);
        xml_text(f, name);
        fprintf(f, ", %s: %sx native</title></rect>\n", ways[chart_ways[k]].col, val);
        /* The value beside the bar's end, written upwards. */
        double tx = x + SVG_BAR / 2.0 + 2, ty = v[k] >= 1 ? top - 3 : top + h + 3;
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" transform=\"rotate(-90 %.1f %.1f)\" "
                "font-size=\"9\" text-anchor=\"%s\">%s</text>\n", tx, ty, tx, ty,
                v[k] >= 1 ? "start" : "end", val);
    }
    double cx = x0 + NCHART * SVG_BAR / 2.0, ly = SVG_TOP + SVG_PLOT_H + 14;
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" transform=\"rotate(-35 %.1f %.1f)\" "
            "font-size=\"12\" text-anchor=\"end\"%s>", cx, ly, cx, ly,
            failed ? " fill=\"#c00000\"" : "");
    xml_text(f, name);
    fprintf(f, "%s</text>\n", failed ? " (FAIL)" : "");
}

int write_chart(const struct bench *b)
{
    struct chart c = { NULL, 1, 1, 0, 0, 0 };
    struct figures g = geomeans(b);
    for (size_t i = 0; i <= b->nres; i++) {
        struct figures f = i < b->nres ? figures_of(&b->res[i]) : g;
        for (int k = 0; k < NCHART; k++) {
            double v = f.vs_native[chart_ways[k]];
            if (v > 0) {
                c.lo = v < c.lo ? v : c.lo;
                c.hi = v > c.hi ? v : c.hi;
            }
        }
    }
    c.lo = nice_125(c.lo, false);
    c.hi = nice_125(c.hi * 1.15, true);       /* room for the value labels */
    if (c.hi <= c.lo)
        c.hi = 2 * c.lo;
    int ngroups = (int)b->nres + 1;
    c.plot_w = ngroups * (NCHART * SVG_BAR + SVG_GAP);
    c.plot_w = c.plot_w < SVG_MIN_PLOT_W ? SVG_MIN_PLOT_W : c.plot_w;
    c.gw = (double)c.plot_w / ngroups;
    c.width = SVG_LEFT + c.plot_w + SVG_RIGHT;
    int height = SVG_TOP + SVG_PLOT_H + SVG_BOTTOM;

    c.f = fopen(b->o.chart, "w");
    if (!c.f) {
        tool_error("cannot write %s: %s", b->o.chart, strerror(errno));
        return -1;
    }
    FILE *f = c.f;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n", c.width, height,
            c.width, height);
    fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    fprintf(f, "<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\">xlate bench: "
            "run time relative to native code (lower is better)</text>\n", SVG_LEFT);
    fprintf(f, "<text x=\"%d\" y=\"42\" font-size=\"11\" fill=\"#444\">", SVG_LEFT);
    char sub[512];
    snprintf(sub, sizeof sub, "%zu programs, %s builds, scale %d, median of %d run%s; AOT at "
             "-O%d; %s, %ld cores", b->nres, b->o.thumb ? "Thumb" : "ARM", b->o.scale,
             b->o.runs, b->o.runs == 1 ? "" : "s", b->o.opt_level, b->cpu, b->ncpu);
    xml_text(f, sub);
    fprintf(f, "</text>\n");
    for (int k = 0; k < NCHART; k++) {
        int x = SVG_LEFT + k * 215;
        fprintf(f, "<rect x=\"%d\" y=\"56\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                "<text x=\"%d\" y=\"66\" font-size=\"12\">", x, ways[chart_ways[k]].color,
                x + 17);
        xml_text(f, ways[chart_ways[k]].legend);
        if (chart_ways[k] == W_AOT)
            fprintf(f, " -O%d", b->o.opt_level);
        if (chart_ways[k] == W_QEMU && !b->qemu[0])
            fputs(" (not found)", f);
        fprintf(f, "</text>\n");
    }
    /* Gridlines at 1-2-5 values, 1x (native) darker. */
    int right = c.width - SVG_RIGHT;
    for (double d = c.lo; d <= c.hi * (1 + 1e-9); d = nice_125(d * 1.0001, true)) {
        double y = chart_y(&c, d);
        bool one = fabs(d - 1) < 1e-9;
        char lab[32];
        snprintf(lab, sizeof lab, d < 1 ? "%gx" : "%.0fx", d);
        fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"%s\"/>\n", SVG_LEFT, y, right, y, one ? "#000" : "#ddd",
                one ? "1.5" : "1");
        fprintf(f, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s%s"
                "</text>\n", SVG_LEFT - 6, y + 4, lab, one ? " native" : "");
    }
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n", SVG_LEFT,
            SVG_TOP, SVG_LEFT, SVG_TOP + SVG_PLOT_H);
    int ym = SVG_TOP + SVG_PLOT_H / 2;
    fprintf(f, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" font-size=\"12\" "
            "text-anchor=\"middle\">time / native time (log scale)</text>\n", ym, ym);
    double sep = SVG_LEFT + c.gw * (double)b->nres;    /* the geomean group apart */
    fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\" "
            "stroke-dasharray=\"4 3\"/>\n", sep, SVG_TOP, sep, SVG_TOP + SVG_PLOT_H);
    for (size_t i = 0; i <= b->nres; i++) {
        bool geo = i == b->nres;
        struct figures fg = geo ? g : figures_of(&b->res[i]);
        double v[NCHART];
        for (int k = 0; k < NCHART; k++)
            v[k] = fg.vs_native[chart_ways[k]];
        chart_group(&c, (int)i, geo ? "geomean" : b->res[i].name, v,
                    !geo && !result_ok(&b->res[i]));
    }
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">benchmark "
            "(bars start at 1x: up is slower than native)</text>\n",
            SVG_LEFT + c.plot_w / 2, height - 8);
    fprintf(f, "</svg>\n");
    bool ok = !ferror(f);
    if (fclose(f) != 0 || !ok) {
        tool_error("cannot write %s", b->o.chart);
        return -1;
    }
    return 0;
}
