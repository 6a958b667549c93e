using System.Text.Json;
using MeTAI.Core.Voxels;

namespace MeTAI.Dosimetry.Materials;

/// <summary>
/// CT number → material and mass density. Density is piecewise linear in HU through the table points, extrapolated
/// with the last slope above the table and clamped at the first value below it. Materials are chosen by HU ranges:
/// material n covers [huBelow(n−1), huBelow(n)); the last covers everything above and may fix the density (implants).
/// Loaded from <c>configs/hu-calibration/*.json</c>; see docs/monte-carlo.md for how water, soft tissue and muscle
/// are told apart.
/// </summary>
public sealed class HuCalibration
{
    private readonly double[] _hu;
    private readonly double[] _density;
    private readonly string[] _materials;
    private readonly double[] _upperHu;
    private readonly double[] _fixedDensity;

    /// <summary>Creates a calibration; <paramref name="materialUpperHu"/> has one entry less than <paramref name="materialNames"/>.</summary>
    public HuCalibration(double[] hu, double[] densityGPerCm3, string[] materialNames, double[] materialUpperHu, double[]? fixedDensityGPerCm3 = null, string name = "custom")
    {
        ArgumentNullException.ThrowIfNull(hu);
        ArgumentNullException.ThrowIfNull(densityGPerCm3);
        ArgumentNullException.ThrowIfNull(materialNames);
        ArgumentNullException.ThrowIfNull(materialUpperHu);
        if (hu.Length < 2 || hu.Length != densityGPerCm3.Length)
        {
            throw new ArgumentException("The density table needs at least two (HU, density) points of equal count.");
        }

        for (int i = 1; i < hu.Length; i++)
        {
            if (!(hu[i] > hu[i - 1]))
            {
                throw new ArgumentException("Density table HU values must increase.");
            }
        }

        if (materialNames.Length < 1 || materialUpperHu.Length != materialNames.Length - 1)
        {
            throw new ArgumentException("Every material but the last needs an upper HU bound.");
        }

        for (int i = 1; i < materialUpperHu.Length; i++)
        {
            if (!(materialUpperHu[i] > materialUpperHu[i - 1]))
            {
                throw new ArgumentException("Material HU bounds must increase.");
            }
        }

        _hu = hu;
        _density = densityGPerCm3;
        _materials = materialNames;
        _upperHu = materialUpperHu;
        _fixedDensity = fixedDensityGPerCm3 ?? new double[materialNames.Length];
        Name = name;
    }

    /// <summary>Name of the calibration (file stem).</summary>
    public string Name { get; }

    /// <summary>Material names in index order.</summary>
    public IReadOnlyList<string> MaterialNames => _materials;

    /// <summary>Mass density in g/cm³ for a CT number (ignoring fixed-density materials).</summary>
    public double DensityOf(double hu)
    {
        if (hu <= _hu[0])
        {
            return _density[0];
        }

        int n = _hu.Length;
        int i = 1;
        while (i < n - 1 && hu > _hu[i])
        {
            i++;
        }

        double t = (hu - _hu[i - 1]) / (_hu[i] - _hu[i - 1]);
        return _density[i - 1] + t * (_density[i] - _density[i - 1]);
    }

    /// <summary>Material index (into <see cref="MaterialNames"/>) for a CT number.</summary>
    public int MaterialIndexOf(double hu)
    {
        for (int i = 0; i < _upperHu.Length; i++)
        {
            if (hu < _upperHu[i])
            {
                return i;
            }
        }

        return _materials.Length - 1;
    }

    /// <summary>Material index and density for a CT number.</summary>
    public (int MaterialIndex, double DensityGPerCm3) Map(double hu)
    {
        int m = MaterialIndexOf(hu);
        double rho = _fixedDensity[m] > 0 ? _fixedDensity[m] : DensityOf(hu);
        return (m, rho);
    }

    /// <summary>Maps a whole CT grid to per-voxel material indices and densities (g/cm³).</summary>
    public (byte[] Materials, float[] Densities) MapGrid(VoxelGrid<short> ctHu)
    {
        ArgumentNullException.ThrowIfNull(ctHu);
        var mats = new byte[ctHu.Data.Length];
        var rho = new float[ctHu.Data.Length];
        // CT numbers are 16-bit: map each distinct value once.
        var cacheM = new byte[65536];
        var cacheR = new float[65536];
        var known = new bool[65536];
        for (int n = 0; n < mats.Length; n++)
        {
            int key = ctHu.Data[n] + 32768;
            if (!known[key])
            {
                (int m, double d) = Map(ctHu.Data[n]);
                cacheM[key] = (byte)m;
                cacheR[key] = (float)d;
                known[key] = true;
            }

            mats[n] = cacheM[key];
            rho[n] = cacheR[key];
        }

        return (mats, rho);
    }

    /// <summary>Loads a calibration file and validates it; errors name the file and field.</summary>
    public static HuCalibration Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new MaterialDataException(path, "(file)", "file not found");
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement root = doc.RootElement;
            if (!root.TryGetProperty("density", out JsonElement dens) || dens.ValueKind != JsonValueKind.Object)
            {
                throw new MaterialDataException(path, "density", "missing or not an object");
            }

            double[] hu = ReadArray(path, dens, "hu", "density.hu");
            double[] rho = ReadArray(path, dens, "gPerCm3", "density.gPerCm3");
            if (hu.Length != rho.Length || hu.Length < 2)
            {
                throw new MaterialDataException(path, "density", "hu and gPerCm3 need the same number (≥ 2) of values");
            }

            if (!root.TryGetProperty("materials", out JsonElement mats) || mats.ValueKind != JsonValueKind.Array || mats.GetArrayLength() == 0)
            {
                throw new MaterialDataException(path, "materials", "missing or empty array");
            }

            var names = new List<string>();
            var upper = new List<double>();
            var fixedRho = new List<double>();
            int i = 0;
            int count = mats.GetArrayLength();
            foreach (JsonElement m in mats.EnumerateArray())
            {
                if (!m.TryGetProperty("name", out JsonElement nm) || nm.ValueKind != JsonValueKind.String)
                {
                    throw new MaterialDataException(path, $"materials[{i}].name", "missing");
                }

                names.Add(nm.GetString()!);
                if (i < count - 1)
                {
                    if (!m.TryGetProperty("huBelow", out JsonElement hb) || hb.ValueKind != JsonValueKind.Number)
                    {
                        throw new MaterialDataException(path, $"materials[{i}].huBelow", "missing or not a number (every material but the last needs it)");
                    }

                    upper.Add(hb.GetDouble());
                }

                fixedRho.Add(m.TryGetProperty("fixedDensityGPerCm3", out JsonElement fd) && fd.ValueKind == JsonValueKind.Number ? fd.GetDouble() : 0);
                i++;
            }

            return new HuCalibration(hu, rho, [.. names], [.. upper], [.. fixedRho], Path.GetFileNameWithoutExtension(path));
        }
        catch (JsonException ex)
        {
            throw new MaterialDataException(path, "(file)", "not valid JSON: " + ex.Message);
        }
        catch (ArgumentException ex)
        {
            throw new MaterialDataException(path, "(content)", ex.Message);
        }
    }

    private static double[] ReadArray(string path, JsonElement parent, string key, string field)
    {
        if (!parent.TryGetProperty(key, out JsonElement a) || a.ValueKind != JsonValueKind.Array)
        {
            throw new MaterialDataException(path, field, "missing or not an array");
        }

        var v = new double[a.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in a.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number)
            {
                throw new MaterialDataException(path, $"{field}[{i}]", "not a number");
            }

            v[i++] = e.GetDouble();
        }

        return v;
    }
}
