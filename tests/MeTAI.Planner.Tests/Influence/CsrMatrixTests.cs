using MeTAI.Planner.Influence;

namespace MeTAI.Planner.Tests.Influence;

public class CsrMatrixTests
{
    [Fact]
    public void FromColumns_BuildsRowsInColumnOrder()
    {
        var a = CsrMatrix.FromColumns(3, [([0, 2], [1f, 2f]), ([2], [3f]), ([1, 0], [4f, 5f])]);
        Assert.Equal([0, 2, 3, 5], a.RowPointers);
        Assert.Equal(new ushort[] { 0, 2, 2, 0, 1 }, a.ColumnIndices);
        Assert.Equal([1f, 5f, 4f, 2f, 3f], a.Values);
        Assert.Equal(5, a.NonZeros);
    }

    [Fact]
    public void BalancedRowChunks_CoverAllRowsInOrder()
    {
        CsrMatrix a = TestData.RandomMatrix(1000, 50, 0.1, 1);
        int[] b = a.BalancedRowChunks(7);
        Assert.Equal(0, b[0]);
        Assert.Equal(1000, b[^1]);
        for (int c = 1; c < b.Length; c++)
        {
            Assert.True(b[c] >= b[c - 1]);
        }
    }

    [Fact]
    public void Constructor_InconsistentArrays_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CsrMatrix(2, 2, [0, 1, 3], [0, 1], [1f, 2f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CsrMatrix(1, CsrMatrix.MaxColumns + 1, [0, 0], [], []));
    }
}
