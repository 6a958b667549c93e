namespace MeTAI.Planner.Compute;

/// <summary>Order statistics without sorting or allocating (Hoare's quickselect on a caller's scratch buffer).</summary>
public static class Selection
{
    /// <summary>
    /// D_v: the dose reached by the hottest <paramref name="volumePercent"/> % of the voxels <paramref name="rows"/>, i.e.
    /// the k-th largest dose with k = ⌈v/100 · N⌉ (at least 1).
    /// </summary>
    public static float DoseAtVolume(ReadOnlySpan<float> dose, ReadOnlySpan<int> rows, double volumePercent, Span<float> scratch)
    {
        int n = rows.Length;
        if (n == 0)
        {
            return 0;
        }

        for (int r = 0; r < n; r++)
        {
            scratch[r] = dose[rows[r]];
        }

        int k = (int)Math.Ceiling(volumePercent / 100.0 * n - 1e-9);
        k = Math.Clamp(k, 1, n);
        // k-th largest = (n − k)-th smallest (0-based).
        return Select(scratch[..n], n - k);
    }

    /// <summary>The element that would be at index <paramref name="k"/> if <paramref name="values"/> were sorted ascending (reorders it).</summary>
    public static float Select(Span<float> values, int k)
    {
        int lo = 0, hi = values.Length - 1;
        while (hi > lo)
        {
            int mid = lo + ((hi - lo) >> 1);
            // Median of three as the pivot.
            if (values[mid] < values[lo])
            {
                (values[mid], values[lo]) = (values[lo], values[mid]);
            }

            if (values[hi] < values[lo])
            {
                (values[hi], values[lo]) = (values[lo], values[hi]);
            }

            if (values[hi] < values[mid])
            {
                (values[hi], values[mid]) = (values[mid], values[hi]);
            }

            float pivot = values[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }
}
