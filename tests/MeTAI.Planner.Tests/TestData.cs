using MeTAI.Planner.Influence;

namespace MeTAI.Planner.Tests;

/// <summary>Small random matrices and vectors with fixed seeds.</summary>
internal static class TestData
{
    public static CsrMatrix RandomMatrix(int rows, int columns, double density, int seed)
    {
        var rng = new Random(seed);
        var cols = new List<(int[] Rows, float[] Values)>();
        for (int c = 0; c < columns; c++)
        {
            var r = new List<int>();
            var v = new List<float>();
            for (int i = 0; i < rows; i++)
            {
                if (rng.NextDouble() < density)
                {
                    r.Add(i);
                    v.Add((float)rng.NextDouble());
                }
            }

            cols.Add(([.. r], [.. v]));
        }

        return CsrMatrix.FromColumns(rows, cols);
    }

    public static float[] RandomVector(int n, int seed, double scale = 1)
    {
        var rng = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = (float)(rng.NextDouble() * scale);
        }

        return v;
    }

    public static double[,] Dense(CsrMatrix a)
    {
        var d = new double[a.Rows, a.Columns];
        for (int i = 0; i < a.Rows; i++)
        {
            for (int k = a.RowPointers[i]; k < a.RowPointers[i + 1]; k++)
            {
                d[i, a.ColumnIndices[k]] = a.Values[k];
            }
        }

        return d;
    }

    /// <summary>The repository root (where MeTAI.Intervention.sln is).</summary>
    public static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "MeTAI.Intervention.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Repository root not found.");
    }

    public static string Protocol(string name) => Path.Combine(RepositoryRoot(), "configs", "protocols", name + ".json");

    public static string TempDir(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), "metai-planner-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
