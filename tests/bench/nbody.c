/* Floating point: the n-body simulation (doubles, sqrt). Self-check: the energies the
 * Computer Language Benchmarks Game publishes for this system: -0.169075164 at the start and
 * -0.169087605 after 1000 steps. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DPY 365.24
struct body { double x, y, z, vx, vy, vz, m; };
static struct body bodies[5] = {
    { 0, 0, 0, 0, 0, 0, SOLAR_MASS },
    { 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
      1.66007664274403694e-03 * DPY, 7.69901118419740425e-03 * DPY,
      -6.90460016972063023e-05 * DPY, 9.54791938424326609e-04 * SOLAR_MASS },
    { 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
      -2.76742510726862411e-03 * DPY, 4.99852801234917238e-03 * DPY,
      2.30417297573763929e-05 * DPY, 2.85885980666130812e-04 * SOLAR_MASS },
    { 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
      2.96460137564761618e-03 * DPY, 2.37847173959480950e-03 * DPY,
      -2.96589568540237556e-05 * DPY, 4.36624404335156298e-05 * SOLAR_MASS },
    { 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
      2.68067772490389322e-03 * DPY, 1.62824170038242295e-03 * DPY,
      -9.51592254519715870e-05 * DPY, 5.15138902046611451e-05 * SOLAR_MASS },
};

static double energy(void)
{
    double e = 0;
    for (int i = 0; i < 5; i++) {
        struct body *b = &bodies[i];
        e += 0.5 * b->m * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
        for (int j = i + 1; j < 5; j++) {
            double dx = b->x - bodies[j].x, dy = b->y - bodies[j].y, dz = b->z - bodies[j].z;
            e -= b->m * bodies[j].m / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < 5; i++) {
        px += bodies[i].vx * bodies[i].m;
        py += bodies[i].vy * bodies[i].m;
        pz += bodies[i].vz * bodies[i].m;
    }
    bodies[0].vx = -px / SOLAR_MASS, bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
    double e0 = energy();
    if (fabs(e0 - -0.169075164) > 1e-9) {
        printf("nbody: self-check failed: initial energy %.9f, expected -0.169075164\n", e0);
        return 1;
    }
    for (long n = 0; n < scale * 30000L; n++) {
        if (n == 1000 && fabs(energy() - -0.169087605) > 1e-9) {
            printf("nbody: self-check failed: energy %.9f after 1000 steps, expected "
                   "-0.169087605\n", energy());
            return 1;
        }
        for (int i = 0; i < 5; i++) {
            struct body *b = &bodies[i];
            for (int j = i + 1; j < 5; j++) {
                struct body *c = &bodies[j];
                double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
                double d2 = dx * dx + dy * dy + dz * dz;
                double mag = 0.01 / (d2 * sqrt(d2));
                b->vx -= dx * c->m * mag, b->vy -= dy * c->m * mag, b->vz -= dz * c->m * mag;
                c->vx += dx * b->m * mag, c->vy += dy * b->m * mag, c->vz += dz * b->m * mag;
            }
        }
        for (int i = 0; i < 5; i++) {
            bodies[i].x += 0.01 * bodies[i].vx;
            bodies[i].y += 0.01 * bodies[i].vy;
            bodies[i].z += 0.01 * bodies[i].vz;
        }
    }
    printf("checksum %.9f %.9f\n", e0, energy());
    return 0;
}
