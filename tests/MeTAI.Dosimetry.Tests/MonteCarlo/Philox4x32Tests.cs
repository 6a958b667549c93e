using MeTAI.Dosimetry.MonteCarlo;

namespace MeTAI.Dosimetry.Tests.MonteCarlo;

public class Philox4x32Tests
{
    // Known-answer vectors of Random123 (kat_vectors, philox4x32 with 10 rounds): counter, key → output.
    [Theory]
    [InlineData(0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Encrypt_Random123KnownAnswers_Match(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint e0, uint e1, uint e2, uint e3)
    {
        Philox4x32.Encrypt(ref c0, ref c1, ref c2, ref c3, k0, k1);
        Assert.Equal((e0, e1, e2, e3), (c0, c1, c2, c3));
    }

    [Fact]
    public void NextFloat_ManyDraws_UniformInUnitInterval()
    {
        var rng = new Philox4x32(42, 7);
        const int n = 400_000;
        double sum = 0, sum2 = 0;
        for (int i = 0; i < n; i++)
        {
            float u = rng.NextFloat();
            Assert.InRange(u, float.Epsilon, 1f);
            sum += u;
            sum2 += u * u;
        }

        Assert.Equal(0.5, sum / n, 0.003);
        Assert.Equal(1.0 / 12, sum2 / n - (sum / n) * (sum / n), 0.002);
    }

    [Fact]
    public void Streams_DifferentHistories_Differ_SameHistoryRepeats()
    {
        var a = new Philox4x32(1, 100);
        var b = new Philox4x32(1, 101);
        var c = new Philox4x32(1, 100);
        uint a0 = a.NextUInt(), b0 = b.NextUInt(), c0 = c.NextUInt();
        Assert.NotEqual(a0, b0);
        Assert.Equal(a0, c0);
    }
}
