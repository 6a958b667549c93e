using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Planner.Influence;

namespace MeTAI.Planner.Tests.Influence;

public class InfluenceCacheTests
{
    private static (InfluenceMatrix Matrix, byte[] Hash) Sample()
    {
        var grid = new GridGeometry(10, 8, 6, new Vec3(5, 5, 5), new Vec3(-20, -15, -10));
        CsrMatrix a = TestData.RandomMatrix(40, 12, 0.3, 21);
        int[] voxels = Enumerable.Range(0, 40).Select(i => i * 7).ToArray();
        var beamlets = Enumerable.Range(0, 12).Select(c => new Beamlet(c / 6, c % 3, c / 3)).ToArray();
        byte[] hash = InfluenceCache.ParametersHash([[1, 2, 3], [4]]);
        return (new InfluenceMatrix(grid, voxels, beamlets, a, 5000, 1e-3), hash);
    }

    [Fact]
    public void SaveLoad_RoundTripsEveryField()
    {
        (InfluenceMatrix m, byte[] hash) = Sample();
        string path = Path.Combine(TestData.TempDir("cache"), "m.mtinf");
        InfluenceCache.Save(path, m, hash);
        InfluenceMatrix r = InfluenceCache.Load(path, hash);
        Assert.True(r.Grid.SameAs(m.Grid));
        Assert.Equal(m.VoxelIndices, r.VoxelIndices);
        Assert.Equal(m.Beamlets, r.Beamlets);
        Assert.Equal(m.Matrix.RowPointers, r.Matrix.RowPointers);
        Assert.Equal(m.Matrix.ColumnIndices, r.Matrix.ColumnIndices);
        Assert.Equal(m.Matrix.Values, r.Matrix.Values);
        Assert.Equal(5000, r.HistoriesPerBeamlet);
        Assert.Equal(1e-3, r.RelativeCutoff);
        Assert.Equal(InfluenceCache.HeaderBytes + 12 * 12 + 4 * 40 + 4 * 41 + 6 * m.Matrix.NonZeros + 32, new FileInfo(path).Length);
    }

    [Fact]
    public void Load_FlippedByte_FailsChecksumNamingFileAndField()
    {
        (InfluenceMatrix m, byte[] hash) = Sample();
        string path = Path.Combine(TestData.TempDir("cache"), "m.mtinf");
        InfluenceCache.Save(path, m, hash);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^40] ^= 0x55;
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<InfluenceCacheException>(() => InfluenceCache.Load(path, hash));
        Assert.Equal("checksum", ex.Field);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("truncated", "length")]
    [InlineData("magic", "magic")]
    [InlineData("version", "version")]
    [InlineData("stale", "parametersHash")]
    public void Load_BadFile_NamesTheField(string damage, string field)
    {
        (InfluenceMatrix m, byte[] hash) = Sample();
        string path = Path.Combine(TestData.TempDir("cache"), "m.mtinf");
        InfluenceCache.Save(path, m, hash);
        byte[] bytes = File.ReadAllBytes(path);
        byte[] expected = hash;
        switch (damage)
        {
            case "truncated":
                bytes = bytes[..^10];
                break;
            case "magic":
                bytes[0] = (byte)'X';
                break;
            case "version":
                bytes[8] = 99;
                break;
            default:
                expected = InfluenceCache.ParametersHash([[9]]);
                break;
        }

        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<InfluenceCacheException>(() => InfluenceCache.Load(path, expected));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Load_MissingFile_SaysSo()
    {
        var ex = Assert.Throws<InfluenceCacheException>(() => InfluenceCache.Load("/nonexistent/x.mtinf"));
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }
}
