using ILGPU.Runtime;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.MonteCarlo;

namespace MeTAI.Dosimetry.Engines;

public sealed partial class MonteCarloEngine
{
    /// <summary>Replaces the source tables of <paramref name="b"/> with those of <paramref name="beam"/>.</summary>
    internal void SetSource(RunBuffers b, BeamSetup beam, GridGeometry g)
    {
        foreach (MemoryBuffer old in b.SourceOwned)
        {
            old.Dispose();
        }

        b.SourceOwned.Clear();
        b.Source = BuildSource(beam, g, b.SourceOwned);
    }

    /// <summary>
    /// The kernel's source: the spectrum and the sampling rectangles as alias tables, the virtual sources, the jaws and
    /// leaves, and the beam geometry in the grid-local frame.
    /// </summary>
    private KernelSource BuildSource(BeamSetup beam, GridGeometry g, List<MemoryBuffer> owned)
    {
        EnergySpectrum sp = beam.Spectrum;
        int nb = sp.Probabilities.Length;
        var lo = new float[nb];
        var hi = new float[nb];
        var prob = new float[nb];
        for (int i = 0; i < nb; i++)
        {
            lo[i] = (float)sp.EdgesMeV[i];
            hi[i] = (float)sp.EdgesMeV[i + 1];
            prob[i] = (float)sp.AliasProbability[i];
        }

        ApertureTables rects = ApertureTables.From(beam.SamplingRectangles());
        var source = new KernelSource
        {
            SpecProb = Upload(owned, prob),
            SpecAlias = Upload(owned, sp.AliasIndex),
            SpecLo = Upload(owned, lo),
            SpecHi = Upload(owned, hi),
            SpecBins = nb,
            RectProb = Upload(owned, rects.Probability),
            RectAlias = Upload(owned, rects.Alias),
            RectX0 = Upload(owned, rects.X0),
            RectY0 = Upload(owned, rects.Y0),
            RectW = Upload(owned, rects.Width),
            RectH = Upload(owned, rects.Height),
            Rects = rects.Probability.Length,
            Particle = (int)beam.Particle,
            Parallel = beam.Parallel ? 1 : 0,
            Virtual = BuildVirtualSource(beam, owned),
            Collimator = BuildCollimator(beam, owned),
        };
        SetSourceFrame(ref source, beam.Geometry, g);
        return source;
    }

    /// <summary>Source, isocentre and beam axes in the grid-local frame: index axes, origin at the outer corner of voxel (0,0,0), centimetres.</summary>
    private static void SetSourceFrame(ref KernelSource source, BeamGeometry geo, GridGeometry g)
    {
        Mat3 toLocal = g.Direction.Transposed();
        Vec3 corner = g.OriginLps - g.Direction * (g.SpacingMm * 0.5);
        Vec3 P(Vec3 lps) => toLocal * (lps - corner) / 10.0;
        Vec3 D(Vec3 dir) => toLocal * dir;

        Vec3 s = P(geo.SourceLps), iso = P(geo.IsocenterLps), a = D(geo.BeamAxisLps), u = D(geo.BldXLps), v = D(geo.BldYLps);
        source.Sx = (float)s.X;
        source.Sy = (float)s.Y;
        source.Sz = (float)s.Z;
        source.Ix = (float)iso.X;
        source.Iy = (float)iso.Y;
        source.Iz = (float)iso.Z;
        source.Ax = (float)a.X;
        source.Ay = (float)a.Y;
        source.Az = (float)a.Z;
        source.Ux = (float)u.X;
        source.Uy = (float)u.Y;
        source.Uz = (float)u.Z;
        source.Vx = (float)v.X;
        source.Vy = (float)v.Y;
        source.Vz = (float)v.Z;
    }

    /// <summary>
    /// The open aperture rectangles for the kernel, in centimetres at the isocentre plane, with an alias table that picks
    /// one by area × weight.
    /// </summary>
    private sealed record ApertureTables(float[] X0, float[] Y0, float[] Width, float[] Height, float[] Probability, int[] Alias)
    {
        public static ApertureTables From(IReadOnlyList<ApertureRect> rects)
        {
            var w = new double[rects.Count];
            double total = 0;
            for (int i = 0; i < w.Length; i++)
            {
                w[i] = rects[i].AreaMm2 * rects[i].Weight;
                total += w[i];
            }

            for (int i = 0; i < w.Length; i++)
            {
                w[i] /= total;
            }

            // The spectrum type's alias table over bins 0 … n serves any discrete distribution.
            var alias = new EnergySpectrum(Enumerable.Range(0, w.Length + 1).Select(i => (double)i).ToArray(), w);
            var tables = new ApertureTables(new float[rects.Count], new float[rects.Count], new float[rects.Count], new float[rects.Count], new float[rects.Count], alias.AliasIndex);
            for (int i = 0; i < rects.Count; i++)
            {
                tables.X0[i] = (float)(rects[i].X0Mm / 10);
                tables.Y0[i] = (float)(rects[i].Y0Mm / 10);
                tables.Width[i] = (float)((rects[i].X1Mm - rects[i].X0Mm) / 10);
                tables.Height[i] = (float)((rects[i].Y1Mm - rects[i].Y0Mm) / 10);
                tables.Probability[i] = (float)alias.AliasProbability[i];
            }

            return tables;
        }
    }
}
