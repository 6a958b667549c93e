using System.Text.Json;
using MeTAI.Dosimetry.Materials;

namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// A histogram energy spectrum: bins [lower, upper) in MeV with a weight per MeV; energies inside a bin are uniform.
/// Sampled on the device by the alias method (Walker/Vose), so one draw costs O(1) whatever the number of bins.
/// </summary>
public sealed class EnergySpectrum
{
    /// <summary>Creates a spectrum from bin edges (count + 1, ascending) and weights per MeV (count).</summary>
    public EnergySpectrum(double[] edgesMeV, double[] weightsPerMeV, string name = "spectrum")
    {
        ArgumentNullException.ThrowIfNull(edgesMeV);
        ArgumentNullException.ThrowIfNull(weightsPerMeV);
        if (weightsPerMeV.Length < 1 || edgesMeV.Length != weightsPerMeV.Length + 1)
        {
            throw new ArgumentException("A spectrum needs n weights and n + 1 bin edges.");
        }

        for (int i = 0; i < weightsPerMeV.Length; i++)
        {
            if (!(edgesMeV[i + 1] > edgesMeV[i]) || edgesMeV[i] < 0 || !(weightsPerMeV[i] >= 0))
            {
                throw new ArgumentException($"Spectrum bin {i} is invalid (edges must increase, weights be non-negative).");
            }
        }

        EdgesMeV = edgesMeV;
        WeightsPerMeV = weightsPerMeV;
        Name = name;
        int n = weightsPerMeV.Length;
        var p = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            p[i] = weightsPerMeV[i] * (edgesMeV[i + 1] - edgesMeV[i]);
            total += p[i];
        }

        if (!(total > 0))
        {
            throw new ArgumentException("Spectrum has zero total weight.");
        }

        Probabilities = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++)
        {
            Probabilities[i] = p[i] / total;
            mean += Probabilities[i] * 0.5 * (edgesMeV[i] + edgesMeV[i + 1]);
        }

        MeanEnergyMeV = mean;
        (AliasProbability, AliasIndex) = BuildAlias(Probabilities);
    }

    /// <summary>Name of the spectrum.</summary>
    public string Name { get; }

    /// <summary>Bin edges in MeV (n + 1).</summary>
    public double[] EdgesMeV { get; }

    /// <summary>Weights per MeV (n).</summary>
    public double[] WeightsPerMeV { get; }

    /// <summary>Probability of each bin (sums to 1).</summary>
    public double[] Probabilities { get; }

    /// <summary>Exact mean energy of the histogram in MeV.</summary>
    public double MeanEnergyMeV { get; }

    /// <summary>Highest energy in MeV.</summary>
    public double MaxEnergyMeV => EdgesMeV[^1];

    /// <summary>Alias-method acceptance probability per bin.</summary>
    public double[] AliasProbability { get; }

    /// <summary>Alias-method alternative bin per bin.</summary>
    public int[] AliasIndex { get; }

    /// <summary>A single energy (a narrow bin of ±0.01 % around it).</summary>
    public static EnergySpectrum Monoenergetic(double energyMeV) =>
        new([energyMeV * 0.9999, energyMeV * 1.0001], [1.0], $"{energyMeV} MeV");

    /// <summary>
    /// Loads <c>binUpperEdgesMeV</c>/<c>weightsPerMeV</c> (and optional <c>lowestEdgeMeV</c>, default 0) from a beam file.
    /// </summary>
    public static EnergySpectrum Load(string path)
    {
        using JsonDocument doc = BeamFiles.Open(path);
        return FromJson(path, doc.RootElement, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>The spectrum of a beam file's JSON (<paramref name="path"/> names the source in errors).</summary>
    internal static EnergySpectrum FromJson(string path, JsonElement root, string name)
    {
        double[] upper = BeamFiles.Array(path, root, "binUpperEdgesMeV");
        double[] w = BeamFiles.Array(path, root, "weightsPerMeV");
        if (upper.Length != w.Length)
        {
            throw new MaterialDataException(path, "weightsPerMeV", $"has {w.Length} values but binUpperEdgesMeV has {upper.Length}");
        }

        double low = root.TryGetProperty("lowestEdgeMeV", out JsonElement le) && le.ValueKind == JsonValueKind.Number ? le.GetDouble() : 0;
        var edges = new double[upper.Length + 1];
        edges[0] = low;
        Array.Copy(upper, 0, edges, 1, upper.Length);
        try
        {
            return new EnergySpectrum(edges, w, name);
        }
        catch (ArgumentException ex)
        {
            throw new MaterialDataException(path, "binUpperEdgesMeV", ex.Message);
        }
    }

    private static (double[] Prob, int[] Alias) BuildAlias(double[] p)
    {
        int n = p.Length;
        var prob = new double[n];
        var alias = new int[n];
        var scaled = new double[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = 0; i < n; i++)
        {
            scaled[i] = p[i] * n;
            (scaled[i] < 1 ? small : large).Push(i);
        }

        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop(), l = large.Pop();
            prob[s] = scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            (scaled[l] < 1 ? small : large).Push(l);
        }

        while (large.Count > 0)
        {
            int l = large.Pop();
            prob[l] = 1;
            alias[l] = l;
        }

        while (small.Count > 0)
        {
            int s = small.Pop();
            prob[s] = 1;
            alias[s] = s;
        }

        return (prob, alias);
    }
}
