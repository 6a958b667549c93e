using System.Text.Json;

namespace MeTAI.Dosimetry.Materials;

/// <summary>
/// Loads and validates the material files under <c>configs/materials/</c>. Every error names the file and the field.
/// </summary>
public static class MaterialLibrary
{
    /// <summary>The materials of the default HU calibration, in the order the engine indexes them.</summary>
    public static readonly string[] DefaultMaterialNames =
        ["air", "lung", "adipose", "soft-tissue", "water", "muscle", "cortical-bone", "titanium"];

    /// <summary>Loads <c>NAME.json</c> for each name from <paramref name="directory"/>.</summary>
    public static IReadOnlyList<MaterialData> Load(string directory, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var list = new List<MaterialData>();
        foreach (string name in names)
        {
            list.Add(LoadFile(Path.Combine(directory, name + ".json")));
        }

        return list;
    }

    /// <summary>Loads and validates one material file.</summary>
    public static MaterialData LoadFile(string path)
    {
        using JsonDocument doc = Parse(path);
        JsonElement root = doc.RootElement;
        string name = GetString(path, root, "name");
        double density = GetNumber(path, root, "densityGPerCm3");
        if (!(density > 0))
        {
            throw new MaterialDataException(path, "densityGPerCm3", $"must be positive, got {density}");
        }

        Dictionary<string, double> massFractions = ReadMassFractions(path, root);
        JsonElement photon = GetObject(path, root, "photon");
        PhotonTables photonTables = ReadPhotonTables(path, photon);
        JsonElement electron = GetObject(path, root, "electron");
        ElectronTables electronTables = ReadElectronTables(path, electron);
        return new MaterialData
        {
            Name = name,
            NistName = root.TryGetProperty("nistName", out JsonElement nn) && nn.ValueKind == JsonValueKind.String ? nn.GetString()! : name,
            DensityGPerCm3 = density,
            MassFractions = massFractions,
            PhotonEnergyMeV = photonTables.EnergyMeV,
            CoherentCm2PerG = photonTables.Coherent,
            IncoherentCm2PerG = photonTables.Incoherent,
            PhotoelectricCm2PerG = photonTables.Photoelectric,
            PairCm2PerG = photonTables.Pair,
            ElectronEnergyMeV = electronTables.EnergyMeV,
            CollisionMeVCm2PerG = electronTables.Collision,
            RadiativeMeVCm2PerG = electronTables.Radiative,
            CsdaRangeGPerCm2 = electronTables.CsdaRange,
            MeanExcitationEnergyEv = electronTables.MeanExcitationEnergyEv,
            PhotonSource = GetString(path, photon, "source", "photon.source"),
            ElectronSource = GetString(path, electron, "source", "electron.source"),
        };
    }

    private static JsonDocument Parse(string path)
    {
        if (!File.Exists(path))
        {
            throw new MaterialDataException(path, "(file)", "file not found");
        }

        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new MaterialDataException(path, "(file)", "not valid JSON: " + ex.Message);
        }
    }

    /// <summary><c>composition.massFractions</c>: known elements, each a fraction in (0, 1], summing to 1 within 0.002.</summary>
    private static Dictionary<string, double> ReadMassFractions(string path, JsonElement root)
    {
        JsonElement comp = GetObject(path, root, "composition");
        JsonElement fractions = GetObject(path, comp, "massFractions", "composition.massFractions");
        var massFractions = new Dictionary<string, double>();
        double sum = 0;
        foreach (JsonProperty p in fractions.EnumerateObject())
        {
            if (!Element.IsKnown(p.Name))
            {
                throw new MaterialDataException(path, "composition.massFractions." + p.Name, "unknown element");
            }

            double w = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : double.NaN;
            if (!(w > 0 && w <= 1))
            {
                throw new MaterialDataException(path, "composition.massFractions." + p.Name, "must be a fraction in (0, 1]");
            }

            massFractions[p.Name] = w;
            sum += w;
        }

        if (Math.Abs(sum - 1) > 0.002)
        {
            throw new MaterialDataException(path, "composition.massFractions", $"fractions sum to {sum:F4}, not 1");
        }

        return massFractions;
    }

    /// <summary>The XCOM tables of the <c>photon</c> object, one value per energy; pair production nuclear + electron field.</summary>
    private static PhotonTables ReadPhotonTables(string path, JsonElement photon)
    {
        double[] pe = GetArray(path, photon, "photon.energyMeV", "energyMeV", ascending: true);
        double[] coh = GetArray(path, photon, "photon.coherentCm2PerG", "coherentCm2PerG", length: pe.Length);
        double[] inc = GetArray(path, photon, "photon.incoherentCm2PerG", "incoherentCm2PerG", length: pe.Length);
        double[] pho = GetArray(path, photon, "photon.photoelectricCm2PerG", "photoelectricCm2PerG", length: pe.Length);
        double[] pn = GetArray(path, photon, "photon.pairNuclearCm2PerG", "pairNuclearCm2PerG", length: pe.Length);
        double[] pel = GetArray(path, photon, "photon.pairElectronCm2PerG", "pairElectronCm2PerG", length: pe.Length);
        var pair = new double[pe.Length];
        for (int i = 0; i < pair.Length; i++)
        {
            pair[i] = pn[i] + pel[i];
        }

        return new PhotonTables(pe, coh, inc, pho, pair);
    }

    /// <summary>The ESTAR tables of the <c>electron</c> object, one value per energy, and the mean excitation energy.</summary>
    private static ElectronTables ReadElectronTables(string path, JsonElement electron)
    {
        double[] ee = GetArray(path, electron, "electron.energyMeV", "energyMeV", ascending: true);
        double[] col = GetArray(path, electron, "electron.collisionMeVCm2PerG", "collisionMeVCm2PerG", length: ee.Length, positive: true);
        double[] rad = GetArray(path, electron, "electron.radiativeMeVCm2PerG", "radiativeMeVCm2PerG", length: ee.Length, positive: true);
        double[] rng = GetArray(path, electron, "electron.csdaRangeGPerCm2", "csdaRangeGPerCm2", length: ee.Length, ascending: true);
        double iEv = GetNumber(path, electron, "meanExcitationEnergyEv", "electron.meanExcitationEnergyEv");
        return new ElectronTables(ee, col, rad, rng, iEv);
    }

    private static JsonElement GetObject(string path, JsonElement parent, string key, string? field = null)
    {
        if (!parent.TryGetProperty(key, out JsonElement e) || e.ValueKind != JsonValueKind.Object)
        {
            throw new MaterialDataException(path, field ?? key, "missing or not an object");
        }

        return e;
    }

    private static string GetString(string path, JsonElement parent, string key, string? field = null)
    {
        if (!parent.TryGetProperty(key, out JsonElement e) || e.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(e.GetString()))
        {
            throw new MaterialDataException(path, field ?? key, "missing or not a non-empty string");
        }

        return e.GetString()!;
    }

    private static double GetNumber(string path, JsonElement parent, string key, string? field = null)
    {
        if (!parent.TryGetProperty(key, out JsonElement e) || e.ValueKind != JsonValueKind.Number)
        {
            throw new MaterialDataException(path, field ?? key, "missing or not a number");
        }

        return e.GetDouble();
    }

    private static double[] GetArray(string path, JsonElement parent, string field, string key, int length = -1, bool ascending = false, bool positive = false)
    {
        if (!parent.TryGetProperty(key, out JsonElement e) || e.ValueKind != JsonValueKind.Array)
        {
            throw new MaterialDataException(path, field, "missing or not an array");
        }

        var values = new double[e.GetArrayLength()];
        int i = 0;
        foreach (JsonElement v in e.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !double.IsFinite(v.GetDouble()) || v.GetDouble() < 0)
            {
                throw new MaterialDataException(path, $"{field}[{i}]", "not a finite non-negative number");
            }

            values[i++] = v.GetDouble();
            if (positive && values[i - 1] <= 0)
            {
                throw new MaterialDataException(path, $"{field}[{i - 1}]", "must be positive");
            }

            if (ascending && i > 1 && values[i - 1] < values[i - 2])
            {
                throw new MaterialDataException(path, $"{field}[{i - 1}]", "values must not decrease");
            }
        }

        if (values.Length < 2)
        {
            throw new MaterialDataException(path, field, "needs at least two values");
        }

        if (length >= 0 && values.Length != length)
        {
            throw new MaterialDataException(path, field, $"has {values.Length} values, expected {length} (one per energy)");
        }

        return values;
    }

    private sealed record PhotonTables(double[] EnergyMeV, double[] Coherent, double[] Incoherent, double[] Photoelectric, double[] Pair);

    private sealed record ElectronTables(double[] EnergyMeV, double[] Collision, double[] Radiative, double[] CsdaRange, double MeanExcitationEnergyEv);
}
