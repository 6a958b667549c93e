using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MeTAI.Rehearsal.Solver;

/// <summary>
/// Projects the two stable Neo-Hookean constraints of each tet (hydrostatic C_H = det F − γ, deviatoric
/// C_D = √tr(FᵀF)) as one coupled 2×2 XPBD update:
/// <code>
/// [ Σw|∇C_H|² + α̃_H    Σw ∇C_H·∇C_D ] [Δλ_H]   [ −C_H − α̃_H λ_H ]
/// [ Σw ∇C_H·∇C_D       Σw|∇C_D|² + α̃_D ] [Δλ_D] = [ −C_D − α̃_D λ_D ],   α̃ = α / h²,   Δx_i = w_i (∇_i C_H Δλ_H + ∇_i C_D Δλ_D)
/// </code>
/// Tets of one colour share no node, so a colour range can be processed in any order and in 8-wide SIMD lanes.
/// The scalar and SIMD paths evaluate the same expressions in the same order (no fused multiply-add), so they agree
/// to the last bit on IEEE hardware; a test compares them.
/// </summary>
internal static class NeoHookeanKernel
{
    /// <summary>True when the Vector256 path can run here.</summary>
    public static bool SimdAvailable => Vector256.IsHardwareAccelerated && Avx.IsSupported;

    /// <summary>Projects slots [start, end) with the scalar kernel.</summary>
    /// <param name="p">Positions (x, y, z, inverse mass per node).</param>
    /// <param name="m">Per-slot constants.</param>
    /// <param name="lambdaH">Hydrostatic multipliers per slot.</param>
    /// <param name="lambdaD">Deviatoric multipliers per slot.</param>
    /// <param name="start">First slot.</param>
    /// <param name="end">One past the last slot.</param>
    /// <param name="invH2">1 / h² for the substep h.</param>
    /// <param name="readLambda">False on the first pass of a substep (multipliers start at zero).</param>
    /// <param name="writeLambda">True when another pass follows.</param>
    public static void ProjectScalar(float[] p, TetColumns m, float[] lambdaH, float[] lambdaD, int start, int end, float invH2, bool readLambda, bool writeLambda)
    {
        for (int s = start; s < end; s++)
        {
            ProjectOne(p, m, lambdaH, lambdaD, s, invH2, readLambda, writeLambda);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ProjectOne(float[] p, TetColumns m, float[] lambdaH, float[] lambdaD, int s, float invH2, bool readLambda, bool writeLambda)
    {
        int ia = m.N0[s] << 2, ib = m.N1[s] << 2, ic = m.N2[s] << 2, id = m.N3[s] << 2;
        float x0 = p[ia], y0 = p[ia + 1], z0 = p[ia + 2], w0 = p[ia + 3];
        float x1 = p[ib], y1 = p[ib + 1], z1 = p[ib + 2], w1 = p[ib + 3];
        float x2 = p[ic], y2 = p[ic + 1], z2 = p[ic + 2], w2 = p[ic + 3];
        float x3 = p[id], y3 = p[id + 1], z3 = p[id + 2], w3 = p[id + 3];
        float b00 = m.B00[s], b01 = m.B01[s], b02 = m.B02[s];
        float b10 = m.B10[s], b11 = m.B11[s], b12 = m.B12[s];
        float b20 = m.B20[s], b21 = m.B21[s], b22 = m.B22[s];

        float e1x = x1 - x0, e1y = y1 - y0, e1z = z1 - z0;
        float e2x = x2 - x0, e2y = y2 - y0, e2z = z2 - z0;
        float e3x = x3 - x0, e3y = y3 - y0, e3z = z3 - z0;

        // F = Ds·Dm⁻¹ with Ds = [e1 e2 e3].
        float f00 = e1x * b00 + e2x * b10 + e3x * b20;
        float f01 = e1x * b01 + e2x * b11 + e3x * b21;
        float f02 = e1x * b02 + e2x * b12 + e3x * b22;
        float f10 = e1y * b00 + e2y * b10 + e3y * b20;
        float f11 = e1y * b01 + e2y * b11 + e3y * b21;
        float f12 = e1y * b02 + e2y * b12 + e3y * b22;
        float f20 = e1z * b00 + e2z * b10 + e3z * b20;
        float f21 = e1z * b01 + e2z * b11 + e3z * b21;
        float f22 = e1z * b02 + e2z * b12 + e3z * b22;

        // Deviatoric: C_D = |F|_F, ∂C_D/∂F = F / C_D.
        float ssq = f00 * f00 + f01 * f01 + f02 * f02 + f10 * f10 + f11 * f11 + f12 * f12 + f20 * f20 + f21 * f21 + f22 * f22;
        float cd = MathF.Sqrt(ssq);
        float rd = 1f / MathF.Max(cd, 1e-20f);

        // Hydrostatic: C_H = det F − γ, ∂C_H/∂F = cof F (columns k0 = c1×c2, k1 = c2×c0, k2 = c0×c1).
        float k0x = f11 * f22 - f21 * f12, k0y = f21 * f02 - f01 * f22, k0z = f01 * f12 - f11 * f02;
        float k1x = f12 * f20 - f22 * f10, k1y = f22 * f00 - f02 * f20, k1z = f02 * f10 - f12 * f00;
        float k2x = f10 * f21 - f20 * f11, k2y = f20 * f01 - f00 * f21, k2z = f00 * f11 - f10 * f01;
        float ch = f00 * k0x + f10 * k0y + f20 * k0z - m.Gamma[s];

        // Node gradients: ∇_i C = (∂C/∂F)·Dm⁻ᵀ column i−1; node 0 takes minus the sum.
        float h1x = k0x * b00 + k1x * b01 + k2x * b02, h1y = k0y * b00 + k1y * b01 + k2y * b02, h1z = k0z * b00 + k1z * b01 + k2z * b02;
        float h2x = k0x * b10 + k1x * b11 + k2x * b12, h2y = k0y * b10 + k1y * b11 + k2y * b12, h2z = k0z * b10 + k1z * b11 + k2z * b12;
        float h3x = k0x * b20 + k1x * b21 + k2x * b22, h3y = k0y * b20 + k1y * b21 + k2y * b22, h3z = k0z * b20 + k1z * b21 + k2z * b22;
        float h0x = -(h1x + h2x + h3x), h0y = -(h1y + h2y + h3y), h0z = -(h1z + h2z + h3z);
        float d1x = (f00 * b00 + f01 * b01 + f02 * b02) * rd, d1y = (f10 * b00 + f11 * b01 + f12 * b02) * rd, d1z = (f20 * b00 + f21 * b01 + f22 * b02) * rd;
        float d2x = (f00 * b10 + f01 * b11 + f02 * b12) * rd, d2y = (f10 * b10 + f11 * b11 + f12 * b12) * rd, d2z = (f20 * b10 + f21 * b11 + f22 * b12) * rd;
        float d3x = (f00 * b20 + f01 * b21 + f02 * b22) * rd, d3y = (f10 * b20 + f11 * b21 + f12 * b22) * rd, d3z = (f20 * b20 + f21 * b21 + f22 * b22) * rd;
        float d0x = -(d1x + d2x + d3x), d0y = -(d1y + d2y + d3y), d0z = -(d1z + d2z + d3z);

        float aH = m.AlphaH[s] * invH2, aD = m.AlphaD[s] * invH2;
        float a11 = w0 * (h0x * h0x + h0y * h0y + h0z * h0z) + w1 * (h1x * h1x + h1y * h1y + h1z * h1z)
            + w2 * (h2x * h2x + h2y * h2y + h2z * h2z) + w3 * (h3x * h3x + h3y * h3y + h3z * h3z) + aH;
        float a22 = w0 * (d0x * d0x + d0y * d0y + d0z * d0z) + w1 * (d1x * d1x + d1y * d1y + d1z * d1z)
            + w2 * (d2x * d2x + d2y * d2y + d2z * d2z) + w3 * (d3x * d3x + d3y * d3y + d3z * d3z) + aD;
        float a12 = w0 * (h0x * d0x + h0y * d0y + h0z * d0z) + w1 * (h1x * d1x + h1y * d1y + h1z * d1z)
            + w2 * (h2x * d2x + h2y * d2y + h2z * d2z) + w3 * (h3x * d3x + h3y * d3y + h3z * d3z);
        float lh = readLambda ? lambdaH[s] : 0f, ld = readLambda ? lambdaD[s] : 0f;
        float r1 = -ch - aH * lh;
        float r2 = -cd - aD * ld;
        float inv = 1f / (a11 * a22 - a12 * a12);
        float dlh = (r1 * a22 - r2 * a12) * inv;
        float dld = (a11 * r2 - a12 * r1) * inv;
        if (writeLambda)
        {
            lambdaH[s] = lh + dlh;
            lambdaD[s] = ld + dld;
        }

        p[ia] = x0 + w0 * (h0x * dlh + d0x * dld);
        p[ia + 1] = y0 + w0 * (h0y * dlh + d0y * dld);
        p[ia + 2] = z0 + w0 * (h0z * dlh + d0z * dld);
        p[ib] = x1 + w1 * (h1x * dlh + d1x * dld);
        p[ib + 1] = y1 + w1 * (h1y * dlh + d1y * dld);
        p[ib + 2] = z1 + w1 * (h1z * dlh + d1z * dld);
        p[ic] = x2 + w2 * (h2x * dlh + d2x * dld);
        p[ic + 1] = y2 + w2 * (h2y * dlh + d2y * dld);
        p[ic + 2] = z2 + w2 * (h2z * dlh + d2z * dld);
        p[id] = x3 + w3 * (h3x * dlh + d3x * dld);
        p[id + 1] = y3 + w3 * (h3y * dlh + d3y * dld);
        p[id + 2] = z3 + w3 * (h3z * dlh + d3z * dld);
    }

    /// <summary>Projects slots [start, end) eight at a time with Vector256 (the remainder with the scalar kernel).</summary>
    public static void ProjectSimd(float[] p, TetColumns m, float[] lambdaH, float[] lambdaD, int start, int end, float invH2, bool readLambda, bool writeLambda)
    {
        if (!SimdAvailable)
        {
            ProjectScalar(p, m, lambdaH, lambdaD, start, end, invH2, readLambda, writeLambda);
            return;
        }

        ref float pos = ref MemoryMarshal.GetArrayDataReference(p);
        Vector256<float> vInvH2 = Vector256.Create(invH2);
        int s = start;
        for (; s + 8 <= end; s += 8)
        {
            ProjectEight(ref pos, m, lambdaH, lambdaD, s, vInvH2, readLambda, writeLambda);
        }

        ProjectScalar(p, m, lambdaH, lambdaD, s, end, invH2, readLambda, writeLambda);
    }

    /// <summary>The SIMD twin of <see cref="ProjectOne"/>: slots s … s+7, one per lane, the same expressions in the same order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ProjectEight(ref float pos, TetColumns m, float[] lambdaH, float[] lambdaD, int s, Vector256<float> vInvH2, bool readLambda, bool writeLambda)
    {
        ref int n0 = ref MemoryMarshal.GetArrayDataReference(m.N0);
        ref int n1 = ref MemoryMarshal.GetArrayDataReference(m.N1);
        ref int n2 = ref MemoryMarshal.GetArrayDataReference(m.N2);
        ref int n3 = ref MemoryMarshal.GetArrayDataReference(m.N3);
        Load(ref pos, ref n0, s, out Vector256<float> x0, out Vector256<float> y0, out Vector256<float> z0, out Vector256<float> w0);
        Load(ref pos, ref n1, s, out Vector256<float> x1, out Vector256<float> y1, out Vector256<float> z1, out Vector256<float> w1);
        Load(ref pos, ref n2, s, out Vector256<float> x2, out Vector256<float> y2, out Vector256<float> z2, out Vector256<float> w2);
        Load(ref pos, ref n3, s, out Vector256<float> x3, out Vector256<float> y3, out Vector256<float> z3, out Vector256<float> w3);
        Vector256<float> b00 = Col(m.B00, s), b01 = Col(m.B01, s), b02 = Col(m.B02, s);
        Vector256<float> b10 = Col(m.B10, s), b11 = Col(m.B11, s), b12 = Col(m.B12, s);
        Vector256<float> b20 = Col(m.B20, s), b21 = Col(m.B21, s), b22 = Col(m.B22, s);

        Vector256<float> e1x = x1 - x0, e1y = y1 - y0, e1z = z1 - z0;
        Vector256<float> e2x = x2 - x0, e2y = y2 - y0, e2z = z2 - z0;
        Vector256<float> e3x = x3 - x0, e3y = y3 - y0, e3z = z3 - z0;

        Vector256<float> f00 = e1x * b00 + e2x * b10 + e3x * b20;
        Vector256<float> f01 = e1x * b01 + e2x * b11 + e3x * b21;
        Vector256<float> f02 = e1x * b02 + e2x * b12 + e3x * b22;
        Vector256<float> f10 = e1y * b00 + e2y * b10 + e3y * b20;
        Vector256<float> f11 = e1y * b01 + e2y * b11 + e3y * b21;
        Vector256<float> f12 = e1y * b02 + e2y * b12 + e3y * b22;
        Vector256<float> f20 = e1z * b00 + e2z * b10 + e3z * b20;
        Vector256<float> f21 = e1z * b01 + e2z * b11 + e3z * b21;
        Vector256<float> f22 = e1z * b02 + e2z * b12 + e3z * b22;

        Vector256<float> ssq = f00 * f00 + f01 * f01 + f02 * f02 + f10 * f10 + f11 * f11 + f12 * f12 + f20 * f20 + f21 * f21 + f22 * f22;
        Vector256<float> cd = Vector256.Sqrt(ssq);
        Vector256<float> rd = Vector256<float>.One / Vector256.Max(cd, Vector256.Create(1e-20f));

        Vector256<float> k0x = f11 * f22 - f21 * f12, k0y = f21 * f02 - f01 * f22, k0z = f01 * f12 - f11 * f02;
        Vector256<float> k1x = f12 * f20 - f22 * f10, k1y = f22 * f00 - f02 * f20, k1z = f02 * f10 - f12 * f00;
        Vector256<float> k2x = f10 * f21 - f20 * f11, k2y = f20 * f01 - f00 * f21, k2z = f00 * f11 - f10 * f01;
        Vector256<float> ch = f00 * k0x + f10 * k0y + f20 * k0z - Col(m.Gamma, s);

        Vector256<float> h1x = k0x * b00 + k1x * b01 + k2x * b02, h1y = k0y * b00 + k1y * b01 + k2y * b02, h1z = k0z * b00 + k1z * b01 + k2z * b02;
        Vector256<float> h2x = k0x * b10 + k1x * b11 + k2x * b12, h2y = k0y * b10 + k1y * b11 + k2y * b12, h2z = k0z * b10 + k1z * b11 + k2z * b12;
        Vector256<float> h3x = k0x * b20 + k1x * b21 + k2x * b22, h3y = k0y * b20 + k1y * b21 + k2y * b22, h3z = k0z * b20 + k1z * b21 + k2z * b22;
        Vector256<float> h0x = -(h1x + h2x + h3x), h0y = -(h1y + h2y + h3y), h0z = -(h1z + h2z + h3z);
        Vector256<float> d1x = (f00 * b00 + f01 * b01 + f02 * b02) * rd, d1y = (f10 * b00 + f11 * b01 + f12 * b02) * rd, d1z = (f20 * b00 + f21 * b01 + f22 * b02) * rd;
        Vector256<float> d2x = (f00 * b10 + f01 * b11 + f02 * b12) * rd, d2y = (f10 * b10 + f11 * b11 + f12 * b12) * rd, d2z = (f20 * b10 + f21 * b11 + f22 * b12) * rd;
        Vector256<float> d3x = (f00 * b20 + f01 * b21 + f02 * b22) * rd, d3y = (f10 * b20 + f11 * b21 + f12 * b22) * rd, d3z = (f20 * b20 + f21 * b21 + f22 * b22) * rd;
        Vector256<float> d0x = -(d1x + d2x + d3x), d0y = -(d1y + d2y + d3y), d0z = -(d1z + d2z + d3z);

        Vector256<float> aH = Col(m.AlphaH, s) * vInvH2, aD = Col(m.AlphaD, s) * vInvH2;
        Vector256<float> a11 = w0 * (h0x * h0x + h0y * h0y + h0z * h0z) + w1 * (h1x * h1x + h1y * h1y + h1z * h1z)
            + w2 * (h2x * h2x + h2y * h2y + h2z * h2z) + w3 * (h3x * h3x + h3y * h3y + h3z * h3z) + aH;
        Vector256<float> a22 = w0 * (d0x * d0x + d0y * d0y + d0z * d0z) + w1 * (d1x * d1x + d1y * d1y + d1z * d1z)
            + w2 * (d2x * d2x + d2y * d2y + d2z * d2z) + w3 * (d3x * d3x + d3y * d3y + d3z * d3z) + aD;
        Vector256<float> a12 = w0 * (h0x * d0x + h0y * d0y + h0z * d0z) + w1 * (h1x * d1x + h1y * d1y + h1z * d1z)
            + w2 * (h2x * d2x + h2y * d2y + h2z * d2z) + w3 * (h3x * d3x + h3y * d3y + h3z * d3z);
        Vector256<float> lh = readLambda ? Col(lambdaH, s) : Vector256<float>.Zero;
        Vector256<float> ld = readLambda ? Col(lambdaD, s) : Vector256<float>.Zero;
        Vector256<float> r1 = -ch - aH * lh;
        Vector256<float> r2 = -cd - aD * ld;
        Vector256<float> inv = Vector256<float>.One / (a11 * a22 - a12 * a12);
        Vector256<float> dlh = (r1 * a22 - r2 * a12) * inv;
        Vector256<float> dld = (a11 * r2 - a12 * r1) * inv;
        if (writeLambda)
        {
            (lh + dlh).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(lambdaH), (nuint)s);
            (ld + dld).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(lambdaD), (nuint)s);
        }

        Store(ref pos, ref n0, s, x0 + w0 * (h0x * dlh + d0x * dld), y0 + w0 * (h0y * dlh + d0y * dld), z0 + w0 * (h0z * dlh + d0z * dld), w0);
        Store(ref pos, ref n1, s, x1 + w1 * (h1x * dlh + d1x * dld), y1 + w1 * (h1y * dlh + d1y * dld), z1 + w1 * (h1z * dlh + d1z * dld), w1);
        Store(ref pos, ref n2, s, x2 + w2 * (h2x * dlh + d2x * dld), y2 + w2 * (h2y * dlh + d2y * dld), z2 + w2 * (h2z * dlh + d2z * dld), w2);
        Store(ref pos, ref n3, s, x3 + w3 * (h3x * dlh + d3x * dld), y3 + w3 * (h3y * dlh + d3y * dld), z3 + w3 * (h3z * dlh + d3z * dld), w3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Col(float[] column, int s) =>
        Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(column), (nuint)s);

    /// <summary>
    /// Loads one node (x, y, z, w) of eight tets and transposes to four vectors (lane = tet): two 4×4 transposes, one per
    /// 128-bit half (tets s…s+3 low, s+4…s+7 high).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load(ref float pos, ref int nodes, int s, out Vector256<float> x, out Vector256<float> y, out Vector256<float> z, out Vector256<float> w)
    {
        Vector256<float> r0 = Vector256.Create(Node(ref pos, ref nodes, s), Node(ref pos, ref nodes, s + 4));
        Vector256<float> r1 = Vector256.Create(Node(ref pos, ref nodes, s + 1), Node(ref pos, ref nodes, s + 5));
        Vector256<float> r2 = Vector256.Create(Node(ref pos, ref nodes, s + 2), Node(ref pos, ref nodes, s + 6));
        Vector256<float> r3 = Vector256.Create(Node(ref pos, ref nodes, s + 3), Node(ref pos, ref nodes, s + 7));
        Vector256<float> t0 = Avx.UnpackLow(r0, r1);
        Vector256<float> t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3);
        Vector256<float> t3 = Avx.UnpackHigh(r2, r3);
        x = Avx.Shuffle(t0, t2, 0x44);
        y = Avx.Shuffle(t0, t2, 0xEE);
        z = Avx.Shuffle(t1, t3, 0x44);
        w = Avx.Shuffle(t1, t3, 0xEE);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Node(ref float pos, ref int nodes, int s) =>
        Vector128.LoadUnsafe(ref pos, (nuint)(Unsafe.Add(ref nodes, s) << 2));

    /// <summary>Inverse of <see cref="Load"/>: transposes back and writes one node (x, y, z, w) of eight tets.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref float pos, ref int nodes, int s, Vector256<float> x, Vector256<float> y, Vector256<float> z, Vector256<float> w)
    {
        Vector256<float> t0 = Avx.UnpackLow(x, y);
        Vector256<float> t1 = Avx.UnpackHigh(x, y);
        Vector256<float> t2 = Avx.UnpackLow(z, w);
        Vector256<float> t3 = Avx.UnpackHigh(z, w);
        Vector256<float> r0 = Avx.Shuffle(t0, t2, 0x44);
        Vector256<float> r1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> r2 = Avx.Shuffle(t1, t3, 0x44);
        Vector256<float> r3 = Avx.Shuffle(t1, t3, 0xEE);
        r0.GetLower().StoreUnsafe(ref pos, (nuint)(Unsafe.Add(ref nodes, s) << 2));
        r1.GetLower().StoreUnsafe(ref pos, (nuint)(Unsafe.Add(ref nodes, s + 1) << 2));
        r2.GetLower().StoreUnsafe(ref pos, (nuint)(Unsafe.Add(ref nodes, s + 2) << 2));
        r3.GetLower().StoreUnsafe(ref pos, (nuint)(Unsafe.Add(ref nodes, s + 3) << 2));
        r0.GetUpper().StoreUnsafe(ref pos, (nuint)(Unsafe.Add(ref nodes, s + 4) << 2));
        r1.GetUpper().StoreUnsafe(ref pos, (nuint)(Unsafe.Add(ref nodes, s + 5) << 2));
        r2.GetUpper().StoreUnsafe(ref pos, (nuint)(Unsafe.Add(ref nodes, s + 6) << 2));
        r3.GetUpper().StoreUnsafe(ref pos, (nuint)(Unsafe.Add(ref nodes, s + 7) << 2));
    }
}
