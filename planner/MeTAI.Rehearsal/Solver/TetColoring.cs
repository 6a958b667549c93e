using System.Numerics;

namespace MeTAI.Rehearsal.Solver;

/// <summary>
/// Colours tets so that no two tets of one colour share a node: a colour's tets can then be projected in any order, in
/// parallel and in SIMD lanes, with the same result (Gauss–Seidel across colours, Jacobi-free within).
/// First-fit greedy fixes the number of colours, then a second pass puts each tet in the least-filled colour it may
/// join, so colours are about equally large (full SIMD lanes, even thread chunks).
/// </summary>
public static class TetColoring
{
    /// <summary>Most colours supported (a 64-bit mask per node).</summary>
    public const int MaxColours = 64;

    /// <summary>Colour per tet (0-based) for <paramref name="tets"/> (4 node indices per tet).</summary>
    /// <exception cref="InvalidOperationException">More than <see cref="MaxColours"/> colours would be needed.</exception>
    public static int[] Color(ReadOnlySpan<int> tets, int nodeCount, out int colourCount)
    {
        int tetCount = tets.Length / 4;
        var colour = new int[tetCount];
        var used = new ulong[nodeCount];
        int firstFitCount = 0;
        for (int t = 0; t < tetCount; t++)
        {
            ulong taken = used[tets[4 * t]] | used[tets[4 * t + 1]] | used[tets[4 * t + 2]] | used[tets[4 * t + 3]];
            if (taken == ulong.MaxValue)
            {
                throw new InvalidOperationException($"Tet {t} would need more than {MaxColours} colours.");
            }

            int c = BitOperations.TrailingZeroCount(~taken);
            Assign(tets, used, colour, t, c);
            firstFitCount = Math.Max(firstFitCount, c + 1);
        }

        // Balance: least-filled allowed colour among the first-fit count (a new one only when none is allowed).
        Array.Clear(used);
        var size = new int[MaxColours];
        colourCount = 0;
        int limit = firstFitCount;
        for (int t = 0; t < tetCount; t++)
        {
            ulong taken = used[tets[4 * t]] | used[tets[4 * t + 1]] | used[tets[4 * t + 2]] | used[tets[4 * t + 3]];
            int best = -1;
            for (int c = 0; c < limit; c++)
            {
                if ((taken & (1UL << c)) == 0 && (best < 0 || size[c] < size[best]))
                {
                    best = c;
                }
            }

            if (best < 0)
            {
                if (taken == ulong.MaxValue)
                {
                    throw new InvalidOperationException($"Tet {t} would need more than {MaxColours} colours.");
                }

                best = BitOperations.TrailingZeroCount(~taken);
                limit = Math.Max(limit, best + 1);
            }

            Assign(tets, used, colour, t, best);
            size[best]++;
            colourCount = Math.Max(colourCount, best + 1);
        }

        return colour;
    }

    private static void Assign(ReadOnlySpan<int> tets, ulong[] used, int[] colour, int t, int c)
    {
        colour[t] = c;
        ulong bit = 1UL << c;
        used[tets[4 * t]] |= bit;
        used[tets[4 * t + 1]] |= bit;
        used[tets[4 * t + 2]] |= bit;
        used[tets[4 * t + 3]] |= bit;
    }
}
