using MeTAI.Core.Compute;
using MeTAI.Planner.Influence;
using MeTAI.Planner.Optimization.Objectives;

namespace MeTAI.Benchmarks.Optimization;

/// <summary>
/// A matRad-sized fluence problem made up from a fixed seed, for <c>metai bench optimize</c>: a water cube of
/// <c>n³</c> voxels of 2.5 mm, a spherical target at the centre, a spherical organ at risk beside it, nine coplanar
/// beams with 5 mm beamlets covering the target, and a pencil-beam-like kernel per beamlet — exponential attenuation
/// with depth times a Gaussian across the beam, cut off at 10⁻³ of its maximum, with ±5 % multiplicative noise like a
/// Monte Carlo beamlet's. The defaults give ≈ 1.8 M voxels, ≈ 2.7 k beamlets and ≈ 50 M non-zeros (the size of matRad's
/// water-phantom example).
/// </summary>
public sealed class SyntheticPlanProblem
{
    private SyntheticPlanProblem(CsrMatrix matrix, int[] target, int[] organ, int[] body, int size, double seconds)
    {
        Matrix = matrix;
        TargetRows = target;
        OrganRows = organ;
        BodyRows = body;
        Size = size;
        GenerationSeconds = seconds;
    }

    /// <summary>The influence matrix (rows = all voxels of the cube).</summary>
    public CsrMatrix Matrix { get; }

    /// <summary>Rows of the target sphere.</summary>
    public int[] TargetRows { get; }

    /// <summary>Rows of the organ at risk.</summary>
    public int[] OrganRows { get; }

    /// <summary>All rows (the body).</summary>
    public int[] BodyRows { get; }

    /// <summary>Voxels per edge.</summary>
    public int Size { get; }

    /// <summary>Seconds spent generating.</summary>
    public double GenerationSeconds { get; }

    /// <summary>Prescription of the synthetic plan, Gy.</summary>
    public const double PrescriptionGy = 60;

    /// <summary>
    /// Generates the problem: <paramref name="size"/>³ voxels of <paramref name="voxelMm"/>, nine beams, beamlets of
    /// 5 mm over a target of radius <paramref name="targetRadiusMm"/> (+ 10 mm), kernel radius
    /// <paramref name="kernelRadiusMm"/> (Gaussian σ = radius / 3.72, so the edge is 10⁻³ of the axis), seed
    /// <paramref name="seed"/>.
    /// </summary>
    public static SyntheticPlanProblem Generate(int size = 122, double voxelMm = 2.5, double targetRadiusMm = 40, double kernelRadiusMm = 16.5, int seed = 42, WorkerPool? pool = null)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        const int beams = 9;
        const double cellMm = 5;
        double fieldRadius = targetRadiusMm + 10;
        int half = (int)Math.Ceiling(fieldRadius / cellMm);
        // Beamlet cells of each beam: lattice cells whose centre lies within the field radius.
        var cellIndex = new int[2 * half, 2 * half];
        int cellsPerBeam = 0;
        for (int b = 0; b < 2 * half; b++)
        {
            for (int a = 0; a < 2 * half; a++)
            {
                double cx = (a - half + 0.5) * cellMm, cy = (b - half + 0.5) * cellMm;
                cellIndex[a, b] = cx * cx + cy * cy <= fieldRadius * fieldRadius ? cellsPerBeam++ : -1;
            }
        }

        int columns = beams * cellsPerBeam;
        double sigma = kernelRadiusMm / Math.Sqrt(2 * Math.Log(1000));
        double mu = 0.005; // 1/mm: about a 6 MV photon beam's effective attenuation in water
        double center = 0.5 * (size - 1) * voxelMm;
        int rows = size * size * size;
        var rowCounts = new int[rows + 1];
        var sliceEntries = new (ushort[] Cols, float[] Vals, int[] Counts)[size];
        var job = new SliceJob
        {
            Size = size, VoxelMm = voxelMm, Center = center, Half = half, CellMm = cellMm, CellIndex = cellIndex, CellsPerBeam = cellsPerBeam,
            Beams = beams, Sigma = sigma, Mu = mu, KernelRadius = kernelRadiusMm, Seed = seed, Output = sliceEntries,
        };
        (pool ?? WorkerPool.Shared).Run(job, size);
        long nnz = 0;
        foreach ((ushort[] c, _, _) in sliceEntries)
        {
            nnz += c.Length;
        }

        var ptr = new int[rows + 1];
        var cols = new ushort[nnz];
        var vals = new float[nnz];
        int at = 0, row = 0;
        for (int k = 0; k < size; k++)
        {
            (ushort[] c, float[] v, int[] counts) = sliceEntries[k];
            Array.Copy(c, 0, cols, at, c.Length);
            Array.Copy(v, 0, vals, at, v.Length);
            foreach (int n in counts)
            {
                ptr[row + 1] = ptr[row] + n;
                row++;
            }

            at += c.Length;
            sliceEntries[k] = default;
        }

        var target = new List<int>();
        var organ = new List<int>();
        var body = new int[rows];
        double organX = center + targetRadiusMm + 25, organR = 20;
        for (int k = 0, r = 0; k < size; k++)
        {
            for (int j = 0; j < size; j++)
            {
                for (int i = 0; i < size; i++, r++)
                {
                    body[r] = r;
                    double x = i * voxelMm, y = j * voxelMm, z = k * voxelMm;
                    double dt = Sq(x - center) + Sq(y - center) + Sq(z - center);
                    if (dt <= targetRadiusMm * targetRadiusMm)
                    {
                        target.Add(r);
                    }
                    else if (Sq(x - organX) + Sq(y - center) + Sq(z - center) <= organR * organR)
                    {
                        organ.Add(r);
                    }
                }
            }
        }

        _ = columns;
        return new SyntheticPlanProblem(new CsrMatrix(rows, columns, ptr, cols, vals), [.. target], [.. organ], body, size, sw.Elapsed.TotalSeconds);
    }

    /// <summary>The synthetic plan's objectives (target 60 Gy, organ ≤ 20 Gy, body ≤ 30 Gy), like matRad's example protocol.</summary>
    public IReadOnlyList<IObjective> Objectives() =>
    [
        new SquaredDeviation("Target", TargetRows, PrescriptionGy, 1000),
        new SquaredOverdose("OrganAtRisk", OrganRows, 20, 300),
        new SquaredOverdose("Body", BodyRows, 30, 10),
    ];

    private static double Sq(double v) => v * v;

    private sealed class SliceJob : IParallelJob
    {
        public int Size, Half, CellsPerBeam, Beams, Seed;
        public double VoxelMm, Center, CellMm, Sigma, Mu, KernelRadius;
        public int[,] CellIndex = new int[0, 0];
        public (ushort[] Cols, float[] Vals, int[] Counts)[] Output = [];

        public void Execute(int k)
        {
            int n = Size;
            var cols = new List<ushort>(1 << 16);
            var vals = new List<float>(1 << 16);
            var counts = new int[n * n];
            var rng = new Random(Seed * 7919 + k);
            double inv2s2 = 1 / (2 * Sigma * Sigma), r2max = KernelRadius * KernelRadius, extent = n * VoxelMm;
            Span<double> ux = stackalloc double[Beams];
            Span<double> uy = stackalloc double[Beams];
            for (int b = 0; b < Beams; b++)
            {
                double g = b * 2 * Math.PI / Beams;
                ux[b] = Math.Sin(g);
                uy[b] = Math.Cos(g);
            }

            double z = k * VoxelMm - Center;
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < n; i++)
                {
                    double x = i * VoxelMm - Center, y = j * VoxelMm - Center;
                    int before = cols.Count;
                    for (int b = 0; b < Beams; b++)
                    {
                        // Beam b comes from direction (ux, uy) in the axial plane: depth from the entry face, lateral p, and z.
                        double along = x * ux[b] + y * uy[b];
                        double p = x * uy[b] - y * ux[b];
                        double depth = 0.5 * extent - along;
                        if (Math.Abs(p) > (Half * CellMm) + KernelRadius || Math.Abs(z) > (Half * CellMm) + KernelRadius)
                        {
                            continue;
                        }

                        double att = Math.Exp(-Mu * Math.Max(0, depth));
                        int a0 = Math.Max(0, (int)Math.Floor((p - KernelRadius) / CellMm) + Half), a1 = Math.Min(2 * Half - 1, (int)Math.Floor((p + KernelRadius) / CellMm) + Half);
                        int c0 = Math.Max(0, (int)Math.Floor((z - KernelRadius) / CellMm) + Half), c1 = Math.Min(2 * Half - 1, (int)Math.Floor((z + KernelRadius) / CellMm) + Half);
                        for (int c = c0; c <= c1; c++)
                        {
                            for (int a = a0; a <= a1; a++)
                            {
                                int cell = CellIndex[a, c];
                                if (cell < 0)
                                {
                                    continue;
                                }

                                double dp = p - (a - Half + 0.5) * CellMm, dz = z - (c - Half + 0.5) * CellMm;
                                double r2 = dp * dp + dz * dz;
                                if (r2 > r2max)
                                {
                                    continue;
                                }

                                double v = 0.01 * att * Math.Exp(-r2 * inv2s2) * (1 + 0.1 * (rng.NextDouble() - 0.5));
                                cols.Add((ushort)(b * CellsPerBeam + cell));
                                vals.Add((float)v);
                            }
                        }
                    }

                    counts[i + n * j] = cols.Count - before;
                }
            }

            Output[k] = (cols.ToArray(), vals.ToArray(), counts);
        }
    }
}
