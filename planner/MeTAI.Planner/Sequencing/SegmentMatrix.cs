using MeTAI.Planner.Beams;
using MeTAI.Planner.Influence;

namespace MeTAI.Planner.Sequencing;

/// <summary>
/// Dose per MU of each sequenced segment, built from the beamlet influence matrix: B = A·C with C[j, s] the fraction
/// of beamlet j's area that segment s leaves open. Rows stay the influence matrix's voxels, so the same objectives
/// and optimiser re-weight the segments (segment weight optimisation, as commercial planning systems do after
/// sequencing).
/// </summary>
public static class SegmentMatrix
{
    /// <summary>B for <paramref name="beams"/> (in the order of <paramref name="grids"/>); columns are the segments beam by beam.</summary>
    public static CsrMatrix Build(InfluenceMatrix influence, IReadOnlyList<BeamletGrid> grids, IReadOnlyList<SequencedBeam> beams)
    {
        ArgumentNullException.ThrowIfNull(influence);
        ArgumentNullException.ThrowIfNull(grids);
        ArgumentNullException.ThrowIfNull(beams);
        // C as lists per beamlet column: (segment, coverage).
        int columns = influence.Columns;
        var perBeamlet = new List<(int Segment, float Coverage)>[columns];
        int firstColumn = 0, segment = 0;
        for (int b = 0; b < grids.Count; b++)
        {
            foreach (Segment s in beams[b].Segments)
            {
                double[] cov = LeafSequencer.Coverage(grids[b], beams[b], s);
                for (int n = 0; n < cov.Length; n++)
                {
                    if (cov[n] > 1e-9)
                    {
                        (perBeamlet[firstColumn + n] ??= []).Add((segment, (float)cov[n]));
                    }
                }

                segment++;
            }

            firstColumn += grids[b].Count;
        }

        if (segment > CsrMatrix.MaxColumns)
        {
            throw new InvalidOperationException($"{segment} segments exceed the {CsrMatrix.MaxColumns} a matrix addresses.");
        }

        CsrMatrix a = influence.Matrix;
        var acc = new float[segment];
        var touched = new bool[segment];
        var list = new List<int>(segment);
        var ptr = new int[a.Rows + 1];
        var cols = new List<ushort>();
        var vals = new List<float>();
        for (int i = 0; i < a.Rows; i++)
        {
            for (int k = a.RowPointers[i]; k < a.RowPointers[i + 1]; k++)
            {
                if (perBeamlet[a.ColumnIndices[k]] is not { } covered)
                {
                    continue;
                }

                float v = a.Values[k];
                foreach ((int s, float c) in covered)
                {
                    if (!touched[s])
                    {
                        touched[s] = true;
                        list.Add(s);
                    }

                    acc[s] += v * c;
                }
            }

            list.Sort();
            foreach (int s in list)
            {
                cols.Add((ushort)s);
                vals.Add(acc[s]);
                acc[s] = 0;
                touched[s] = false;
            }

            list.Clear();
            ptr[i + 1] = cols.Count;
        }

        return new CsrMatrix(a.Rows, segment, ptr, [.. cols], [.. vals]);
    }
}
