using MeTAI.Core.Geometry;
using MeTAI.Rehearsal.Avatar;

namespace MeTAI.Rehearsal.Solver;

/// <summary>Struct-of-arrays per-slot constants of the Neo-Hookean projection.</summary>
internal sealed class TetColumns
{
    public TetColumns(int count)
    {
        // Arrays padded to a multiple of 8 so vector loads at the last full block never run past the end.
        int padded = (count + 7) & ~7;
        N0 = new int[padded];
        N1 = new int[padded];
        N2 = new int[padded];
        N3 = new int[padded];
        B00 = new float[padded];
        B01 = new float[padded];
        B02 = new float[padded];
        B10 = new float[padded];
        B11 = new float[padded];
        B12 = new float[padded];
        B20 = new float[padded];
        B21 = new float[padded];
        B22 = new float[padded];
        AlphaH = new float[padded];
        AlphaD = new float[padded];
        Gamma = new float[padded];
        RestVolume = new float[padded];
    }

    public int[] N0 { get; }

    public int[] N1 { get; }

    public int[] N2 { get; }

    public int[] N3 { get; }

    // B = Dm⁻¹, Dm = [x1−x0, x2−x0, x3−x0] at rest (m). Row-major: Bij is row i, column j.
    public float[] B00 { get; }

    public float[] B01 { get; }

    public float[] B02 { get; }

    public float[] B10 { get; }

    public float[] B11 { get; }

    public float[] B12 { get; }

    public float[] B20 { get; }

    public float[] B21 { get; }

    public float[] B22 { get; }

    /// <summary>Hydrostatic compliance 1/(λ′V) in 1/J (per unit constraint²).</summary>
    public float[] AlphaH { get; }

    /// <summary>Deviatoric compliance 1/(μV).</summary>
    public float[] AlphaD { get; }

    /// <summary>γ = 1 + μ/λ′: the rest value of det F that balances the deviatoric term.</summary>
    public float[] Gamma { get; }

    /// <summary>Rest volume in m³.</summary>
    public float[] RestVolume { get; }

    /// <summary>An inert slot: all four nodes the extra fixed node, zero shape matrix; its update is exactly zero.</summary>
    public void SetInert(int slot, int node)
    {
        N0[slot] = N1[slot] = N2[slot] = N3[slot] = node;
        AlphaH[slot] = AlphaD[slot] = 1;
        Gamma[slot] = 1;
    }

    public void Set(int slot, int a, int b, int c, int d, Vec3 xa, Vec3 xb, Vec3 xc, Vec3 xd, TissueParameters tissue)
    {
        N0[slot] = a;
        N1[slot] = b;
        N2[slot] = c;
        N3[slot] = d;
        Mat3 dm = Mat3.FromColumns(xb - xa, xc - xa, xd - xa);
        Mat3 inv = dm.Inverse();
        B00[slot] = (float)inv.M00;
        B01[slot] = (float)inv.M01;
        B02[slot] = (float)inv.M02;
        B10[slot] = (float)inv.M10;
        B11[slot] = (float)inv.M11;
        B12[slot] = (float)inv.M12;
        B20[slot] = (float)inv.M20;
        B21[slot] = (float)inv.M21;
        B22[slot] = (float)inv.M22;
        double volume = dm.Determinant / 6;
        double mu = tissue.ShearModulusPa, lambda = tissue.LameLambdaPa + mu;
        AlphaH[slot] = (float)(1.0 / (lambda * volume));
        AlphaD[slot] = (float)(1.0 / (mu * volume));
        Gamma[slot] = (float)(1.0 + mu / lambda);
        RestVolume[slot] = (float)volume;
    }
}
