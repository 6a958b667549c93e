using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;

namespace MeTAI.Dosimetry.Tests.Beams;

public class EnergySpectrumTests
{
    [Fact]
    public void Mohan6Mv_MeanEnergy_MatchesTableAndReference()
    {
        EnergySpectrum s = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point")).Spectrum;
        // Exact histogram mean from the REFERENCE.md table (equal 0.25 MeV bins): Σ w·E_mid / Σ w.
        double[] w = [.004108, .1295, .4609, .4609, .4436, .4085, .4085, .2497, .2368, .1867, .1383, .1305, .1484, .09496, .1247, .09773, .08892, .05155, .04184, .04803, .01625, .02715, .01199, .01574];
        double sw = 0, swe = 0;
        for (int i = 0; i < w.Length; i++)
        {
            sw += w[i];
            swe += w[i] * (0.125 + 0.25 * i);
        }

        Assert.Equal(swe / sw, s.MeanEnergyMeV, 10);
        Assert.InRange(s.MeanEnergyMeV, 1.88, 1.92); // REFERENCE.md: ≈ 1.90 MeV
        Assert.Equal(24, s.Probabilities.Length);
    }

    [Fact]
    public void AliasTable_ImpliedProbabilities_EqualBinProbabilities()
    {
        EnergySpectrum s = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point")).Spectrum;
        int n = s.Probabilities.Length;
        var implied = new double[n];
        for (int i = 0; i < n; i++)
        {
            implied[i] += s.AliasProbability[i] / n;
            implied[s.AliasIndex[i]] += (1 - s.AliasProbability[i]) / n;
        }

        for (int i = 0; i < n; i++)
        {
            Assert.Equal(s.Probabilities[i], implied[i], 12);
        }
    }
}
